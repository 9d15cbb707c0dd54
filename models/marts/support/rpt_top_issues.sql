{#-
    One row per ISO week (reporting time zone), category and subcategory: volume, share and
    trend (int_ticket_issue_weeks_aggregated), within the metrics retention window.
-#}
with

issue_weeks as (
    select * from {{ ref('int_ticket_issue_weeks_aggregated') }}
),

final as (
    select *
    from issue_weeks
    where {{ is_retained('week_start_date', 'metrics') }}
)

select * from final
