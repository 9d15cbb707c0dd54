{#-
    One row per reporting month and ticket category (call-centre reference: category
    performance): volume, speed, SLA attainment, satisfaction and cost to serve of the tickets
    created that month, measured as of the as-of instant.
-#}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
),

monthly as (
    select
        cast({{ dbt.date_trunc('month', 'tickets.created_date') }} as date) as month_start_date,
        tickets.category,
        count(*) as ticket_count,
        count(tickets.resolution_minutes) as resolved_ticket_count,
        avg(tickets.first_response_business_minutes) as avg_first_response_business_minutes,
        percentile_cont(0.5) within group (order by tickets.first_response_business_minutes)
            as median_first_response_business_minutes,
        avg(tickets.resolution_minutes) / 60.0 as avg_resolution_hours,
        percentile_cont(0.5) within group (order by tickets.resolution_minutes) / 60.0
            as median_resolution_hours,
        avg(tickets.resolution_business_minutes) / 60.0 as avg_resolution_business_hours,
        count(case when not tickets.is_first_response_sla_breached then 1 end)
            as first_response_sla_met_count,
        count(case when not tickets.is_resolution_sla_breached then 1 end)
            as resolution_sla_met_count,
        count(case when tickets.reopen_count > 0 then 1 end) as reopened_ticket_count,
        count(case when tickets.is_one_touch_resolution then 1 end)
            as one_touch_resolution_count,
        avg(tickets.csat_score) as avg_csat_score,
        count(tickets.csat_score) as csat_rating_count,
        count(tickets.nps_score) as nps_response_count,
        count(case when tickets.nps_score >= 9 then 1 end)
        - count(case when tickets.nps_score <= 6 then 1 end) as nps_net_promoter_count,
        cast(sum(tickets.agent_reply_count) as bigint) as agent_reply_count,
        cast(sum(tickets.cost_to_serve) as decimal(14, 2)) as total_cost_to_serve
    from tickets
    group by 1, 2
),

final as (
    select
        {{ surrogate_key(['monthly.month_start_date', 'monthly.category']) }}
            as category_month_id,
        monthly.category,
        monthly.ticket_count,
        cast(monthly.ticket_count as double)
        / sum(monthly.ticket_count) over (partition by monthly.month_start_date)
            as share_of_month,
        monthly.resolved_ticket_count,
        monthly.avg_first_response_business_minutes,
        monthly.median_first_response_business_minutes,
        monthly.avg_resolution_hours,
        monthly.median_resolution_hours,
        monthly.avg_resolution_business_hours,
        cast(monthly.first_response_sla_met_count as double) / monthly.ticket_count
            as first_response_sla_attainment_rate,
        cast(monthly.resolution_sla_met_count as double) / monthly.ticket_count
            as resolution_sla_attainment_rate,
        cast(monthly.reopened_ticket_count as double)
        / nullif(monthly.resolved_ticket_count, 0) as reopen_rate,
        cast(monthly.one_touch_resolution_count as double)
        / nullif(monthly.resolved_ticket_count, 0) as one_touch_resolution_rate,
        monthly.avg_csat_score,
        monthly.csat_rating_count,
        100.0 * monthly.nps_net_promoter_count / nullif(monthly.nps_response_count, 0)
            as nps_score,
        monthly.nps_response_count,
        monthly.agent_reply_count,
        monthly.total_cost_to_serve,
        cast(monthly.total_cost_to_serve / monthly.ticket_count as decimal(12, 2))
            as cost_per_ticket,
        monthly.month_start_date
    from monthly
)

select * from final
where {{ is_retained('month_start_date', 'metrics') }}
