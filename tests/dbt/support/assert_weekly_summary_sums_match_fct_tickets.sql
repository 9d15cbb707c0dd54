{#-
    Integrity: the weekly executive summary adds up to fct_tickets. Summed over all weeks,
    tickets, critical tickets, resolved tickets, SLA breaches (either, first response,
    resolution), CSAT and NPS answers equal the same counts over fct_tickets, and the weekly
    averages weighted by their counts give back the totals. Returns one row per measure that
    differs.
-#}
with

weekly_summary as (
    select * from {{ ref('rpt_weekly_executive_summary') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

summary_totals as (
    select
        sum(weekly_summary.total_tickets) as total_tickets,
        sum(weekly_summary.critical_tickets) as critical_tickets,
        sum(weekly_summary.resolved_tickets) as resolved_tickets,
        sum(weekly_summary.sla_breach_count) as sla_breach_count,
        sum(weekly_summary.first_response_sla_breach_count) as first_response_sla_breach_count,
        sum(weekly_summary.resolution_sla_breach_count) as resolution_sla_breach_count,
        sum(weekly_summary.csat_rating_count) as csat_rating_count,
        sum(weekly_summary.nps_response_count) as nps_response_count,
        sum(weekly_summary.nps_promoter_count) as nps_promoter_count,
        sum(weekly_summary.nps_detractor_count) as nps_detractor_count,
        sum(weekly_summary.avg_csat_score * weekly_summary.csat_rating_count) as csat_score_sum,
        sum(weekly_summary.avg_resolution_hours * weekly_summary.resolved_tickets)
            as resolution_hours_sum
    from weekly_summary
),

ticket_totals as (
    select
        count(*) as total_tickets,
        count(case when tickets.priority = 'CRITICAL' then 1 end) as critical_tickets,
        count(tickets.resolution_minutes) as resolved_tickets,
        count(case when tickets.is_sla_breached then 1 end) as sla_breach_count,
        count(case when tickets.is_first_response_sla_breached then 1 end)
            as first_response_sla_breach_count,
        count(case when tickets.is_resolution_sla_breached then 1 end)
            as resolution_sla_breach_count,
        count(tickets.csat_score) as csat_rating_count,
        count(tickets.nps_score) as nps_response_count,
        count(case when tickets.nps_score >= 9 then 1 end) as nps_promoter_count,
        count(case when tickets.nps_score <= 6 then 1 end) as nps_detractor_count,
        sum(tickets.csat_score) as csat_score_sum,
        sum(tickets.resolution_minutes) / 60.0 as resolution_hours_sum
    from tickets
),

comparisons as (
    select
        'total_tickets' as measure,
        cast(summary_totals.total_tickets as double) as summary_value,
        cast(ticket_totals.total_tickets as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'critical_tickets' as measure,
        cast(summary_totals.critical_tickets as double) as summary_value,
        cast(ticket_totals.critical_tickets as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'resolved_tickets' as measure,
        cast(summary_totals.resolved_tickets as double) as summary_value,
        cast(ticket_totals.resolved_tickets as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'sla_breach_count' as measure,
        cast(summary_totals.sla_breach_count as double) as summary_value,
        cast(ticket_totals.sla_breach_count as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'first_response_sla_breach_count' as measure,
        cast(summary_totals.first_response_sla_breach_count as double) as summary_value,
        cast(ticket_totals.first_response_sla_breach_count as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'resolution_sla_breach_count' as measure,
        cast(summary_totals.resolution_sla_breach_count as double) as summary_value,
        cast(ticket_totals.resolution_sla_breach_count as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'csat_rating_count' as measure,
        cast(summary_totals.csat_rating_count as double) as summary_value,
        cast(ticket_totals.csat_rating_count as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'nps_response_count' as measure,
        cast(summary_totals.nps_response_count as double) as summary_value,
        cast(ticket_totals.nps_response_count as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'nps_promoter_count' as measure,
        cast(summary_totals.nps_promoter_count as double) as summary_value,
        cast(ticket_totals.nps_promoter_count as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'nps_detractor_count' as measure,
        cast(summary_totals.nps_detractor_count as double) as summary_value,
        cast(ticket_totals.nps_detractor_count as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'csat_score_sum' as measure,
        cast(summary_totals.csat_score_sum as double) as summary_value,
        cast(ticket_totals.csat_score_sum as double) as ticket_value
    from summary_totals
    cross join ticket_totals
    union all
    select
        'resolution_hours_sum' as measure,
        cast(summary_totals.resolution_hours_sum as double) as summary_value,
        cast(ticket_totals.resolution_hours_sum as double) as ticket_value
    from summary_totals
    cross join ticket_totals
),

final as (
    select
        comparisons.measure,
        comparisons.summary_value,
        comparisons.ticket_value
    from comparisons
    where
        abs(coalesce(comparisons.summary_value, 0) - coalesce(comparisons.ticket_value, 0))
        > 0.0001
)

select * from final
