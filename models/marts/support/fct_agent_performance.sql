{#-
    One row per agent and ISO week (reporting time zone) in which the agent did anything
    (int_agent_weeks_aggregated), within the metrics retention window.
-#}
with

agent_weeks as (
    select * from {{ ref('int_agent_weeks_aggregated') }}
),

final as (
    select
        agent_week_id,
        agent_id,
        iso_week,
        tickets_assigned_count,
        tickets_replied_count,
        reply_count,
        tickets_resolved_count,
        first_response_count,
        median_first_response_business_minutes,
        p90_first_response_business_minutes,
        median_resolution_business_minutes,
        first_response_sla_met_count,
        first_response_sla_attainment_rate,
        resolution_sla_met_count,
        resolution_sla_attainment_rate,
        avg_csat_score,
        csat_rating_count,
        resolution_event_count,
        reopened_resolution_count,
        reopen_rate,
        one_touch_resolution_count,
        one_touch_resolution_rate,
        reassignment_count,
        week_start_date
    from agent_weeks
    where {{ is_retained('week_start_date', 'metrics') }}
)

select * from final
