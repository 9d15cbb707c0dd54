{#-
    One row per reporting day and priority: the open backlog at the end of the day by age, and
    the tickets created and fully resolved that day (int_ticket_backlog_days_aggregated),
    within the metrics retention window.
-#}
with

backlog_days as (
    select * from {{ ref('int_ticket_backlog_days_aggregated') }}
),

final as (
    select
        backlog_day_id,
        priority,
        open_ticket_count,
        open_under_1d_count,
        open_1_to_3d_count,
        open_3_to_7d_count,
        open_over_7d_count,
        created_ticket_count,
        resolved_ticket_count,
        backlog_date,
        day_end_at
    from backlog_days
    where {{ is_retained('backlog_date', 'metrics') }}
)

select * from final
