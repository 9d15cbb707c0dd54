{#-
    Support-desk question 4: support team performance over the last four ISO weeks
    up to the as-of week, per active agent (fct_agent_performance, credit to the agent who
    replied or resolved): tickets handled, speed in business minutes, SLA attainment, CSAT,
    reopen and one-touch rates.
-#}
with

agents as (
    select * from {{ ref('dim_agents') }}
),

agent_weeks as (
    select * from {{ ref('fct_agent_performance') }}
),

recent_agent_weeks as (
    select agent_weeks.*
    from agent_weeks
    where
        agent_weeks.week_start_date
        >= {{ dbt.dateadd(
            'day', -21, iso_week_start(reporting_date(as_of_at()))
        ) }}
),

agent_totals as (
    select
        recent_agent_weeks.agent_id,
        sum(recent_agent_weeks.tickets_replied_count) as tickets_handled,
        sum(recent_agent_weeks.tickets_resolved_count) as tickets_resolved,
        sum(
            recent_agent_weeks.median_first_response_business_minutes
            * recent_agent_weeks.first_response_count
        ) / nullif(sum(recent_agent_weeks.first_response_count), 0)
            as weighted_median_first_response_business_minutes,
        sum(recent_agent_weeks.first_response_sla_met_count)
        / nullif(sum(recent_agent_weeks.first_response_count), 0)
            as first_response_sla_attainment_rate,
        sum(recent_agent_weeks.resolution_sla_met_count)
        / nullif(sum(recent_agent_weeks.tickets_resolved_count), 0)
            as resolution_sla_attainment_rate,
        sum(recent_agent_weeks.avg_csat_score * recent_agent_weeks.csat_rating_count)
        / nullif(sum(recent_agent_weeks.csat_rating_count), 0) as avg_csat,
        sum(recent_agent_weeks.reopened_resolution_count)
        / nullif(sum(recent_agent_weeks.resolution_event_count), 0) as reopen_rate,
        sum(recent_agent_weeks.one_touch_resolution_count)
        / nullif(sum(recent_agent_weeks.tickets_resolved_count), 0) as one_touch_rate,
        sum(recent_agent_weeks.reassignment_count) as reassignments
    from recent_agent_weeks
    group by recent_agent_weeks.agent_id
),

final as (
    select
        agents.agent_name,
        agents.team,
        coalesce(agent_totals.tickets_handled, 0) as tickets_handled,
        coalesce(agent_totals.tickets_resolved, 0) as tickets_resolved,
        round(agent_totals.weighted_median_first_response_business_minutes, 1)
            as first_response_business_minutes,
        round(agent_totals.first_response_sla_attainment_rate, 3)
            as first_response_sla_attainment_rate,
        round(agent_totals.resolution_sla_attainment_rate, 3) as resolution_sla_attainment_rate,
        round(agent_totals.avg_csat, 2) as avg_csat,
        round(agent_totals.reopen_rate, 3) as reopen_rate,
        round(agent_totals.one_touch_rate, 3) as one_touch_rate,
        coalesce(agent_totals.reassignments, 0) as reassignments
    from agents
    left outer join agent_totals
        on agents.agent_id = agent_totals.agent_id
    where agents.is_active
    order by tickets_handled desc, agents.agent_name asc
)

select * from final
