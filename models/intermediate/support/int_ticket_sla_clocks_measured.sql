{#-
    One row per ticket and SLA metric (first_response, resolution): how far its clock has run
    (in calendar minutes and in business minutes of the ticket's schedule), when the target is
    or was due, and whether it was breached, as of the as-of instant.

    Method (interval arithmetic, no minute-by-minute expansion; DECISIONS.md, "Business
    minutes"):
    1. The clock of a metric runs from sla_started_at until sla_stopped_at (null = still
       running, measured until as-of). The resolution clock pauses while the ticket is
       PENDING_CUSTOMER, so it runs over a few segments: the gaps between pauses.
    2. Each schedule's weekly windows are laid on every local date of the data's range minus
       its holidays, converted to UTC instants in the schedule's time zone (DST-correct), and
       cut at UTC midnight into pieces. A running total over the pieces gives every schedule a
       clock: B(t) = business minutes from the calendar's start to the instant t, looked up by
       an equi-join on (schedule, UTC date). Calendar minutes use the same machinery with a
       schedule that is open all day (`__calendar__`).
    3. Minutes of a segment = B(end) - B(start). The due time is where the running total of
       the segments reaches the target, found by inverting B within one piece.
-#}
{%- set calendar_schedule = "'__calendar__'" -%}
with

tickets as (
    select * from {{ ref('int_tickets_lifecycle_derived') }}
),

status_periods as (
    select * from {{ ref('int_ticket_status_periods_derived') }}
),

sla_policies as (
    select * from {{ ref('sla_policies') }}
),

business_hours as (
    select * from {{ ref('business_hours') }}
),

holidays as (
    select * from {{ ref('holidays') }}
),

-- 1. the SLA clocks: one per ticket and metric ------------------------------------------------
sla_metrics as (
    select 'first_response' as sla_metric
    union all
    select 'resolution' as sla_metric
),

sla_clocks as (
    select
        tickets.ticket_id,
        sla_metrics.sla_metric,
        tickets.schedule_id,
        tickets.priority_at_sla_start as priority_applied,
        tickets.priority_at_sla_start_basis as priority_applied_basis,
        case sla_metrics.sla_metric
            when 'first_response' then sla_policies.first_response_target_minutes
            else sla_policies.resolution_target_minutes
        end as target_minutes,
        sla_policies.is_business_hours,
        tickets.created_at as sla_started_at,
        case sla_metrics.sla_metric
            when 'first_response'
                then coalesce(tickets.first_response_at, tickets.resolved_at, tickets.cancelled_at)
            else coalesce(tickets.resolved_at, tickets.cancelled_at)
        end as sla_stopped_at
    from tickets
    cross join sla_metrics
    inner join sla_policies
        on tickets.priority_at_sla_start = sla_policies.priority
),

sla_clocks_evaluated as (
    select
        sla_clocks.*,
        coalesce(sla_clocks.sla_stopped_at, {{ as_of_at() }}) as evaluated_until_at
    from sla_clocks
),

-- 2. pauses and the running segments between them --------------------------------------------
pauses as (
    select
        sla_clocks_evaluated.ticket_id,
        sla_clocks_evaluated.sla_metric,
        status_periods.started_at as pause_start_at,
        least(
            coalesce(status_periods.ended_at, sla_clocks_evaluated.evaluated_until_at),
            sla_clocks_evaluated.evaluated_until_at
        ) as pause_end_at
    from sla_clocks_evaluated
    inner join status_periods
        on sla_clocks_evaluated.ticket_id = status_periods.ticket_id
    where
        sla_clocks_evaluated.sla_metric = 'resolution'
        and status_periods.status = 'PENDING_CUSTOMER'
        and status_periods.started_at < sla_clocks_evaluated.evaluated_until_at
),

pauses_sequenced as (
    select
        pauses.*,
        row_number() over (
            partition by pauses.ticket_id, pauses.sla_metric order by pauses.pause_start_at
        ) as pause_number,
        lag(pauses.pause_end_at) over (
            partition by pauses.ticket_id, pauses.sla_metric order by pauses.pause_start_at
        ) as previous_pause_end_at
    from pauses
),

pause_totals as (
    select
        pauses_sequenced.ticket_id,
        pauses_sequenced.sla_metric,
        count(*) as pause_count,
        max(pauses_sequenced.pause_end_at) as last_pause_end_at,
        sum(
            {{ minutes_between(
                'pauses_sequenced.pause_start_at', 'pauses_sequenced.pause_end_at'
            ) }}
        ) as paused_minutes
    from pauses_sequenced
    group by pauses_sequenced.ticket_id, pauses_sequenced.sla_metric
),

segments_unfiltered as (
    -- the segment before each pause
    select
        pauses_sequenced.ticket_id,
        pauses_sequenced.sla_metric,
        pauses_sequenced.pause_number as segment_number,
        coalesce(
            pauses_sequenced.previous_pause_end_at, sla_clocks_evaluated.sla_started_at
        ) as segment_start_at,
        pauses_sequenced.pause_start_at as segment_end_at
    from pauses_sequenced
    inner join sla_clocks_evaluated
        on
            pauses_sequenced.ticket_id = sla_clocks_evaluated.ticket_id
            and pauses_sequenced.sla_metric = sla_clocks_evaluated.sla_metric

    union all

    -- after the last pause (the whole clock when it never paused): open-ended
    select
        sla_clocks_evaluated.ticket_id,
        sla_clocks_evaluated.sla_metric,
        coalesce(pause_totals.pause_count, 0) + 1 as segment_number,
        coalesce(pause_totals.last_pause_end_at, sla_clocks_evaluated.sla_started_at)
            as segment_start_at,
        cast(null as timestamp) as segment_end_at
    from sla_clocks_evaluated
    left outer join pause_totals
        on
            sla_clocks_evaluated.ticket_id = pause_totals.ticket_id
            and sla_clocks_evaluated.sla_metric = pause_totals.sla_metric
),

segments as (
    select segments_unfiltered.*
    from segments_unfiltered
    where
        segments_unfiltered.segment_end_at is null
        or segments_unfiltered.segment_end_at > segments_unfiltered.segment_start_at
),

-- every segment is measured on two clocks: calendar minutes and the schedule's business minutes
clock_kinds as (
    select 'calendar' as clock_kind
    union all
    select 'business' as clock_kind
),

segment_clocks as (
    select
        segments.ticket_id,
        segments.sla_metric,
        segments.segment_number,
        clock_kinds.clock_kind,
        case clock_kinds.clock_kind
            when 'calendar' then {{ calendar_schedule }}
            else sla_clocks_evaluated.schedule_id
        end as clock_schedule_id,
        segments.segment_start_at,
        segments.segment_end_at,
        -- the part of the segment inside [sla_started_at, evaluated_until_at)
        case
            when segments.segment_start_at < sla_clocks_evaluated.evaluated_until_at
                then least(
                    coalesce(segments.segment_end_at, sla_clocks_evaluated.evaluated_until_at),
                    sla_clocks_evaluated.evaluated_until_at
                )
        end as measured_end_at
    from segments
    inner join sla_clocks_evaluated
        on
            segments.ticket_id = sla_clocks_evaluated.ticket_id
            and segments.sla_metric = sla_clocks_evaluated.sla_metric
    cross join clock_kinds
),

-- 3. the business calendar: schedule windows as UTC pieces with a running total ---------------
calendar_bounds as (
    select
        cast({{ dbt.dateadd('day', -2, 'min(sla_clocks.sla_started_at)') }} as date)
            as first_date,
        cast(
            {{ dbt.dateadd(
                'day', var('support_sla_horizon_days') + 2, as_of_at()
            ) }} as date
        ) as end_date
    from sla_clocks
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

clock_pieces as (
    select
        window_pieces.schedule_id,
        window_pieces.clock_date,
        window_pieces.piece_start_at,
        window_pieces.piece_end_at,
        {{ minutes_between('window_pieces.piece_start_at', 'window_pieces.piece_end_at') }}
            as piece_minutes,
        coalesce(
            sum(
                {{ minutes_between(
                    'window_pieces.piece_start_at', 'window_pieces.piece_end_at'
                ) }}
            ) over (
                partition by window_pieces.schedule_id
                order by window_pieces.piece_start_at
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as minutes_before_piece
    from window_pieces
    inner join calendar_dates
        on window_pieces.clock_date = calendar_dates.calendar_date
    where window_pieces.piece_end_at > window_pieces.piece_start_at
),

clock_schedules as (
    select distinct local_windows.schedule_id
    from local_windows
),

clock_day_totals as (
    select
        clock_pieces.schedule_id,
        clock_pieces.clock_date,
        sum(clock_pieces.piece_minutes) as day_minutes
    from clock_pieces
    group by clock_pieces.schedule_id, clock_pieces.clock_date
),

clock_days as (
    select
        clock_schedules.schedule_id,
        calendar_dates.calendar_date as clock_date,
        coalesce(
            sum(coalesce(clock_day_totals.day_minutes, 0)) over (
                partition by clock_schedules.schedule_id
                order by calendar_dates.calendar_date
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as minutes_before_day
    from clock_schedules
    cross join calendar_dates
    left outer join clock_day_totals
        on
            clock_schedules.schedule_id = clock_day_totals.schedule_id
            and calendar_dates.calendar_date = clock_day_totals.clock_date
),

-- 4. B(t) for every instant a segment needs -------------------------------------------------
segment_instants as (
    select
        segment_clocks.ticket_id,
        segment_clocks.sla_metric,
        segment_clocks.segment_number,
        segment_clocks.clock_kind,
        segment_clocks.clock_schedule_id,
        'start' as instant_role,
        segment_clocks.segment_start_at as instant_at
    from segment_clocks

    union all

    select
        segment_clocks.ticket_id,
        segment_clocks.sla_metric,
        segment_clocks.segment_number,
        segment_clocks.clock_kind,
        segment_clocks.clock_schedule_id,
        'end' as instant_role,
        segment_clocks.segment_end_at as instant_at
    from segment_clocks
    where segment_clocks.segment_end_at is not null

    union all

    select
        segment_clocks.ticket_id,
        segment_clocks.sla_metric,
        segment_clocks.segment_number,
        segment_clocks.clock_kind,
        segment_clocks.clock_schedule_id,
        'measured_end' as instant_role,
        segment_clocks.measured_end_at as instant_at
    from segment_clocks
    where segment_clocks.measured_end_at is not null
),

instant_clock_minutes as (
    select
        segment_instants.ticket_id,
        segment_instants.sla_metric,
        segment_instants.segment_number,
        segment_instants.clock_kind,
        segment_instants.instant_role,
        clock_days.minutes_before_day + coalesce(
            sum(
                {{ minutes_between(
                    'clock_pieces.piece_start_at',
                    'least(clock_pieces.piece_end_at, segment_instants.instant_at)'
                ) }}
            ),
            0
        ) as clock_minutes
    from segment_instants
    inner join clock_days
        on
            segment_instants.clock_schedule_id = clock_days.schedule_id
            and cast(segment_instants.instant_at as date) = clock_days.clock_date
    left outer join clock_pieces
        on
            segment_instants.clock_schedule_id = clock_pieces.schedule_id
            and cast(segment_instants.instant_at as date) = clock_pieces.clock_date
            and segment_instants.instant_at > clock_pieces.piece_start_at
    group by
        segment_instants.ticket_id,
        segment_instants.sla_metric,
        segment_instants.segment_number,
        segment_instants.clock_kind,
        segment_instants.instant_role,
        clock_days.minutes_before_day
),

segment_clock_values as (
    select
        instant_clock_minutes.ticket_id,
        instant_clock_minutes.sla_metric,
        instant_clock_minutes.segment_number,
        instant_clock_minutes.clock_kind,
        max(
            case
                when instant_clock_minutes.instant_role = 'start'
                    then instant_clock_minutes.clock_minutes
            end
        ) as clock_at_start,
        max(
            case
                when instant_clock_minutes.instant_role = 'end'
                    then instant_clock_minutes.clock_minutes
            end
        ) as clock_at_end,
        max(
            case
                when instant_clock_minutes.instant_role = 'measured_end'
                    then instant_clock_minutes.clock_minutes
            end
        ) as clock_at_measured_end
    from instant_clock_minutes
    group by
        instant_clock_minutes.ticket_id,
        instant_clock_minutes.sla_metric,
        instant_clock_minutes.segment_number,
        instant_clock_minutes.clock_kind
),

measured_segments as (
    select
        segment_clocks.ticket_id,
        segment_clocks.sla_metric,
        segment_clocks.segment_number,
        segment_clocks.clock_kind,
        segment_clocks.clock_schedule_id,
        segment_clocks.segment_end_at,
        segment_clock_values.clock_at_start,
        segment_clock_values.clock_at_end - segment_clock_values.clock_at_start
            as segment_minutes,
        coalesce(
            segment_clock_values.clock_at_measured_end - segment_clock_values.clock_at_start, 0
        ) as measured_minutes
    from segment_clocks
    inner join segment_clock_values
        on
            segment_clocks.ticket_id = segment_clock_values.ticket_id
            and segment_clocks.sla_metric = segment_clock_values.sla_metric
            and segment_clocks.segment_number = segment_clock_values.segment_number
            and segment_clocks.clock_kind = segment_clock_values.clock_kind
),

-- 5. elapsed minutes and the instant the target is reached ----------------------------------
segments_accumulated as (
    select
        measured_segments.*,
        sla_clocks_evaluated.target_minutes,
        coalesce(
            sum(measured_segments.segment_minutes) over (
                partition by
                    measured_segments.ticket_id,
                    measured_segments.sla_metric,
                    measured_segments.clock_kind
                order by measured_segments.segment_number
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as minutes_before_segment
    from measured_segments
    inner join sla_clocks_evaluated
        on
            measured_segments.ticket_id = sla_clocks_evaluated.ticket_id
            and measured_segments.sla_metric = sla_clocks_evaluated.sla_metric
),

target_segments as (
    select
        segments_accumulated.*,
        segments_accumulated.clock_at_start + segments_accumulated.target_minutes
        - segments_accumulated.minutes_before_segment as clock_at_due,
        row_number() over (
            partition by
                segments_accumulated.ticket_id,
                segments_accumulated.sla_metric,
                segments_accumulated.clock_kind
            order by segments_accumulated.segment_number
        ) as crossing_order
    from segments_accumulated
    where
        segments_accumulated.minutes_before_segment < segments_accumulated.target_minutes
        and (
            segments_accumulated.segment_end_at is null
            or segments_accumulated.minutes_before_segment
            + segments_accumulated.segment_minutes >= segments_accumulated.target_minutes
        )
),

due_instants as (
    select
        target_segments.ticket_id,
        target_segments.sla_metric,
        target_segments.clock_kind,
        {{ add_minutes(
            'clock_pieces.piece_start_at',
            'target_segments.clock_at_due - clock_pieces.minutes_before_piece'
        ) }} as due_at
    from target_segments
    inner join clock_pieces
        on
            target_segments.clock_schedule_id = clock_pieces.schedule_id
            and target_segments.clock_at_due > clock_pieces.minutes_before_piece
            and target_segments.clock_at_due
            <= clock_pieces.minutes_before_piece + clock_pieces.piece_minutes
    where target_segments.crossing_order = 1
),

clock_results as (
    select
        measured_segments.ticket_id,
        measured_segments.sla_metric,
        measured_segments.clock_kind,
        sum(measured_segments.measured_minutes) as elapsed_minutes
    from measured_segments
    group by
        measured_segments.ticket_id,
        measured_segments.sla_metric,
        measured_segments.clock_kind
),

final as (
    select
        {{ surrogate_key(['sla_clocks_evaluated.ticket_id', 'sla_clocks_evaluated.sla_metric']) }}
            as sla_event_id,
        sla_clocks_evaluated.ticket_id,
        sla_clocks_evaluated.schedule_id,
        sla_clocks_evaluated.sla_metric,
        sla_clocks_evaluated.priority_applied,
        sla_clocks_evaluated.priority_applied_basis,
        sla_clocks_evaluated.target_minutes,
        case
            when sla_clocks_evaluated.is_business_hours then business_results.elapsed_minutes
            else calendar_results.elapsed_minutes
        end as elapsed_minutes,
        calendar_results.elapsed_minutes as calendar_elapsed_minutes,
        business_results.elapsed_minutes as business_elapsed_minutes,
        coalesce(pause_totals.paused_minutes, 0) as paused_minutes,
        sla_clocks_evaluated.is_business_hours,
        case
            when sla_clocks_evaluated.is_business_hours then business_results.elapsed_minutes
            else calendar_results.elapsed_minutes
        end > sla_clocks_evaluated.target_minutes as is_sla_breached,
        sla_clocks_evaluated.sla_stopped_at is null as is_active_sla,
        sla_clocks_evaluated.sla_started_at,
        case
            when sla_clocks_evaluated.is_business_hours then business_due.due_at
            else calendar_due.due_at
        end as sla_due_at,
        sla_clocks_evaluated.sla_stopped_at,
        sla_clocks_evaluated.evaluated_until_at
    from sla_clocks_evaluated
    left outer join clock_results as calendar_results
        on
            sla_clocks_evaluated.ticket_id = calendar_results.ticket_id
            and sla_clocks_evaluated.sla_metric = calendar_results.sla_metric
            and calendar_results.clock_kind = 'calendar'
    left outer join clock_results as business_results
        on
            sla_clocks_evaluated.ticket_id = business_results.ticket_id
            and sla_clocks_evaluated.sla_metric = business_results.sla_metric
            and business_results.clock_kind = 'business'
    left outer join due_instants as calendar_due
        on
            sla_clocks_evaluated.ticket_id = calendar_due.ticket_id
            and sla_clocks_evaluated.sla_metric = calendar_due.sla_metric
            and calendar_due.clock_kind = 'calendar'
    left outer join due_instants as business_due
        on
            sla_clocks_evaluated.ticket_id = business_due.ticket_id
            and sla_clocks_evaluated.sla_metric = business_due.sla_metric
            and business_due.clock_kind = 'business'
    left outer join pause_totals
        on
            sla_clocks_evaluated.ticket_id = pause_totals.ticket_id
            and sla_clocks_evaluated.sla_metric = pause_totals.sla_metric
)

select * from final
