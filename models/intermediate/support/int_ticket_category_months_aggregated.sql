{#-
    One row per reporting month and ticket category: volume, speed, SLA attainment,
    satisfaction (CSAT, NPS by the nps_bands seed) and cost to serve of the tickets created
    that month, measured as of the as-of instant. rpt_category_performance publishes it.
-#}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

nps_bands as (
    select * from {{ ref('nps_bands') }}
),

ticket_bands as (
    select
        tickets.*,
        nps_bands.nps_weight
    from tickets
    left outer join nps_bands
        on tickets.nps_score between nps_bands.min_score and nps_bands.max_score
),

monthly as (
    select
        cast({{ dbt.date_trunc('month', 'ticket_bands.created_date') }} as date)
            as month_start_date,
        ticket_bands.category,
        {{ support_ticket_outcome_aggregates('ticket_bands') }},
        percentile_cont(0.5) within group (
            order by ticket_bands.first_response_business_minutes
        ) as median_first_response_business_minutes,
        percentile_cont(0.5) within group (order by ticket_bands.resolution_minutes) / 60.0
            as median_resolution_hours,
        avg(ticket_bands.resolution_business_minutes) / 60.0 as avg_resolution_business_hours,
        count(case when ticket_bands.reopen_count > 0 then 1 end) as reopened_ticket_count,
        count(case when ticket_bands.is_one_touch_resolution then 1 end)
            as one_touch_resolution_count,
        count(ticket_bands.nps_score) as nps_response_count,
        cast(coalesce(sum(ticket_bands.nps_weight), 0) as bigint) as nps_net_promoter_count
    from ticket_bands
    group by 1, 2
),

final as (
    select
        {{ surrogate_key(['monthly.month_start_date', 'monthly.category']) }}
            as category_month_id,
        {{ month_key('monthly.month_start_date') }} as month,  -- noqa: RF04
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
        {{ support_ticket_outcome_rates('monthly') }},
        cast(monthly.reopened_ticket_count as double)
        / nullif(monthly.resolved_ticket_count, 0) as reopen_rate,
        cast(monthly.one_touch_resolution_count as double)
        / nullif(monthly.resolved_ticket_count, 0) as one_touch_resolution_rate,
        monthly.avg_csat_score,
        monthly.csat_rating_count,
        -- a double on both engines (Spark divides decimals as decimals)
        cast(100.0 * monthly.nps_net_promoter_count as double)
        / nullif(monthly.nps_response_count, 0) as net_promoter_score,
        monthly.nps_response_count,
        monthly.agent_reply_count,
        monthly.total_cost_to_serve,
        monthly.month_start_date
    from monthly
)

select * from final
