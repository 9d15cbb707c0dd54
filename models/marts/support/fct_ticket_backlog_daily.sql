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
    select *
    from backlog_days
    where {{ is_retained('backlog_date', 'metrics') }}
)

select * from final
