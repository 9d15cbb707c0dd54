{#-
    Integrity: on the last day of fct_ticket_backlog_daily (which ends at the as-of instant) the
    open queue per priority equals the fct_tickets rows whose status is OPEN, IN_PROGRESS or
    PENDING_CUSTOMER, and over all days the tickets created and resolved add up to fct_tickets.
    Returns the priorities where a count differs.
-#}
with

backlog_days as (
    select * from {{ ref('fct_ticket_backlog_daily') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

last_backlog_day as (
    select max(backlog_days.backlog_date) as backlog_date
    from backlog_days
),

backlog_totals as (
    select
        backlog_days.priority,
        sum(
            case
                when backlog_days.backlog_date = last_backlog_day.backlog_date
                    then backlog_days.open_ticket_count
                else 0
            end
        ) as open_ticket_count,
        sum(backlog_days.created_ticket_count) as created_ticket_count,
        sum(backlog_days.resolved_ticket_count) as resolved_ticket_count
    from backlog_days
    cross join last_backlog_day
    group by backlog_days.priority
),

ticket_totals as (
    select
        tickets.priority,
        count(
            case when tickets.status in ('OPEN', 'IN_PROGRESS', 'PENDING_CUSTOMER') then 1 end
        ) as open_ticket_count,
        count(*) as created_ticket_count,
        count(tickets.resolved_at) as resolved_ticket_count
    from tickets
    group by tickets.priority
),

final as (
    select
        coalesce(backlog_totals.priority, ticket_totals.priority) as priority,
        backlog_totals.open_ticket_count as backlog_open,
        ticket_totals.open_ticket_count as tickets_open,
        backlog_totals.created_ticket_count as backlog_created,
        ticket_totals.created_ticket_count as tickets_created,
        backlog_totals.resolved_ticket_count as backlog_resolved,
        ticket_totals.resolved_ticket_count as tickets_resolved
    from backlog_totals
    full outer join ticket_totals
        on backlog_totals.priority = ticket_totals.priority
    where
        coalesce(backlog_totals.open_ticket_count, 0)
        != coalesce(ticket_totals.open_ticket_count, 0)
        or coalesce(backlog_totals.created_ticket_count, 0)
        != coalesce(ticket_totals.created_ticket_count, 0)
        or coalesce(backlog_totals.resolved_ticket_count, 0)
        != coalesce(ticket_totals.resolved_ticket_count, 0)
)

select * from final
