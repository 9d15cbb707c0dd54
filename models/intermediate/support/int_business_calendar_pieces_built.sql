{#-
    The business calendar: one row per schedule and open piece of time in UTC. Each schedule's
    weekly windows (business_hours seed) are laid on every local date of the calendar's range
    minus the schedule's holidays, converted to UTC instants in the schedule's time zone
    (DST-correct), and cut at UTC midnight, so a piece lies inside one UTC date (clock_date).
    minutes_before_piece is the running total of the schedule's open minutes before the piece:
    B(t) = minutes_before_piece + minutes from piece_start_at to t, for t inside the piece.
    One extra schedule (var support_calendar_schedule_id) is open all day in UTC: it measures
    calendar minutes with the same machinery.
    The range runs from two days before the first ticket to var support_sla_horizon_days + 2
    days after the as-of instant, so open tickets get a due time.
-#}
{{ config(materialized="table") }}
{%- set calendar_schedule = "'" ~ var('support_calendar_schedule_id') ~ "'" -%}
with

tickets as (
    select * from {{ ref('int_tickets_lifecycle_derived') }}
),

business_hours as (
    select * from {{ ref('business_hours') }}
),

holidays as (
    select * from {{ ref('holidays') }}
),

calendar_bounds as (
    select
        cast({{ dbt.dateadd('day', -2, 'min(tickets.created_at)') }} as date) as first_date,
        cast(
            {{ dbt.dateadd(
                'day', var('support_sla_horizon_days') + 2, as_of_at()
            ) }} as date
        ) as end_date
    from tickets
),

calendar_spine as (
    {{ date_spine(
        'day',
        '(select calendar_bounds.first_date from calendar_bounds)',
        '(select calendar_bounds.end_date from calendar_bounds)'
    ) }}
),

calendar_dates as (
    select
        cast(calendar_spine.date_day as date) as calendar_date,
        {{ iso_day_of_week('calendar_spine.date_day') }} as day_of_week
    from calendar_spine
),

local_windows as (
    select
        business_hours.schedule_id,
        business_hours.timezone,
        calendar_dates.calendar_date as local_date,
        {{ dbt.dateadd(
            'minute', 'business_hours.start_minute', 'cast(calendar_dates.calendar_date as timestamp)'
        ) }} as local_start,
        {{ dbt.dateadd(
            'minute', 'business_hours.end_minute', 'cast(calendar_dates.calendar_date as timestamp)'
        ) }} as local_end
    from business_hours
    inner join calendar_dates
        on business_hours.day_of_week = calendar_dates.day_of_week
    left outer join holidays
        on
            business_hours.holiday_calendar = holidays.holiday_calendar
            and calendar_dates.calendar_date = holidays.holiday_date
    where holidays.holiday_date is null

    union all

    select
        {{ calendar_schedule }} as schedule_id,
        'UTC' as timezone,
        calendar_dates.calendar_date as local_date,
        cast(calendar_dates.calendar_date as timestamp) as local_start,
        {{ dbt.dateadd('day', 1, 'cast(calendar_dates.calendar_date as timestamp)') }}
            as local_end
    from calendar_dates
),

utc_windows as (
    select
        local_windows.schedule_id,
        local_windows.local_date,
        {{ local_to_utc('local_windows.local_start', 'local_windows.timezone') }}
            as window_start_at,
        {{ local_to_utc('local_windows.local_end', 'local_windows.timezone') }}
            as window_end_at
    from local_windows
),

-- a window lasts at most one local day (25 hours on a DST day): at most 3 UTC dates
utc_day_offsets as (
    select 0 as day_offset
    union all
    select 1 as day_offset
    union all
    select 2 as day_offset
),

window_days as (
    select
        utc_windows.schedule_id,
        utc_windows.window_start_at,
        utc_windows.window_end_at,
        {{ dbt.dateadd(
            'day',
            'utc_day_offsets.day_offset',
            'cast(cast(utc_windows.window_start_at as date) as timestamp)'
        ) }} as utc_day_start_at
    from utc_windows
    cross join utc_day_offsets
),

window_pieces as (
    select
        window_days.schedule_id,
        cast(window_days.utc_day_start_at as date) as clock_date,
        greatest(window_days.window_start_at, window_days.utc_day_start_at) as piece_start_at,
        least(
            window_days.window_end_at,
            {{ dbt.dateadd('day', 1, 'window_days.utc_day_start_at') }}
        ) as piece_end_at
    from window_days
),

pieces_in_range as (
    select
        window_pieces.schedule_id,
        window_pieces.clock_date,
        window_pieces.piece_start_at,
        window_pieces.piece_end_at,
        {{ minutes_between('window_pieces.piece_start_at', 'window_pieces.piece_end_at') }}
            as piece_minutes
    from window_pieces
    inner join calendar_dates
        on window_pieces.clock_date = calendar_dates.calendar_date
    where window_pieces.piece_end_at > window_pieces.piece_start_at
),

final as (
    select
        {{ surrogate_key(['pieces_in_range.schedule_id', 'pieces_in_range.piece_start_at']) }}
            as business_calendar_piece_id,
        pieces_in_range.schedule_id,
        pieces_in_range.piece_minutes,
        coalesce(
            sum(pieces_in_range.piece_minutes) over (
                partition by pieces_in_range.schedule_id
                order by pieces_in_range.piece_start_at
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as minutes_before_piece,
        pieces_in_range.clock_date,
        pieces_in_range.piece_start_at,
        pieces_in_range.piece_end_at
    from pieces_in_range
)

select * from final
