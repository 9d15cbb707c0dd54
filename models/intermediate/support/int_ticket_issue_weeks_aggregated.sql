{#-
    One row per ISO week (reporting time zone), category and subcategory: how many tickets were
    opened, their share of the week, their average resolution, and the trend against the
    trailing four weeks. Every subcategory of the taxonomy has a row every week (zero counts
    included) so trends see the weeks without tickets. The trend compares with the four weeks
    before (the window is in the column names; a trend needs all four). rpt_top_issues
    publishes it.
-#}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

ticket_categories as (
    select * from {{ ref('ticket_categories') }}
),

weeks as (
    {{ support_report_weeks('tickets') }}
),

subcategories as (
    select
        ticket_categories.category,
        ticket_categories.subcategory
    from ticket_categories
    union
    select
        tickets.category,
        tickets.subcategory
    from tickets
),

weekly_counts as (
    select
        {{ iso_week_start('tickets.created_date') }} as week_start_date,
        tickets.category,
        tickets.subcategory,
        count(*) as ticket_count,
        count(tickets.resolution_minutes) as resolved_ticket_count,
        avg(tickets.resolution_minutes) / 60.0 as avg_resolution_hours
    from tickets
    group by 1, 2, 3
),

week_subcategories as (
    select
        weeks.week_start_date,
        subcategories.category,
        subcategories.subcategory,
        coalesce(weekly_counts.ticket_count, 0) as ticket_count,
        coalesce(weekly_counts.resolved_ticket_count, 0) as resolved_ticket_count,
        weekly_counts.avg_resolution_hours
    from weeks
    cross join subcategories
    left outer join weekly_counts
        on
            weeks.week_start_date = weekly_counts.week_start_date
            and subcategories.category = weekly_counts.category
            and coalesce(subcategories.subcategory, '') = coalesce(weekly_counts.subcategory, '')
),

trends as (
    select
        week_subcategories.*,
        cast(
            sum(week_subcategories.ticket_count) over (
                partition by week_subcategories.week_start_date
            ) as bigint
        ) as week_ticket_count,
        avg(week_subcategories.ticket_count) over (
            partition by week_subcategories.category, week_subcategories.subcategory
            order by week_subcategories.week_start_date
            rows between 4 preceding and 1 preceding
        ) as trailing_4w_avg_ticket_count,
        count(*) over (
            partition by week_subcategories.category, week_subcategories.subcategory
            order by week_subcategories.week_start_date
            rows between 4 preceding and 1 preceding
        ) as trailing_week_count
    from week_subcategories
),

final as (
    select
        {{ surrogate_key([
            'trends.week_start_date', 'trends.category', 'trends.subcategory'
        ]) }} as top_issue_id,
        {{ iso_week_key('trends.week_start_date') }} as iso_week,
        trends.category,
        trends.subcategory,
        trends.ticket_count,
        trends.week_ticket_count,
        cast(trends.ticket_count as double) / nullif(trends.week_ticket_count, 0)
            as share_of_week,
        -- bigint on both engines (Spark's rank is an int)
        cast(rank() over (
            partition by trends.week_start_date order by trends.ticket_count desc
        ) as bigint) as rank_in_week,
        trends.resolved_ticket_count,
        trends.avg_resolution_hours,
        case
            when trends.trailing_week_count = 4 then trends.trailing_4w_avg_ticket_count
        end as trailing_4w_avg_ticket_count,
        case
            when trends.trailing_week_count = 4
                then
                    cast(trends.ticket_count as double)
                    / nullif(trends.trailing_4w_avg_ticket_count, 0) - 1
        end as change_vs_trailing_4w,
        trends.week_start_date
    from trends
)

select * from final
