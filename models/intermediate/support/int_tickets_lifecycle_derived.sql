{#-
    One row per ticket (created at or before the as-of instant): what its interaction log says
    about it. First response, first and full resolution, reopens, reply counts, the agents who
    replied and resolved, the priority in force when the SLA clocks start, and the schedule
    business minutes are counted on. Definitions: DECISIONS.md, "Support tickets and SLAs".
-#}
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
    where created_at <= {{ as_of_at() }}
),

ticket_interactions as (
    select * from {{ ref('stg_support__ticket_interactions') }}
    where interaction_at <= {{ as_of_at() }}
),

agents as (
    select * from {{ ref('stg_support__agents') }}
),

status_periods as (
    select * from {{ ref('int_ticket_status_periods_derived') }}
),

-- replies: the first REPLY by an AGENT after created_at is the first response
agent_replies as (
    select
        ticket_interactions.ticket_id,
        ticket_interactions.author_id as agent_id,
        ticket_interactions.interaction_at,
        row_number() over (
            partition by ticket_interactions.ticket_id
            order by ticket_interactions.interaction_at, ticket_interactions.interaction_id
        ) as reply_order
    from ticket_interactions
    inner join tickets
        on ticket_interactions.ticket_id = tickets.ticket_id
    where
        ticket_interactions.interaction_type = 'REPLY'
        and ticket_interactions.author_type = 'AGENT'
        and ticket_interactions.interaction_at > tickets.created_at
),

reply_counts as (
    select
        ticket_interactions.ticket_id,
        count(
            case when ticket_interactions.author_type = 'AGENT' then 1 end
        ) as agent_reply_count,
        count(
            case when ticket_interactions.author_type = 'CUSTOMER' then 1 end
        ) as customer_reply_count,
        count(
            distinct case
                when ticket_interactions.author_type = 'AGENT'
                    then ticket_interactions.author_id
            end
        ) as replying_agent_count
    from ticket_interactions
    where ticket_interactions.interaction_type = 'REPLY'
    group by ticket_interactions.ticket_id
),

first_responses as (
    select
        agent_replies.ticket_id,
        agent_replies.agent_id as first_response_agent_id,
        agent_replies.interaction_at as first_response_at
    from agent_replies
    where agent_replies.reply_order = 1
),

-- assignments: the last ASSIGNMENT names the current agent
assignments as (
    select
        ticket_interactions.ticket_id,
        ticket_interactions.new_agent_id,
        row_number() over (
            partition by ticket_interactions.ticket_id
            order by
                ticket_interactions.interaction_at desc,
                ticket_interactions.interaction_id desc
        ) as recency,
        count(*) over (partition by ticket_interactions.ticket_id) as assignment_count
    from ticket_interactions
    where ticket_interactions.interaction_type = 'ASSIGNMENT'
),

current_assignments as (
    select
        assignments.ticket_id,
        assignments.new_agent_id as agent_id,
        assignments.assignment_count
    from assignments
    where assignments.recency = 1
),

-- priority: the latest PRIORITY_CHANGE at or before created_at (when the SLA clocks start);
-- without one, the earliest recorded priority (see DECISIONS.md)
priority_changes as (
    select
        ticket_interactions.ticket_id,
        ticket_interactions.new_priority,
        ticket_interactions.interaction_at <= tickets.created_at as is_at_sla_start,
        row_number() over (
            partition by ticket_interactions.ticket_id
            order by ticket_interactions.interaction_at, ticket_interactions.interaction_id
        ) as change_order,
        count(*) over (partition by ticket_interactions.ticket_id) as change_count
    from ticket_interactions
    inner join tickets
        on ticket_interactions.ticket_id = tickets.ticket_id
    where ticket_interactions.interaction_type = 'PRIORITY_CHANGE'
),

priority_at_start as (
    select
        priority_changes.ticket_id,
        max(priority_changes.change_count) as priority_change_count,
        max(
            case when priority_changes.change_order = 1 then priority_changes.new_priority end
        ) as first_recorded_priority,
        max(
            case
                when priority_changes.is_at_sla_start then priority_changes.change_order
            end
        ) as last_change_order_at_start
    from priority_changes
    group by priority_changes.ticket_id
),

priority_applied as (
    select
        priority_at_start.ticket_id,
        priority_at_start.priority_change_count,
        priority_at_start.first_recorded_priority,
        priority_changes.new_priority as priority_set_at_start
    from priority_at_start
    left outer join priority_changes
        on
            priority_at_start.ticket_id = priority_changes.ticket_id
            and priority_at_start.last_change_order_at_start = priority_changes.change_order
),

