{#-
    One row per ISO week (reporting time zone): the support desk's weekly executive summary
    (int_ticket_weeks_summarised), within the metrics retention window.
-#}
with

summary_weeks as (
    select * from {{ ref('int_ticket_weeks_summarised') }}
),

final as (
    select
        week_id,
        iso_week,
        total_tickets,
        open_tickets_at_week_end,
        critical_tickets,
        resolved_tickets,
        avg_resolution_hours,
        median_resolution_hours,
        sla_breach_count,
        first_response_sla_breach_count,
        resolution_sla_breach_count,
        sla_breach_rate,
        avg_csat_score,
        csat_rating_count,
        nps_score,
        nps_response_count,
        nps_promoter_count,
        nps_detractor_count,
        total_tickets_change,
        open_tickets_at_week_end_change,
        critical_tickets_change,
        avg_resolution_hours_change,
        median_resolution_hours_change,
        sla_breach_count_change,
        sla_breach_rate_change,
        avg_csat_score_change,
        nps_score_change,
        is_complete_week,
        week_start_date
    from summary_weeks
    where {{ is_retained('week_start_date', 'metrics') }}
)

select * from final
