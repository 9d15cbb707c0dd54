{#-
    The ticket core: one row per valid ticket with its lifecycle, SLA roll-up and cost to serve.
    fct_tickets publishes it; the agent, backlog, report and customer-360 models read it.
    A table: it is read by many models, and it keeps their chains of views short.
-#}
{{ config(materialized="table") }}
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

ticket_lifecycles as (
    select * from {{ ref('int_tickets_lifecycle_derived') }}
),

sla_clocks as (
    select * from {{ ref('int_ticket_sla_clocks_measured') }}
),

channel_costs as (
    select * from {{ ref('channel_costs') }}
),

sla_by_ticket as (
    select
        sla_clocks.ticket_id,
        max(
            case when sla_clocks.sla_metric = 'first_response' then sla_clocks.priority_applied end
        ) as priority_applied,
        max(
            case
                when sla_clocks.sla_metric = 'first_response'
                    then sla_clocks.calendar_elapsed_minutes
            end
        ) as first_response_clock_minutes,
        max(
            case
                when sla_clocks.sla_metric = 'first_response'
                    then sla_clocks.business_elapsed_minutes
            end
        ) as first_response_clock_business_minutes,
        max(
            case
                when sla_clocks.sla_metric = 'resolution' then sla_clocks.calendar_elapsed_minutes
            end
        ) as resolution_clock_minutes,
        max(
            case
                when sla_clocks.sla_metric = 'resolution' then sla_clocks.business_elapsed_minutes
            end
        ) as resolution_clock_business_minutes,
        {{ dbt.bool_or(
            "case when sla_clocks.sla_metric = 'first_response' then sla_clocks.is_sla_breached end"
        ) }} as is_first_response_sla_breached,
        {{ dbt.bool_or(
            "case when sla_clocks.sla_metric = 'resolution' then sla_clocks.is_sla_breached end"
        ) }} as is_resolution_sla_breached
    from sla_clocks
    group by sla_clocks.ticket_id
),

joined as (
    select
        ticket_lifecycles.ticket_id,
        tickets.company_id,
        tickets.customer_id,
        ticket_lifecycles.agent_id,
        ticket_lifecycles.first_response_agent_id,
        ticket_lifecycles.resolved_by_agent_id,
        ticket_lifecycles.schedule_id,
        tickets.priority,
        sla_by_ticket.priority_applied,
        tickets.category,
        tickets.subcategory,
        tickets.channel,
        ticket_lifecycles.status,
        case
            when ticket_lifecycles.first_response_at is not null
                then sla_by_ticket.first_response_clock_minutes
        end as first_response_minutes,
        case
            when ticket_lifecycles.first_response_at is not null
                then sla_by_ticket.first_response_clock_business_minutes
        end as first_response_business_minutes,
        case
            when ticket_lifecycles.resolved_at is not null
                then sla_by_ticket.resolution_clock_minutes
        end as resolution_minutes,
        case
            when ticket_lifecycles.resolved_at is not null
                then sla_by_ticket.resolution_clock_business_minutes
        end as resolution_business_minutes,
        ticket_lifecycles.pending_minutes,
        ticket_lifecycles.agent_reply_count,
        ticket_lifecycles.customer_reply_count,
        ticket_lifecycles.replying_agent_count,
        ticket_lifecycles.replying_agent_handoff_count,
        ticket_lifecycles.reopen_count,
        tickets.csat_score,
        tickets.nps_score,
        tickets.source_first_response_minutes,
        tickets.source_resolution_hours,
        cast(
            ticket_lifecycles.agent_reply_count * (
                channel_costs.cost_per_contact
                + {{ var('support_handle_minutes_per_reply') }}
                * channel_costs.cost_per_handle_minute
            ) as decimal(12, 2)
        ) as cost_to_serve,
        ticket_lifecycles.is_one_touch_resolution,
        ticket_lifecycles.is_open,
        sla_by_ticket.is_first_response_sla_breached,
        sla_by_ticket.is_resolution_sla_breached,
        sla_by_ticket.is_first_response_sla_breached
        or sla_by_ticket.is_resolution_sla_breached as is_sla_breached,
        tickets.is_source_sla_breached,
        ticket_lifecycles.created_at,
        ticket_lifecycles.first_response_at,
        ticket_lifecycles.first_resolved_at,
        ticket_lifecycles.resolved_at,
        ticket_lifecycles.closed_at,
        ticket_lifecycles.cancelled_at
    from ticket_lifecycles
    inner join tickets
        on ticket_lifecycles.ticket_id = tickets.ticket_id
    inner join sla_by_ticket
        on ticket_lifecycles.ticket_id = sla_by_ticket.ticket_id
    left outer join channel_costs
        on tickets.channel = channel_costs.channel
),

final as (
    select
        ticket_id,
        company_id,
        customer_id,
        agent_id,
        first_response_agent_id,
        resolved_by_agent_id,
        schedule_id,
        priority,
        priority_applied,
        category,
        subcategory,
        channel,
        status,
        case
            when is_source_sla_breached is null then 'source_flag_missing'
            when is_sla_breached and is_source_sla_breached then 'both_breached'
            when not is_sla_breached and not is_source_sla_breached then 'both_met'
            when is_sla_breached then 'breached_only_here'
            else 'breached_only_in_source'
        end as sla_verdict_comparison,
        first_response_minutes,
        first_response_business_minutes,
        resolution_minutes,
        resolution_business_minutes,
        pending_minutes,
        agent_reply_count,
        customer_reply_count,
        replying_agent_count,
        replying_agent_handoff_count,
        reopen_count,
        csat_score,
        nps_score,
        source_first_response_minutes,
        source_resolution_hours,
        cost_to_serve,
        is_one_touch_resolution,
        is_open,
        is_first_response_sla_breached,
        is_resolution_sla_breached,
        is_sla_breached,
        is_source_sla_breached,
        coalesce(is_sla_breached != is_source_sla_breached, true) as is_sla_verdict_different,
        {{ reporting_date('created_at') }} as created_date,
        created_at,
        first_response_at,
        first_resolved_at,
        resolved_at,
        closed_at,
        cancelled_at
    from joined
)

select * from final
