{#-
    One row per ticket and SLA metric (first_response, resolution): how far its clock has run
    (in calendar minutes and in business minutes of the ticket's schedule), when the target is
    or was due, and whether it was breached, as of the as-of instant.

    Method (interval arithmetic, no minute-by-minute expansion; DECISIONS.md, "Support tickets
    and SLAs"):
    1. The running segments of each clock (between pauses) come from
       int_ticket_sla_segments_derived.
    2. The business calendar (int_business_calendar_pieces_built and
       int_business_calendar_days_totalled) gives every schedule a clock: B(t) = open minutes
       from the calendar's start to the instant t, looked up by an equi-join on (schedule, UTC
       date). Calendar minutes use the calendar's all-day schedule.
    3. Minutes of a segment = B(end) - B(start). The due time is where the running total of
       the segments reaches the target, found by inverting B within one piece.
    The policy's is_business_hours picks which of the two clocks is the SLA's.
-#}
{{ config(materialized="table") }}
{%- set calendar_schedule = "'" ~ var('support_calendar_schedule_id') ~ "'" -%}
with

sla_segments as (
    select * from {{ ref('int_ticket_sla_segments_derived') }}
),

calendar_pieces as (
    select * from {{ ref('int_business_calendar_pieces_built') }}
),

calendar_days as (
    select * from {{ ref('int_business_calendar_days_totalled') }}
),

-- one row per clock: the last (open-ended) segment carries the clock's attributes
sla_clocks_evaluated as (
    select
        sla_segments.ticket_id,
        sla_segments.sla_metric,
        sla_segments.schedule_id,
        sla_segments.priority_applied,
        sla_segments.priority_applied_basis,
        sla_segments.target_minutes,
        sla_segments.paused_minutes,
        sla_segments.is_business_hours,
        case when sla_segments.is_business_hours then 'business' else 'calendar' end
            as applied_clock_kind,
        sla_segments.sla_started_at,
        sla_segments.sla_stopped_at,
        sla_segments.evaluated_until_at
    from sla_segments
    where sla_segments.segment_end_at is null
),

-- every segment is measured on two clocks: calendar minutes and the schedule's business minutes
clock_kinds as (
    select 'calendar' as clock_kind
    union all
    select 'business' as clock_kind
),

segment_clocks as (
    select
        sla_segments.ticket_id,
        sla_segments.sla_metric,
        sla_segments.segment_number,
        clock_kinds.clock_kind,
        case clock_kinds.clock_kind
            when 'calendar' then {{ calendar_schedule }}
            else sla_segments.schedule_id
        end as clock_schedule_id,
        sla_segments.target_minutes,
        sla_segments.segment_start_at,
        sla_segments.segment_end_at,
        sla_segments.measured_end_at
    from sla_segments
    cross join clock_kinds
),

-- B(t) for every instant a segment needs -------------------------------------------------
segment_instants as (
    {%- for role, column in [
        ('start', 'segment_start_at'),
        ('end', 'segment_end_at'),
        ('measured_end', 'measured_end_at'),
    ] %}
        select
            segment_clocks.ticket_id,
            segment_clocks.sla_metric,
            segment_clocks.segment_number,
            segment_clocks.clock_kind,
            segment_clocks.clock_schedule_id,
            '{{ role }}' as instant_role,
            segment_clocks.{{ column }} as instant_at
        from segment_clocks
        where segment_clocks.{{ column }} is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

instant_clock_minutes as (
    select
        segment_instants.ticket_id,
        segment_instants.sla_metric,
        segment_instants.segment_number,
        segment_instants.clock_kind,
        segment_instants.instant_role,
        calendar_days.minutes_before_day + coalesce(
            sum(
                {{ minutes_between(
                    'calendar_pieces.piece_start_at',
                    'least(calendar_pieces.piece_end_at, segment_instants.instant_at)'
                ) }}
            ),
            0
        ) as clock_minutes
    from segment_instants
    inner join calendar_days
        on
            segment_instants.clock_schedule_id = calendar_days.schedule_id
            and cast(segment_instants.instant_at as date) = calendar_days.clock_date
    left outer join calendar_pieces
        on
            segment_instants.clock_schedule_id = calendar_pieces.schedule_id
            and cast(segment_instants.instant_at as date) = calendar_pieces.clock_date
            and segment_instants.instant_at > calendar_pieces.piece_start_at
    group by
        segment_instants.ticket_id,
        segment_instants.sla_metric,
        segment_instants.segment_number,
        segment_instants.clock_kind,
        segment_instants.instant_role,
        calendar_days.minutes_before_day
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
        segment_clocks.target_minutes,
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

-- elapsed minutes and the instant the target is reached ----------------------------------
segments_accumulated as (
    select
        measured_segments.*,
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
            'calendar_pieces.piece_start_at',
            'target_segments.clock_at_due - calendar_pieces.minutes_before_piece'
        ) }} as due_at
    from target_segments
    inner join calendar_pieces
        on
            target_segments.clock_schedule_id = calendar_pieces.schedule_id
            and target_segments.clock_at_due > calendar_pieces.minutes_before_piece
            and target_segments.clock_at_due
            <= calendar_pieces.minutes_before_piece + calendar_pieces.piece_minutes
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

clock_outcomes as (
    select
        clock_results.*,
        due_instants.due_at
    from clock_results
    left outer join due_instants
        on
            clock_results.ticket_id = due_instants.ticket_id
            and clock_results.sla_metric = due_instants.sla_metric
            and clock_results.clock_kind = due_instants.clock_kind
),

-- one row per clock: both clocks side by side, and the one the policy applies
clocks_pivoted as (
    select
        sla_clocks_evaluated.ticket_id,
        sla_clocks_evaluated.sla_metric,
        sla_clocks_evaluated.schedule_id,
        sla_clocks_evaluated.priority_applied,
        sla_clocks_evaluated.priority_applied_basis,
        sla_clocks_evaluated.target_minutes,
        sla_clocks_evaluated.paused_minutes,
        sla_clocks_evaluated.is_business_hours,
        sla_clocks_evaluated.sla_started_at,
        sla_clocks_evaluated.sla_stopped_at,
        sla_clocks_evaluated.evaluated_until_at,
        max(
            case
                when clock_outcomes.clock_kind = sla_clocks_evaluated.applied_clock_kind
                    then clock_outcomes.elapsed_minutes
            end
        ) as elapsed_minutes,
        max(
            case
                when clock_outcomes.clock_kind = 'calendar' then clock_outcomes.elapsed_minutes
            end
        ) as calendar_elapsed_minutes,
        max(
            case
                when clock_outcomes.clock_kind = 'business' then clock_outcomes.elapsed_minutes
            end
        ) as business_elapsed_minutes,
        max(
            case
                when clock_outcomes.clock_kind = sla_clocks_evaluated.applied_clock_kind
                    then clock_outcomes.due_at
            end
        ) as sla_due_at
    from sla_clocks_evaluated
    left outer join clock_outcomes
        on
            sla_clocks_evaluated.ticket_id = clock_outcomes.ticket_id
            and sla_clocks_evaluated.sla_metric = clock_outcomes.sla_metric
    -- the clock's attributes, in the order selected above
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11  -- noqa: AM06
),

final as (
    select
        {{ surrogate_key(['clocks_pivoted.ticket_id', 'clocks_pivoted.sla_metric']) }}
            as sla_event_id,
        clocks_pivoted.ticket_id,
        clocks_pivoted.schedule_id,
        clocks_pivoted.sla_metric,
        clocks_pivoted.priority_applied,
        clocks_pivoted.priority_applied_basis,
        clocks_pivoted.target_minutes,
        clocks_pivoted.elapsed_minutes,
        clocks_pivoted.calendar_elapsed_minutes,
        clocks_pivoted.business_elapsed_minutes,
        clocks_pivoted.paused_minutes,
        clocks_pivoted.is_business_hours,
        clocks_pivoted.elapsed_minutes > clocks_pivoted.target_minutes as is_sla_breached,
        clocks_pivoted.sla_stopped_at is null as is_active_sla,
        clocks_pivoted.sla_started_at,
        clocks_pivoted.sla_due_at,
        clocks_pivoted.sla_stopped_at,
        clocks_pivoted.evaluated_until_at
    from clocks_pivoted
)

select * from final
