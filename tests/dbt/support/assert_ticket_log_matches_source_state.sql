{#-
    The marts replay the interaction log; the ticket row carries the source system's current
    status and agent. At the default as-of instant (the extract's clock) both must agree; a
    difference means the log misses events (a warning for the data owner, not a broken build).
    Skipped when var as_of_at replays an earlier instant.
-#}
{{ config(severity='warn') }}

with

staged_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

final as (
    select
        tickets.ticket_id,
        tickets.status as replayed_status,
        staged_tickets.status as source_status,
        tickets.agent_id as replayed_agent_id,
        staged_tickets.agent_id as source_agent_id
    from tickets
    inner join staged_tickets
        on tickets.ticket_id = staged_tickets.ticket_id
    where
        {{ 'false and' if var('as_of_at', none) is not none }}
        (
            tickets.status != staged_tickets.status
            or coalesce(tickets.agent_id, '') != coalesce(staged_tickets.agent_id, '')
        )
)

select * from final
