{#-
    One row per agent and ISO week (reporting time zone) in which the agent did anything.
    Credit goes to the agent who acted: the assignee for assignments, the author for replies,
    the first replier for first responses, the agent who changed the status to resolved for
    resolutions (DECISIONS.md, "Support tickets and SLAs"). Each activity counts in the week
    it happened. A reassignment counts for the agent the ticket was taken away from.
    fct_agent_performance publishes it.
-#}
with

ticket_interactions as (
    select * from {{ ref('stg_support__ticket_interactions') }}
    where interaction_at <= {{ as_of_at() }}
),

status_periods as (
    select * from {{ ref('int_ticket_status_periods_derived') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

-- assignments received and reassignments away from the agent -------------------------------
assignments as (
    select
        ticket_interactions.ticket_id,
        ticket_interactions.new_agent_id as agent_id,
        lag(ticket_interactions.new_agent_id) over (
            partition by ticket_interactions.ticket_id
            order by ticket_interactions.interaction_at, ticket_interactions.interaction_id
        ) as previous_agent_id,
        {{ iso_week_start(reporting_date('ticket_interactions.interaction_at')) }}
            as week_start_date
    from ticket_interactions
    where ticket_interactions.interaction_type = 'ASSIGNMENT'
),

assigned_weeks as (
    select
        assignments.agent_id,
        assignments.week_start_date,
        count(distinct assignments.ticket_id) as tickets_assigned_count
    from assignments
    group by assignments.agent_id, assignments.week_start_date
),

reassignment_weeks as (
    select
        assignments.previous_agent_id as agent_id,
        assignments.week_start_date,
        count(*) as reassignment_count
    from assignments
    where
        assignments.previous_agent_id is not null
        and assignments.previous_agent_id != assignments.agent_id
    group by assignments.previous_agent_id, assignments.week_start_date
),

-- replies -----------------------------------------------------------------------------------
agent_replies as (
    select
        ticket_interactions.author_id as agent_id,
        ticket_interactions.ticket_id,
        {{ iso_week_start(reporting_date('ticket_interactions.interaction_at')) }}
            as week_start_date
    from ticket_interactions
    where
        ticket_interactions.interaction_type = 'REPLY'
        and ticket_interactions.author_type = 'AGENT'
),

reply_weeks as (
    select
        agent_replies.agent_id,
        agent_replies.week_start_date,
        count(distinct agent_replies.ticket_id) as tickets_replied_count,
        count(*) as reply_count
    from agent_replies
    group by agent_replies.agent_id, agent_replies.week_start_date
),

-- first responses, credited to the agent who sent them --------------------------------------
first_responses as (
    select
        tickets.first_response_agent_id as agent_id,
        tickets.first_response_business_minutes,
        tickets.is_first_response_sla_breached,
        {{ iso_week_start(reporting_date('tickets.first_response_at')) }}
            as week_start_date
    from tickets
    where tickets.first_response_agent_id is not null
),

first_response_weeks as (
    select
        first_responses.agent_id,
        first_responses.week_start_date,
        count(*) as first_response_count,
        percentile_cont(0.5) within group (
            order by first_responses.first_response_business_minutes
        ) as median_first_response_business_minutes,
        percentile_cont(0.9) within group (
            order by first_responses.first_response_business_minutes
        ) as p90_first_response_business_minutes,
        count(case when not first_responses.is_first_response_sla_breached then 1 end)
            as first_response_sla_met_count
    from first_responses
    group by first_responses.agent_id, first_responses.week_start_date
),

-- full resolutions, credited to the agent who resolved ----------------------------------------
resolutions as (
    select
        tickets.resolved_by_agent_id as agent_id,
        tickets.resolution_business_minutes,
        tickets.is_resolution_sla_breached,
        tickets.csat_score,
        tickets.is_one_touch_resolution,
        {{ iso_week_start(reporting_date('tickets.resolved_at')) }}
            as week_start_date
    from tickets
    where tickets.resolved_by_agent_id is not null
),

resolution_weeks as (
    select
        resolutions.agent_id,
        resolutions.week_start_date,
        count(*) as tickets_resolved_count,
        percentile_cont(0.5) within group (
            order by resolutions.resolution_business_minutes
        ) as median_resolution_business_minutes,
        count(case when not resolutions.is_resolution_sla_breached then 1 end)
            as resolution_sla_met_count,
        avg(resolutions.csat_score) as avg_csat_score,
        count(resolutions.csat_score) as csat_rating_count,
        count(case when resolutions.is_one_touch_resolution then 1 end)
            as one_touch_resolution_count
    from resolutions
    group by resolutions.agent_id, resolutions.week_start_date
),

-- every change to resolved, and whether the customer reopened it afterwards ------------------
resolution_groups as (
    select
        status_periods.ticket_id,
        status_periods.changed_by_agent_id,
        status_periods.is_resolution,
        status_periods.is_reopen,
        {{ iso_week_start(reporting_date('status_periods.started_at')) }}
            as week_start_date,
        sum(case when status_periods.is_resolution then 1 else 0 end) over (
            partition by status_periods.ticket_id
            order by status_periods.period_number
            rows between unbounded preceding and current row
        ) as resolution_number
    from status_periods
),

reopened_resolutions as (
    select distinct
        resolution_groups.ticket_id,
        resolution_groups.resolution_number
    from resolution_groups
    where resolution_groups.is_reopen
),

resolution_event_weeks as (
    select
        resolution_groups.changed_by_agent_id as agent_id,
        resolution_groups.week_start_date,
        count(*) as resolution_event_count,
        count(reopened_resolutions.ticket_id) as reopened_resolution_count
    from resolution_groups
    left outer join reopened_resolutions
        on
            resolution_groups.ticket_id = reopened_resolutions.ticket_id
            and resolution_groups.resolution_number = reopened_resolutions.resolution_number
    where
        resolution_groups.is_resolution
        and resolution_groups.changed_by_agent_id is not null
    group by resolution_groups.changed_by_agent_id, resolution_groups.week_start_date
),

-- the grain: every agent-week with any activity ---------------------------------------------
agent_weeks as (
    select
        assigned_weeks.agent_id,
        assigned_weeks.week_start_date
    from assigned_weeks
    union
    select
        reassignment_weeks.agent_id,
        reassignment_weeks.week_start_date
    from reassignment_weeks
    union
    select
        reply_weeks.agent_id,
        reply_weeks.week_start_date
    from reply_weeks
    union
    select
        first_response_weeks.agent_id,
        first_response_weeks.week_start_date
    from first_response_weeks
    union
    select
        resolution_weeks.agent_id,
        resolution_weeks.week_start_date
    from resolution_weeks
    union
    select
        resolution_event_weeks.agent_id,
        resolution_event_weeks.week_start_date
    from resolution_event_weeks
),

final as (
    select
        {{ surrogate_key(['agent_weeks.agent_id', 'agent_weeks.week_start_date']) }}
            as agent_week_id,
        agent_weeks.agent_id,
        {{ iso_week_key('agent_weeks.week_start_date') }} as iso_week,
        coalesce(assigned_weeks.tickets_assigned_count, 0) as tickets_assigned_count,
        coalesce(reply_weeks.tickets_replied_count, 0) as tickets_replied_count,
        coalesce(reply_weeks.reply_count, 0) as reply_count,
        coalesce(resolution_weeks.tickets_resolved_count, 0) as tickets_resolved_count,
        coalesce(first_response_weeks.first_response_count, 0) as first_response_count,
        first_response_weeks.median_first_response_business_minutes,
        first_response_weeks.p90_first_response_business_minutes,
        resolution_weeks.median_resolution_business_minutes,
        coalesce(first_response_weeks.first_response_sla_met_count, 0)
            as first_response_sla_met_count,
        cast(first_response_weeks.first_response_sla_met_count as double)
        / nullif(first_response_weeks.first_response_count, 0)
            as first_response_sla_attainment_rate,
        coalesce(resolution_weeks.resolution_sla_met_count, 0) as resolution_sla_met_count,
        cast(resolution_weeks.resolution_sla_met_count as double)
        / nullif(resolution_weeks.tickets_resolved_count, 0) as resolution_sla_attainment_rate,
        resolution_weeks.avg_csat_score,
        coalesce(resolution_weeks.csat_rating_count, 0) as csat_rating_count,
        coalesce(resolution_event_weeks.resolution_event_count, 0) as resolution_event_count,
        coalesce(resolution_event_weeks.reopened_resolution_count, 0)
            as reopened_resolution_count,
        cast(resolution_event_weeks.reopened_resolution_count as double)
        / nullif(resolution_event_weeks.resolution_event_count, 0) as reopen_rate,
        coalesce(resolution_weeks.one_touch_resolution_count, 0) as one_touch_resolution_count,
        cast(resolution_weeks.one_touch_resolution_count as double)
        / nullif(resolution_weeks.tickets_resolved_count, 0) as one_touch_resolution_rate,
        coalesce(reassignment_weeks.reassignment_count, 0) as reassignment_count,
        agent_weeks.week_start_date
    from agent_weeks
    left outer join assigned_weeks
        on
            agent_weeks.agent_id = assigned_weeks.agent_id
            and agent_weeks.week_start_date = assigned_weeks.week_start_date
    left outer join reassignment_weeks
        on
            agent_weeks.agent_id = reassignment_weeks.agent_id
            and agent_weeks.week_start_date = reassignment_weeks.week_start_date
    left outer join reply_weeks
        on
            agent_weeks.agent_id = reply_weeks.agent_id
            and agent_weeks.week_start_date = reply_weeks.week_start_date
    left outer join first_response_weeks
        on
            agent_weeks.agent_id = first_response_weeks.agent_id
            and agent_weeks.week_start_date = first_response_weeks.week_start_date
    left outer join resolution_weeks
        on
            agent_weeks.agent_id = resolution_weeks.agent_id
            and agent_weeks.week_start_date = resolution_weeks.week_start_date
    left outer join resolution_event_weeks
        on
            agent_weeks.agent_id = resolution_event_weeks.agent_id
            and agent_weeks.week_start_date = resolution_event_weeks.week_start_date
)

select * from final
