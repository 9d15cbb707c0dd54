{#-
    One row per ticket, SLA metric (first_response, resolution) and running segment of its
    clock, with the clock's policy and pauses. A clock runs from sla_started_at until
    sla_stopped_at (null = still running, measured until the as-of instant). The resolution
    clock pauses while the ticket is in the status of var support_sla_pause_status, so it runs
    over a few segments: the gaps between pauses; the last segment is open-ended
    (segment_end_at null). measured_end_at is where the segment stops counting at the as-of
    instant (null when it starts after it). int_ticket_sla_clocks_measured measures the
    segments on the business calendar.
-#}
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
        and status_periods.status = '{{ var("support_sla_pause_status") }}'
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

final as (
    select
        {{ surrogate_key([
            'segments.ticket_id', 'segments.sla_metric', 'segments.segment_number'
        ]) }} as sla_segment_id,
        segments.ticket_id,
        segments.sla_metric,
        sla_clocks_evaluated.schedule_id,
        sla_clocks_evaluated.priority_applied,
        sla_clocks_evaluated.priority_applied_basis,
        segments.segment_number,
        sla_clocks_evaluated.target_minutes,
        coalesce(pause_totals.paused_minutes, 0) as paused_minutes,
        sla_clocks_evaluated.is_business_hours,
        sla_clocks_evaluated.sla_started_at,
        sla_clocks_evaluated.sla_stopped_at,
        sla_clocks_evaluated.evaluated_until_at,
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
    left outer join pause_totals
        on
            segments.ticket_id = pause_totals.ticket_id
            and segments.sla_metric = pause_totals.sla_metric
)

select * from final
