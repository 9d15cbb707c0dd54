{#-
    One row per schedule of the business calendar and UTC date of its range (days without an
    open minute included): the schedule's open minutes that day and its running total of open
    minutes before the day. With the pieces of int_business_calendar_pieces_built it gives
    B(t), the open minutes from the calendar's start to any instant t, by an equi-join on
    (schedule_id, UTC date of t).
-#}
{{ config(materialized="table") }}
with

calendar_pieces as (
    select * from {{ ref('int_business_calendar_pieces_built') }}
),

-- the all-day schedule has a piece on every date of the range
calendar_dates as (
    select distinct calendar_pieces.clock_date
    from calendar_pieces
),

calendar_schedules as (
    select distinct calendar_pieces.schedule_id
    from calendar_pieces
),

day_totals as (
    select
        calendar_pieces.schedule_id,
        calendar_pieces.clock_date,
        sum(calendar_pieces.piece_minutes) as day_minutes
    from calendar_pieces
    group by calendar_pieces.schedule_id, calendar_pieces.clock_date
),

final as (
    select
        {{ surrogate_key(['calendar_schedules.schedule_id', 'calendar_dates.clock_date']) }}
            as business_calendar_day_id,
        calendar_schedules.schedule_id,
        coalesce(day_totals.day_minutes, 0) as day_minutes,
        coalesce(
            sum(coalesce(day_totals.day_minutes, 0)) over (
                partition by calendar_schedules.schedule_id
                order by calendar_dates.clock_date
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as minutes_before_day,
        calendar_dates.clock_date
    from calendar_schedules
    cross join calendar_dates
    left outer join day_totals
        on
            calendar_schedules.schedule_id = day_totals.schedule_id
            and calendar_dates.clock_date = day_totals.clock_date
)

select * from final
