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
    select * from sentiment_weeks
)

select * from final
