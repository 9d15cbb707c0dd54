{#-
    One row per reporting week (ISO week, Monday, in the reporting time zone var
    reporting_timezone) and contact channel (WEB, APP, WHATSAPP chats; EMAIL): how many contacts,
    their sentiment mix, the average compound score and the change against the trailing
    var sentiment_trailing_weeks (4) weeks, pooled over those weeks' contacts. Every week between
    the first contact and the as-of week has a row per channel, also when the channel had no
    contact that week (conversations = 0, shares null). Chats count with their overall
    sentiment, emails with the email's. Read from the contacts core int_contacts_unioned, before
    any retention filter. Alerts should compare only rows where has_complete_trailing_4w is
    true (a complete week with four complete weeks before it).
-#}
{%- set trailing_weeks = var('sentiment_trailing_weeks') -%}
{%- if trailing_weeks != 4 -%}
    {{ exceptions.raise_compiler_error(
        "var sentiment_trailing_weeks is " ~ trailing_weeks ~ " but the columns are named "
        ~ "trailing_4w_*: rename them (and bump rpt_sentiment_trends' contract) first."
    ) }}
{%- endif -%}
with

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
    where contact_type in ('chat', 'email')
),

extracts as (
    select * from {{ ref('stg_landing__extracts') }}
),

extract_window as (
    select min(window_start_date) as window_start_date
    from extracts
),

contact_weeks as (
    select
        contacts.channel,
        contacts.sentiment_label,
        contacts.sentiment_compound,
        {{ iso_week_start('contacts.contact_date') }} as week_start_date
    from contacts
),

week_bounds as (
    select
        min(week_start_date) as first_week_start_date,
        {{ iso_week_start(reporting_date(as_of_at())) }} as last_week_start_date
    from contact_weeks
),

weeks as (
    {{ date_spine(
        'week',
        '(select first_week_start_date from week_bounds)',
        "(select " ~ dbt.dateadd('day', 7, 'last_week_start_date') ~ " from week_bounds)"
    ) }}
),

channels as (
    select distinct channel from contact_weeks
),

weekly_counts as (
    select
        week_start_date,
        channel,
        count(*) as conversations,
        count(case when sentiment_label = 'positive' then 1 end) as positive_conversations,
        count(case when sentiment_label = 'neutral' then 1 end) as neutral_conversations,
        count(case when sentiment_label = 'negative' then 1 end) as negative_conversations,
        count(sentiment_compound) as scored_conversations,
        -- Summed as a decimal: exact, so the rounded average does not depend on row order
        -- (a double sum in another order can flip the fourth decimal).
        sum(cast(sentiment_compound as decimal(18, 6))) as sentiment_compound_sum
    from contact_weeks
    group by week_start_date, channel
),

week_channels as (
    select
        weeks.date_week as week_start_date,
        channels.channel,
        coalesce(weekly_counts.conversations, 0) as conversations,
        coalesce(weekly_counts.positive_conversations, 0) as positive_conversations,
        coalesce(weekly_counts.neutral_conversations, 0) as neutral_conversations,
        coalesce(weekly_counts.negative_conversations, 0) as negative_conversations,
        coalesce(weekly_counts.scored_conversations, 0) as scored_conversations,
        coalesce(weekly_counts.sentiment_compound_sum, 0) as sentiment_compound_sum,
        -- Whole reporting week inside the extract window and before the as-of instant.
        (
            weeks.date_week >= extract_window.window_start_date
            and {{ reporting_day_start(dbt.dateadd('day', 7, 'weeks.date_week')) }}
            <= {{ dbt.dateadd('second', 1, as_of_at()) }}
        ) as is_complete_week
    from weeks
    cross join channels
    cross join extract_window
    left outer join weekly_counts
        on
            weeks.date_week = weekly_counts.week_start_date
            and channels.channel = weekly_counts.channel
),

trailing_windows as (
    select
        *,
        sum(conversations) over trailing_4w as trailing_4w_conversations,
        sum(negative_conversations) over trailing_4w as trailing_4w_negative_conversations,
        sum(scored_conversations) over trailing_4w as trailing_4w_scored_conversations,
        sum(sentiment_compound_sum) over trailing_4w as trailing_4w_sentiment_compound_sum,
        count(case when is_complete_week then 1 end) over trailing_4w as trailing_complete_weeks
    from week_channels
    window trailing_4w as (
        partition by channel
        order by week_start_date
        rows between {{ trailing_weeks }} preceding and 1 preceding
    )
),

shares as (
    select
        *,
        round(cast(negative_conversations as double) / nullif(conversations, 0), 4)
            as negative_share,
        round(cast(positive_conversations as double) / nullif(conversations, 0), 4)
            as positive_share,
        round(cast(neutral_conversations as double) / nullif(conversations, 0), 4)
            as neutral_share,
        round(cast(sentiment_compound_sum as double) / nullif(scored_conversations, 0), 4)
            as average_sentiment_compound,
        round(
            cast(trailing_4w_negative_conversations as double)
            / nullif(trailing_4w_conversations, 0), 4
        ) as trailing_4w_negative_share,
        round(
            cast(trailing_4w_sentiment_compound_sum as double)
            / nullif(trailing_4w_scored_conversations, 0), 4
        ) as trailing_4w_average_sentiment_compound
    from trailing_windows
),

final as (
    select
        {{ surrogate_key(['week_start_date', 'channel']) }} as sentiment_trend_id,
        {{ iso_week_key('week_start_date') }} as iso_week,
        channel,
        conversations,
        positive_conversations,
        neutral_conversations,
        negative_conversations,
        positive_share,
        neutral_share,
        negative_share,
        average_sentiment_compound,
        cast(coalesce(trailing_4w_conversations, 0) as bigint) as trailing_4w_conversations,
        trailing_4w_negative_share,
        trailing_4w_average_sentiment_compound,
        round(negative_share - trailing_4w_negative_share, 4) as negative_share_change,
        round(negative_share / nullif(trailing_4w_negative_share, 0) - 1, 4)
            as negative_share_relative_change,
        round(average_sentiment_compound - trailing_4w_average_sentiment_compound, 4)
            as average_sentiment_compound_change,
        is_complete_week,
        (is_complete_week and trailing_complete_weeks = {{ trailing_weeks }})
            as has_complete_trailing_4w,
        week_start_date
    from shares
)

select * from final
