{#-
    One row per period a ticket spent in one status, replayed from the interaction log up to
    the as-of instant. A ticket opens as OPEN at created_at; every STATUS_CHANGE starts a new
    period that lasts until the next change (ended_at null = still in that status).
-#}
{{ config(materialized='table') }}
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
    where created_at <= {{ as_of_at() }}
),

ticket_interactions as (
    select * from {{ ref('stg_support__ticket_interactions') }}
    where interaction_at <= {{ as_of_at() }}
),

ticket_statuses as (
    select * from {{ ref('ticket_statuses') }}
),

status_changes as (
    select
        tickets.ticket_id,
        cast(null as {{ dbt.type_string() }}) as interaction_id,
        'OPEN' as status,
        cast(null as {{ dbt.type_string() }}) as changed_by_author_type,
        cast(null as {{ dbt.type_string() }}) as changed_by_author_id,
        0 as change_order,
        tickets.created_at as started_at
    from tickets

    union all

    select
        ticket_interactions.ticket_id,
        ticket_interactions.interaction_id,
        ticket_interactions.new_status as status,
        ticket_interactions.author_type as changed_by_author_type,
        ticket_interactions.author_id as changed_by_author_id,
        1 as change_order,
        ticket_interactions.interaction_at as started_at
    from ticket_interactions
    inner join tickets
        on ticket_interactions.ticket_id = tickets.ticket_id
    where ticket_interactions.interaction_type = 'STATUS_CHANGE'
),

sequenced as (
    select
        status_changes.*,
        ticket_statuses.is_open,
        ticket_statuses.is_solved,
        row_number() over (
            partition by status_changes.ticket_id
            order by
                status_changes.started_at,
                status_changes.change_order,
                status_changes.interaction_id
        ) as period_number
    from status_changes
    left outer join ticket_statuses
        on status_changes.status = ticket_statuses.status
),

periods as (
    select
        sequenced.*,
        lag(sequenced.status) over (
            partition by sequenced.ticket_id order by sequenced.period_number
        ) as previous_status,
        lag(sequenced.is_solved) over (
            partition by sequenced.ticket_id order by sequenced.period_number
        ) as is_previous_status_solved,
        lead(sequenced.started_at) over (
            partition by sequenced.ticket_id order by sequenced.period_number
        ) as ended_at,
        count(*) over (partition by sequenced.ticket_id) as period_count
    from sequenced
),

final as (
    select
        {{ surrogate_key(['ticket_id', 'period_number']) }} as status_period_id,
        ticket_id,
        interaction_id,
        case when changed_by_author_type = 'AGENT' then changed_by_author_id end
            as changed_by_agent_id,
        status,
        previous_status,
        changed_by_author_type,
        period_number,
        coalesce(is_open, false) as is_open,
        coalesce(is_solved, false) as is_solved,
        -- back to the desk (not to the customer) from a solved status
        coalesce(
            is_previous_status_solved and status in ('OPEN', 'IN_PROGRESS'), false
        ) as is_reopen,
        coalesce(
            status = 'RESOLVED'
            or (status = 'CLOSED' and not coalesce(is_previous_status_solved, false)),
            false
        ) as is_resolution,
        period_number = period_count as is_current,
        started_at,
        ended_at
    from periods
)

select * from final
