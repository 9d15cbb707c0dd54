{#-
    Support-desk question 5: customer sentiment trends over the last 13 weeks. The
    sentiment of customers' own words comes from the conversation marts (rpt_sentiment_trends:
    chats per channel and emails); the tickets' satisfaction answers (CSAT, NPS) from
    rpt_weekly_executive_summary sit beside them. Both use reporting ISO weeks.
-#}
with

sentiment_trends as (
    select * from {{ ref('rpt_sentiment_trends') }}
),

weekly_summary as (
    select * from {{ ref('rpt_weekly_executive_summary') }}
),

recent_sentiment as (
    select
        sentiment_trends.week_start_date,
        sum(sentiment_trends.conversations) as contacts,
        sum(sentiment_trends.positive_conversations) as positive_contacts,
        sum(sentiment_trends.neutral_conversations) as neutral_contacts,
        sum(sentiment_trends.negative_conversations) as negative_contacts
    from sentiment_trends
    where
        sentiment_trends.week_start_date
        >= {{ dbt.dateadd('day', -91, 'cast(' ~ as_of_at() ~ ' as date)') }}
    group by sentiment_trends.week_start_date
),

final as (
    select
        recent_sentiment.week_start_date,
        recent_sentiment.contacts,
        recent_sentiment.positive_contacts,
        recent_sentiment.neutral_contacts,
        recent_sentiment.negative_contacts,
        round(
            cast(recent_sentiment.negative_contacts as double)
            / nullif(recent_sentiment.contacts, 0), 3
        ) as negative_share,
        round(weekly_summary.avg_csat_score, 2) as ticket_avg_csat,
        round(weekly_summary.net_promoter_score, 1) as ticket_nps
    from recent_sentiment
    left outer join weekly_summary
        on recent_sentiment.week_start_date = weekly_summary.week_start_date
    order by recent_sentiment.week_start_date desc
)

select * from final
