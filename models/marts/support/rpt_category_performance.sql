{#-
    One row per reporting month and ticket category: volume, speed, SLA attainment,
    satisfaction and cost to serve (int_ticket_category_months_aggregated), within the metrics
    retention window.
-#}
with

category_months as (
    select * from {{ ref('int_ticket_category_months_aggregated') }}
),

final as (
    select
        category_month_id,
        month,
        category,
        ticket_count,
        share_of_month,
        resolved_ticket_count,
        avg_first_response_business_minutes,
        median_first_response_business_minutes,
        avg_resolution_hours,
        median_resolution_hours,
        avg_resolution_business_hours,
        first_response_sla_attainment_rate,
        resolution_sla_attainment_rate,
        reopen_rate,
        one_touch_resolution_rate,
        avg_csat_score,
        csat_rating_count,
        nps_score,
        nps_response_count,
        agent_reply_count,
        total_cost_to_serve,
        cost_per_ticket,
        month_start_date
    from category_months
    where {{ is_retained('month_start_date', 'metrics') }}
)

select * from final
