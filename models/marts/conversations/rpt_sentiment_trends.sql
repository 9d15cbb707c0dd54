{#-
    Per reporting week (ISO week, Monday, in var reporting_timezone) and contact channel: contact
    volume, sentiment mix and the change against the trailing four weeks
    (int_contact_sentiment_weeks_aggregated), for the weeks inside the curated retention window
    (var retention_days), as far back as the chat and email marts reach.
-#}
with

sentiment_weeks as (
    select * from {{ ref('int_contact_sentiment_weeks_aggregated') }}
    where {{ is_retained('week_start_date', 'curated') }}
),

final as (
    select
        sentiment_trend_id,
        iso_week,
        channel,
        conversations,
        positive_conversations,
        neutral_conversations,
        negative_conversations,
        positive_share,
        neutral_share,
        negative_share,
        average_sentiment_compound,
        trailing_4w_conversations,
        trailing_4w_negative_share,
        trailing_4w_average_sentiment_compound,
        negative_share_change,
        negative_share_relative_change,
        average_sentiment_compound_change,
        is_complete_week,
        has_complete_trailing_4w,
        week_start_date
    from sentiment_weeks
)

select * from final
