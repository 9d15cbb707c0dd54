{#-
    Integrity: fct_tickets has exactly one row per valid staged ticket (every ticket in
    stg_support__tickets created at or before the as-of instant) and nothing else. Returns the
    tickets missing from the mart, repeated in it, or in it without a staged ticket.
-#}
with

staged_tickets as (
    select * from {{ ref('stg_support__tickets') }}
    where created_at <= {{ as_of_at() }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

mart_rows as (
    select
        tickets.ticket_id,
        count(*) as row_count
    from tickets
    group by tickets.ticket_id
),

final as (
    select
        coalesce(staged_tickets.ticket_id, mart_rows.ticket_id) as ticket_id,
        staged_tickets.ticket_id is not null as is_staged,
        coalesce(mart_rows.row_count, 0) as mart_row_count
    from staged_tickets
    full outer join mart_rows
        on staged_tickets.ticket_id = mart_rows.ticket_id
    where staged_tickets.ticket_id is null or coalesce(mart_rows.row_count, 0) != 1
)

select * from final
