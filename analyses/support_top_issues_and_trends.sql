{#-
    Support-desk question 2: "What are the main problems this week?" The ten
    biggest subcategories of the latest complete ISO week, with their share of the week,
    average resolution and the change against the trailing four weeks.
-#}
with

top_issues as (
    select * from {{ ref('rpt_top_issues') }}
),

weekly_summary as (
    select * from {{ ref('rpt_weekly_executive_summary') }}
),

latest_complete_week as (
    select max(weekly_summary.week_start_date) as week_start_date
    from weekly_summary
    where weekly_summary.is_complete_week
),

final as (
    select
        top_issues.week_start_date,
        top_issues.rank_in_week,
        top_issues.category,
        top_issues.subcategory,
        top_issues.ticket_count,
        round(100 * top_issues.share_of_week, 2) as percentage_of_week,
        round(top_issues.avg_resolution_hours, 2) as avg_resolution_hours,
        round(top_issues.trailing_4w_avg_ticket_count, 2) as trailing_4w_avg_ticket_count,
        round(100 * top_issues.change_vs_trailing_4w, 1) as change_vs_trailing_4w_pct
    from top_issues
    inner join latest_complete_week
        on top_issues.week_start_date = latest_complete_week.week_start_date
    where top_issues.ticket_count > 0
    order by top_issues.ticket_count desc, top_issues.subcategory asc
    limit 10
)

select * from final
