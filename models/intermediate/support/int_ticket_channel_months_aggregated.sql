{#-
    One row per reporting month and channel: tickets, agent contacts, assumed handling minutes
    and what they cost at the channel_costs seed's unit prices, with the service level bought
    for it. Cost of a ticket = agent replies x (cost_per_contact + handle minutes per reply x
    cost_per_handle_minute); the handle minutes per reply are an assumption (var
    support_handle_minutes_per_reply): the source records no handling time.
    rpt_channel_cost publishes it.
-#}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

channel_costs as (
    select * from {{ ref('channel_costs') }}
),

monthly as (
    select
        cast({{ dbt.date_trunc('month', 'tickets.created_date') }} as date) as month_start_date,
        tickets.channel,
        {{ support_ticket_outcome_aggregates('tickets') }}
    from tickets
    group by 1, 2
),

final as (
    select
        {{ surrogate_key(['monthly.month_start_date', 'monthly.channel']) }}
            as channel_month_id,
        {{ month_key('monthly.month_start_date') }} as month,  -- noqa: RF04
        monthly.channel,
        channel_costs.currency,
        monthly.ticket_count,
        monthly.resolved_ticket_count,
        monthly.agent_reply_count as agent_contact_count,
        cast(
            monthly.agent_reply_count * {{ var('support_handle_minutes_per_reply') }} as double
        ) as assumed_handle_minutes,
        channel_costs.cost_per_contact,
        channel_costs.cost_per_handle_minute,
        monthly.total_cost_to_serve,
        cast(
            monthly.total_cost_to_serve / nullif(monthly.resolved_ticket_count, 0)
            as decimal(12, 2)
        ) as cost_per_resolved_ticket,
        monthly.avg_first_response_business_minutes,
        monthly.avg_resolution_hours,
        {{ support_ticket_outcome_rates('monthly') }},
        monthly.avg_csat_score,
        monthly.csat_rating_count,
        monthly.month_start_date
    from monthly
    left outer join channel_costs
        on monthly.channel = channel_costs.channel
)

select * from final
