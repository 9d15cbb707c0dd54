with

sla_clocks as (
    select * from {{ ref('int_ticket_sla_clocks_measured') }}
),

final as (
    select
        sla_event_id,
        ticket_id,
        schedule_id,
        sla_metric,
        priority_applied,
        priority_applied_basis,
        target_minutes,
        elapsed_minutes,
        calendar_elapsed_minutes,
        business_elapsed_minutes,
        paused_minutes,
        is_business_hours,
        is_sla_breached,
        is_active_sla,
        sla_started_at,
        sla_due_at,
        sla_stopped_at,
        evaluated_until_at
    from sla_clocks
)

select * from final
