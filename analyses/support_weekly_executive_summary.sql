{#-
    Support-desk question 1: "What's happening this week?" The as-of week and the
    one before it from rpt_weekly_executive_summary: tickets, open queue, critical, resolution
    hours, SLA breaches and rate, CSAT and NPS, each with its change against the week before.
-#}
with

weekly_summary as (
    select * from {{ ref('rpt_weekly_executive_summary') }}
),

final as (
    select
        weekly_summary.week_start_date,
        weekly_summary.is_complete_week,
        weekly_summary.total_tickets,
        weekly_summary.total_tickets_change,
        weekly_summary.open_tickets_at_week_end,
        weekly_summary.open_tickets_at_week_end_change,
        weekly_summary.critical_tickets,
        weekly_summary.critical_tickets_change,
        round(weekly_summary.avg_resolution_hours, 2) as avg_resolution_hours,
        round(weekly_summary.avg_resolution_hours_change, 2) as avg_resolution_hours_change,
        round(weekly_summary.median_resolution_hours, 2) as median_resolution_hours,
        weekly_summary.sla_breach_count,
        round(weekly_summary.sla_breach_rate, 3) as sla_breach_rate,
        round(weekly_summary.sla_breach_rate_change, 3) as sla_breach_rate_change,
        round(weekly_summary.avg_csat_score, 2) as avg_csat_score,
        round(weekly_summary.avg_csat_score_change, 2) as avg_csat_score_change,
        round(weekly_summary.net_promoter_score, 1) as net_promoter_score,
        round(weekly_summary.net_promoter_score_change, 1) as net_promoter_score_change
    from weekly_summary
    order by weekly_summary.week_start_date desc
    limit 2
)

select * from final
