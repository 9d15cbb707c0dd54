{%- set measures = [
    'total_tickets', 'critical_tickets', 'resolved_tickets', 'sla_breach_count',
    'first_response_sla_breach_count', 'resolution_sla_breach_count', 'csat_rating_count',
    'nps_response_count', 'nps_promoter_count', 'nps_detractor_count', 'csat_score_sum',
    'resolution_hours_sum',
] -%}
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

nps_bands as (
    select * from {{ ref('nps_bands') }}
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
        count(case when nps_bands.nps_band = 'promoter' then 1 end) as nps_promoter_count,
        count(case when nps_bands.nps_band = 'detractor' then 1 end) as nps_detractor_count,
        sum(tickets.csat_score) as csat_score_sum,
        sum(tickets.resolution_minutes) / 60.0 as resolution_hours_sum
    from tickets
    left outer join nps_bands
        on tickets.nps_score between nps_bands.min_score and nps_bands.max_score
),

comparisons as (
    {%- for measure in measures %}
        select
            '{{ measure }}' as measure,
            cast(summary_totals.{{ measure }} as double) as summary_value,
            cast(ticket_totals.{{ measure }} as double) as ticket_value
        from summary_totals
        cross join ticket_totals
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
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
