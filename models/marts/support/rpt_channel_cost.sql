{#-
    One row per reporting month and channel: contacts, assumed handling minutes, their cost and
    the service level bought (int_ticket_channel_months_aggregated), within the metrics
    retention window.
-#}
with

channel_months as (
    select * from {{ ref('int_ticket_channel_months_aggregated') }}
),

final as (
    select
        channel_month_id,
        month,
        channel,
        currency,
        ticket_count,
        resolved_ticket_count,
        agent_contact_count,
        assumed_handle_minutes,
        cost_per_contact,
        cost_per_handle_minute,
        total_cost_to_serve,
        cost_per_ticket,
        cost_per_resolved_ticket,
        avg_first_response_business_minutes,
        avg_resolution_hours,
        first_response_sla_attainment_rate,
        resolution_sla_attainment_rate,
        avg_csat_score,
        csat_rating_count,
        month_start_date
    from channel_months
    where {{ is_retained('month_start_date', 'metrics') }}
)

select * from final
