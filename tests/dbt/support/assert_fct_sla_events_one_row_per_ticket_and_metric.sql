{#-
    Integrity: every ticket of fct_tickets has exactly one fct_sla_events row per SLA metric
    (first_response, resolution), and fct_sla_events has no other row. Returns the
    (ticket, metric) pairs where that fails.
-#}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
),

sla_events as (
    select * from {{ ref('fct_sla_events') }}
),

sla_metrics as (
    select 'first_response' as sla_metric
    union all
    select 'resolution' as sla_metric
),

expected_pairs as (
    select
        tickets.ticket_id,
        sla_metrics.sla_metric
    from tickets
    cross join sla_metrics
),

actual_pairs as (
    select
        sla_events.ticket_id,
        sla_events.sla_metric,
        count(*) as row_count
    from sla_events
    group by sla_events.ticket_id, sla_events.sla_metric
),

final as (
    select
        coalesce(expected_pairs.ticket_id, actual_pairs.ticket_id) as ticket_id,
        coalesce(expected_pairs.sla_metric, actual_pairs.sla_metric) as sla_metric,
        expected_pairs.ticket_id is not null as is_expected,
        coalesce(actual_pairs.row_count, 0) as row_count
    from expected_pairs
    full outer join actual_pairs
        on
            expected_pairs.ticket_id = actual_pairs.ticket_id
            and expected_pairs.sla_metric = actual_pairs.sla_metric
    where expected_pairs.ticket_id is null or coalesce(actual_pairs.row_count, 0) != 1
)

select * from final
