{#-
    One row per ISO week (Monday, reporting time zone) from the first ticket to the as-of week:
    the support desk's weekly executive summary. Ticket metrics describe the week's cohort
    (tickets created that week, measured as of the as-of instant; NPS by the nps_bands seed);
    the open queue is a snapshot at the end of the week. Each metric has its change against the
    previous week. rpt_weekly_executive_summary publishes it.
-#}
{%- set weekly_change_metrics = [
    'total_tickets',
    'open_tickets_at_week_end',
    'critical_tickets',
    'avg_resolution_hours',
    'median_resolution_hours',
    'sla_breach_count',
    'sla_breach_rate',
    'avg_csat_score',
    'net_promoter_score',
] -%}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

backlog_days as (
    select * from {{ ref('int_ticket_backlog_days_aggregated') }}
),

nps_bands as (
    select * from {{ ref('nps_bands') }}
),

weeks as (
    {{ support_report_weeks('tickets') }}
),

ticket_weeks as (
    select
        tickets.*,
        nps_bands.nps_band,
        {{ iso_week_start('tickets.created_date') }} as week_start_date
    from tickets
    left outer join nps_bands
        on tickets.nps_score between nps_bands.min_score and nps_bands.max_score
),

ticket_cohorts as (
    select
        ticket_weeks.week_start_date,
        count(*) as total_tickets,
        count(case when ticket_weeks.priority = 'CRITICAL' then 1 end) as critical_tickets,
        count(ticket_weeks.resolution_minutes) as resolved_tickets,
        avg(ticket_weeks.resolution_minutes) / 60.0 as avg_resolution_hours,
        percentile_cont(0.5) within group (order by ticket_weeks.resolution_minutes) / 60.0
            as median_resolution_hours,
        count(case when ticket_weeks.is_sla_breached then 1 end) as sla_breach_count,
        count(case when ticket_weeks.is_first_response_sla_breached then 1 end)
            as first_response_sla_breach_count,
        count(case when ticket_weeks.is_resolution_sla_breached then 1 end)
            as resolution_sla_breach_count,
        avg(ticket_weeks.csat_score) as avg_csat_score,
        count(ticket_weeks.csat_score) as csat_rating_count,
        count(ticket_weeks.nps_score) as nps_response_count,
        count(case when ticket_weeks.nps_band = 'promoter' then 1 end) as nps_promoter_count,
        count(case when ticket_weeks.nps_band = 'detractor' then 1 end) as nps_detractor_count
    from ticket_weeks
    group by ticket_weeks.week_start_date
),

backlog_weeks as (
    select
        backlog_days.backlog_date,
        {{ iso_week_start('backlog_days.backlog_date') }} as week_start_date
    from backlog_days
),

week_end_days as (
    select
        backlog_weeks.week_start_date,
        max(backlog_weeks.backlog_date) as week_end_date
    from backlog_weeks
    group by backlog_weeks.week_start_date
),

week_end_queues as (
    select
        week_end_days.week_start_date,
        cast(sum(backlog_days.open_ticket_count) as bigint) as open_tickets_at_week_end
    from week_end_days
    inner join backlog_days
        on week_end_days.week_end_date = backlog_days.backlog_date
    group by week_end_days.week_start_date
),

weekly as (
    select
        weeks.week_start_date,
        coalesce(ticket_cohorts.total_tickets, 0) as total_tickets,
        coalesce(week_end_queues.open_tickets_at_week_end, 0) as open_tickets_at_week_end,
        coalesce(ticket_cohorts.critical_tickets, 0) as critical_tickets,
        coalesce(ticket_cohorts.resolved_tickets, 0) as resolved_tickets,
        ticket_cohorts.avg_resolution_hours,
        ticket_cohorts.median_resolution_hours,
        coalesce(ticket_cohorts.sla_breach_count, 0) as sla_breach_count,
        coalesce(ticket_cohorts.first_response_sla_breach_count, 0)
            as first_response_sla_breach_count,
        coalesce(ticket_cohorts.resolution_sla_breach_count, 0) as resolution_sla_breach_count,
        cast(ticket_cohorts.sla_breach_count as double)
        / nullif(ticket_cohorts.total_tickets, 0) as sla_breach_rate,
        ticket_cohorts.avg_csat_score,
        coalesce(ticket_cohorts.csat_rating_count, 0) as csat_rating_count,
        coalesce(ticket_cohorts.nps_response_count, 0) as nps_response_count,
        coalesce(ticket_cohorts.nps_promoter_count, 0) as nps_promoter_count,
        coalesce(ticket_cohorts.nps_detractor_count, 0) as nps_detractor_count,
        -- a double on both engines (Spark divides decimals as decimals)
        cast(
            100.0 * (ticket_cohorts.nps_promoter_count - ticket_cohorts.nps_detractor_count)
            as double
        )
        / nullif(ticket_cohorts.nps_response_count, 0) as net_promoter_score,
        {{ dbt.dateadd('day', 7, 'weeks.week_start_date') }}
        <= {{ dbt.dateadd('day', 1, reporting_date(as_of_at())) }} as is_complete_week
    from weeks
    left outer join ticket_cohorts
        on weeks.week_start_date = ticket_cohorts.week_start_date
    left outer join week_end_queues
        on weeks.week_start_date = week_end_queues.week_start_date
),

final as (
    select
        {{ surrogate_key(['weekly.week_start_date']) }} as week_id,
        {{ iso_week_key('weekly.week_start_date') }} as iso_week,
        weekly.total_tickets,
        weekly.open_tickets_at_week_end,
        weekly.critical_tickets,
        weekly.resolved_tickets,
        weekly.avg_resolution_hours,
        weekly.median_resolution_hours,
        weekly.sla_breach_count,
        weekly.first_response_sla_breach_count,
        weekly.resolution_sla_breach_count,
        weekly.sla_breach_rate,
        weekly.avg_csat_score,
        weekly.csat_rating_count,
        weekly.net_promoter_score,
        weekly.nps_response_count,
        weekly.nps_promoter_count,
        weekly.nps_detractor_count,
        {%- for metric in weekly_change_metrics %}
            weekly.{{ metric }} - lag(weekly.{{ metric }}) over previous_week
                as {{ metric }}_change,
        {%- endfor %}
        weekly.is_complete_week,
        weekly.week_start_date
    from weekly
    window previous_week as (order by weekly.week_start_date)
)

select * from final
