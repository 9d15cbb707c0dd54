{#-
    The chat conversation core: one row per chat conversation started up to the as-of instant
    (no retention filter: fct_chat_conversations applies the curated window): who, where, how
    long, how the customer felt (start, end, overall and the change), what it was about and
    whether a person should check the automatic labels (macros/conversations/human_review.sql).
    started_date is the reporting date (var reporting_timezone) of started_at.
-#}
{{ config(materialized='table') }}
with

conversations as (
    select * from {{ ref('int_chat_conversations_matched') }}
    where started_at <= {{ as_of_at() }}
),

summaries as (
    select * from {{ ref('int_chat_conversations_summarised') }}
),

scores as (
    select * from {{ ref('int_chat_conversations_scored') }}
),

conversation_intents as (
    select * from {{ ref('conversation_intents') }}
),

final as (
    select
        conversations.conversation_id,
        conversations.customer_id,
        conversations.customer_match_method,
        conversations.channel,
        conversations.queue_name,
        scores.intent,
        conversation_intents.routing_queue as suggested_queue,
        scores.sentiment_label,
        scores.start_sentiment_label,
        scores.end_sentiment_label,
        scores.key_phrases,
        {{ human_review_reasons(
            'scores.intent', 'scores.intent_confidence', 'scores.sentiment_confidence'
        ) }} as human_review_reasons,
        summaries.message_count,
        summaries.customer_message_count,
        summaries.agent_message_count,
        summaries.bot_message_count,
        summaries.agent_count,
        {{ dbt.datediff('conversations.started_at', 'conversations.ended_at', 'second') }}
            as duration_seconds,
        summaries.first_agent_response_seconds,
        conversations.csat_score,
        scores.intent_confidence,
        scores.sentiment_compound,
        scores.sentiment_confidence,
        scores.start_sentiment_compound,
        scores.end_sentiment_compound,
        round(scores.end_sentiment_compound - scores.start_sentiment_compound, 4)
            as sentiment_change,
        scores.is_technical_issue,
        conversations.ended_at is null as is_open,
        {{ needs_human_review(
            'scores.intent', 'scores.intent_confidence', 'scores.sentiment_confidence'
        ) }} as needs_human_review,
        {{ reporting_date('conversations.started_at') }} as started_date,
        conversations.started_at,
        conversations.ended_at,
        summaries.first_agent_response_at
    from conversations
    inner join summaries
        on conversations.conversation_id = summaries.conversation_id
    inner join scores
        on conversations.conversation_id = scores.conversation_id
    left outer join conversation_intents
        on scores.intent = conversation_intents.intent
)

select * from final