-- statuses: resolutions, reopens, the current status and the time spent pending
status_summary as (
    select
        status_periods.ticket_id,
        min(
            case when status_periods.is_resolution then status_periods.started_at end
        ) as first_resolved_at,
        max(
            case when status_periods.is_resolution then status_periods.started_at end
        ) as last_resolution_at,
        count(case when status_periods.is_reopen then 1 end) as reopen_count,
        max(
            case when status_periods.is_current then status_periods.status end
        ) as current_status,
        max(
            case when status_periods.is_current then status_periods.started_at end
        ) as current_status_started_at,
        coalesce(
            {{ dbt.bool_or('status_periods.is_current and status_periods.is_solved') }}, false
        ) as is_current_status_solved,
        coalesce(
            {{ dbt.bool_or('status_periods.is_current and status_periods.is_open') }}, false
        ) as is_current_status_open,
        sum(
            case
                when status_periods.status = '{{ var("support_sla_pause_status") }}'
                    then {{ minutes_between(
                        'status_periods.started_at',
                        'coalesce(status_periods.ended_at, ' ~ as_of_at() ~ ')'
                    ) }}
                else 0
            end
        ) as pending_minutes
    from status_periods
    group by status_periods.ticket_id
),

resolutions as (
    select
        status_periods.ticket_id,
        status_periods.changed_by_agent_id,
        row_number() over (
            partition by status_periods.ticket_id order by status_periods.period_number desc
        ) as recency
    from status_periods
    where status_periods.is_resolution
),

last_resolutions as (
    select
        resolutions.ticket_id,
        resolutions.changed_by_agent_id
    from resolutions
    where resolutions.recency = 1
),

ticket_states as (
    select
        tickets.ticket_id,
        tickets.created_at,
        tickets.priority as current_priority,
        status_summary.current_status,
        status_summary.first_resolved_at,
        case
            when status_summary.is_current_status_solved
                then status_summary.last_resolution_at
        end as resolved_at,
        case
            when status_summary.current_status = 'CLOSED'
                then status_summary.current_status_started_at
        end as closed_at,
        case
            when status_summary.current_status = 'CANCELLED'
                then status_summary.current_status_started_at
        end as cancelled_at,
        status_summary.reopen_count,
        status_summary.pending_minutes,
        status_summary.is_current_status_open as is_open
    from tickets
    inner join status_summary
        on tickets.ticket_id = status_summary.ticket_id
),

-- the agent credited with the full resolution: whoever changed the status to resolved; a
-- system change is credited to the last agent who replied before it
last_replies_before_resolution as (
    select
        agent_replies.ticket_id,
        agent_replies.agent_id,
        row_number() over (
            partition by agent_replies.ticket_id order by agent_replies.reply_order desc
        ) as recency
    from agent_replies
    inner join ticket_states
        on agent_replies.ticket_id = ticket_states.ticket_id
    where agent_replies.interaction_at <= ticket_states.resolved_at
),

final as (
    select
        ticket_states.ticket_id,
        current_assignments.agent_id,
        first_responses.first_response_agent_id,
        case
            when ticket_states.resolved_at is not null
                then coalesce(
                    last_resolutions.changed_by_agent_id,
                    last_replies_before_resolution.agent_id,
                    current_assignments.agent_id
                )
        end as resolved_by_agent_id,
        coalesce(agents.schedule_id, '{{ var("support_default_schedule_id") }}')
            as schedule_id,
        ticket_states.current_status as status,
        coalesce(
            priority_applied.priority_set_at_start,
            priority_applied.first_recorded_priority,
            ticket_states.current_priority
        ) as priority_at_sla_start,
        case
            when priority_applied.priority_set_at_start is not null then 'set_at_start'
            when priority_applied.first_recorded_priority is not null
                then 'first_recorded_change'
            else 'unchanged'
        end as priority_at_sla_start_basis,
        coalesce(reply_counts.agent_reply_count, 0) as agent_reply_count,
        coalesce(reply_counts.customer_reply_count, 0) as customer_reply_count,
        coalesce(reply_counts.replying_agent_count, 0) as replying_agent_count,
        case
            when coalesce(reply_counts.replying_agent_count, 0) > 1
                then reply_counts.replying_agent_count - 1
            else 0
        end as replying_agent_handoff_count,
        coalesce(current_assignments.assignment_count, 0) as assignment_count,
        coalesce(priority_applied.priority_change_count, 0) as priority_change_count,
        ticket_states.reopen_count,
        ticket_states.pending_minutes,
        coalesce(
            ticket_states.resolved_at is not null
            and reply_counts.agent_reply_count = 1
            and ticket_states.reopen_count = 0,
            false
        ) as is_one_touch_resolution,
        ticket_states.is_open,
        ticket_states.created_at,
        first_responses.first_response_at,
        ticket_states.first_resolved_at,
        ticket_states.resolved_at,
        ticket_states.closed_at,
        ticket_states.cancelled_at
    from ticket_states
    left outer join first_responses
        on ticket_states.ticket_id = first_responses.ticket_id
    left outer join reply_counts
        on ticket_states.ticket_id = reply_counts.ticket_id
    left outer join current_assignments
        on ticket_states.ticket_id = current_assignments.ticket_id
    left outer join agents
        on current_assignments.agent_id = agents.agent_id
    left outer join priority_applied
        on ticket_states.ticket_id = priority_applied.ticket_id
    left outer join last_resolutions
        on ticket_states.ticket_id = last_resolutions.ticket_id
    left outer join last_replies_before_resolution
        on
            ticket_states.ticket_id = last_replies_before_resolution.ticket_id
            and last_replies_before_resolution.recency = 1
)

select * from final
