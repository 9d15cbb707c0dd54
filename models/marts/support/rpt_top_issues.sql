{#-
    One row per ISO week (reporting time zone), category and subcategory: volume, share and
    trend (int_ticket_issue_weeks_aggregated), within the metrics retention window.
-#}
with

issue_weeks as (
    select * from {{ ref('int_ticket_issue_weeks_aggregated') }}
),

final as (
    select
        top_issue_id,
        iso_week,
        category,
        subcategory,
        ticket_count,
        week_ticket_count,
        share_of_week,
        rank_in_week,
        resolved_ticket_count,
        avg_resolution_hours,
        trailing_4w_avg_ticket_count,
        change_vs_trailing_4w,
        week_start_date
    from issue_weeks
    where {{ is_retained('week_start_date', 'metrics') }}
)

select * from final
