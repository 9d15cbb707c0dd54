{#-
    One row per reporting day and priority, from the first ticket's day to the as-of day: the
    tickets open at the end of the day (a status with is_open in the ticket_statuses seed,
    replayed from the status log) by age, and the tickets created and fully resolved that day.
    The last day ends at the as-of instant. fct_ticket_backlog_daily publishes it; the weekly
    executive summary and the ops alerts read it.
-#}
{{ config(materialized="table") }}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

status_periods as (
    select * from {{ ref('int_ticket_status_periods_derived') }}
),

sla_policies as (
    select * from {{ ref('sla_policies') }}
),

day_spine as (
    {{ date_spine(
        'day',
        '(select min(tickets.created_date) from tickets)',
        dbt.dateadd('day', 1, reporting_date(as_of_at()))
    ) }}
),

day_ends as (
    select
        cast(day_spine.date_day as date) as backlog_date,
        least(
            {{ reporting_day_start(dbt.dateadd('day', 1, 'day_spine.date_day')) }},
            {{ as_of_at() }}
        ) as day_end_at
    from day_spine
),

open_at_day_end as (
    select
        day_ends.backlog_date,
        tickets.priority,
        {{ minutes_between('tickets.created_at', 'day_ends.day_end_at') }} / 1440.0
            as age_days
    from status_periods
    inner join day_ends
        on
            status_periods.started_at <= day_ends.day_end_at
            and (status_periods.ended_at is null or status_periods.ended_at > day_ends.day_end_at)
    inner join tickets
        on status_periods.ticket_id = tickets.ticket_id
    where status_periods.is_open
),

open_counts as (
    select
        open_at_day_end.backlog_date,
        open_at_day_end.priority,
        count(*) as open_ticket_count,
        count(case when open_at_day_end.age_days < 1 then 1 end) as open_under_1d_count,
        count(
            case when open_at_day_end.age_days >= 1 and open_at_day_end.age_days < 3 then 1 end
        ) as open_1_to_3d_count,
        count(
            case when open_at_day_end.age_days >= 3 and open_at_day_end.age_days < 7 then 1 end
        ) as open_3_to_7d_count,
        count(case when open_at_day_end.age_days >= 7 then 1 end) as open_over_7d_count
    from open_at_day_end
    group by open_at_day_end.backlog_date, open_at_day_end.priority
),

created_counts as (
    select
        tickets.created_date as backlog_date,
        tickets.priority,
        count(*) as created_ticket_count
    from tickets
    group by tickets.created_date, tickets.priority
),

resolved_tickets as (
    select
        tickets.priority,
        {{ reporting_date('tickets.resolved_at') }} as resolved_date
    from tickets
    where tickets.resolved_at is not null
),

resolved_counts as (
    select
        resolved_tickets.resolved_date as backlog_date,
        resolved_tickets.priority,
        count(*) as resolved_ticket_count
    from resolved_tickets
    group by resolved_tickets.resolved_date, resolved_tickets.priority
),

final as (
    select
        {{ surrogate_key(['day_ends.backlog_date', 'sla_policies.priority']) }} as backlog_day_id,
        sla_policies.priority,
        coalesce(open_counts.open_ticket_count, 0) as open_ticket_count,
        coalesce(open_counts.open_under_1d_count, 0) as open_under_1d_count,
        coalesce(open_counts.open_1_to_3d_count, 0) as open_1_to_3d_count,
        coalesce(open_counts.open_3_to_7d_count, 0) as open_3_to_7d_count,
        coalesce(open_counts.open_over_7d_count, 0) as open_over_7d_count,
        coalesce(created_counts.created_ticket_count, 0) as created_ticket_count,
        coalesce(resolved_counts.resolved_ticket_count, 0) as resolved_ticket_count,
        day_ends.backlog_date,
        day_ends.day_end_at
    from day_ends
    cross join sla_policies
    left outer join open_counts
        on
            day_ends.backlog_date = open_counts.backlog_date
            and sla_policies.priority = open_counts.priority
    left outer join created_counts
        on
            day_ends.backlog_date = created_counts.backlog_date
            and sla_policies.priority = created_counts.priority
    left outer join resolved_counts
        on
            day_ends.backlog_date = resolved_counts.backlog_date
            and sla_policies.priority = resolved_counts.priority
)

select * from final
