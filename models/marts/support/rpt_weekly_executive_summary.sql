{#-
    One row per ISO week (reporting time zone): the support desk's weekly executive summary
    (int_ticket_weeks_summarised), within the metrics retention window.
-#}
with

summary_weeks as (
    select * from {{ ref('int_ticket_weeks_summarised') }}
),

final as (
    select *
    from summary_weeks
    where {{ is_retained('week_start_date', 'metrics') }}
)

select * from final
