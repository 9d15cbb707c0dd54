{#-
    Integrity: fct_tickets' minutes agree with its own timestamps. first_response_minutes is the
    time from created_at to first_response_at; resolution_minutes is the time from created_at to
    resolved_at minus pending_minutes (the clock pauses only while PENDING_CUSTOMER); business
    minutes never exceed calendar minutes. Returns the tickets where that fails.
-#}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
),

checks as (
    select
        tickets.ticket_id,
        tickets.first_response_minutes,
        {{ minutes_between('tickets.created_at', 'tickets.first_response_at') }}
            as expected_first_response_minutes,
        tickets.resolution_minutes,
        {{ minutes_between('tickets.created_at', 'tickets.resolved_at') }}
        - tickets.pending_minutes as expected_resolution_minutes,
        tickets.first_response_business_minutes,
        tickets.resolution_business_minutes
    from tickets
),

final as (
    select *
    from checks
    where
        abs(first_response_minutes - expected_first_response_minutes) > 0.001
        or abs(resolution_minutes - expected_resolution_minutes) > 0.001
        or first_response_business_minutes > first_response_minutes + 0.001
        or resolution_business_minutes > resolution_minutes + 0.001
)

select * from final
