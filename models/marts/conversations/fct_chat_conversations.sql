{#-
    One row per chat conversation started up to the as-of instant and inside the curated
    retention window (var retention_days): the chat conversation core
    int_chat_conversations_enriched under the mart's contract.
-#}
with

chat_conversations as (
    select * from {{ ref('int_chat_conversations_enriched') }}
    where {{ is_retained('started_at', 'curated') }}
),

final as (
    select
        conversation_id,
        customer_id,
        customer_match_method,
        channel,
        queue_name,
        intent,
        suggested_queue,
        sentiment_label,
        start_sentiment_label,
        end_sentiment_label,
        key_phrases,
        message_count,
        customer_message_count,
        agent_message_count,
        bot_message_count,
        agent_count,
        duration_seconds,
        first_agent_response_seconds,
        csat_score,
        intent_confidence,
        sentiment_compound,
        sentiment_confidence,
        start_sentiment_compound,
        end_sentiment_compound,
        sentiment_change,
        is_technical_issue,
        is_open,
        needs_human_review,
        started_date,
        started_at,
        ended_at,
        first_agent_response_at
    from chat_conversations
)

select * from final
