{#-
    One row per message of the chat conversations in fct_chat_conversations, with its
    redacted text and its scores (VADER sentiment, the message's own intent cues).
-#}
with

messages as (
    select * from {{ ref('stg_chat__messages') }}
),

scores as (
    select * from {{ ref('int_chat_messages_scored') }}
),

conversations as (
    select * from {{ ref('int_chat_conversations_matched') }}
    where started_at <= {{ as_of_at() }} and {{ is_retained('started_at', 'curated') }}
),

final as (
    select
        messages.message_id,
        messages.conversation_id,
        conversations.customer_id,
        messages.agent_id,
        conversations.channel,
        messages.sender_role,
        messages.message_text_redacted,
        scores.sentiment_label,
        scores.intent,
        messages.message_index,
        scores.sentiment_compound,
        scores.sentiment_confidence,
        scores.intent_confidence,
        scores.is_technical_issue,
        messages.sent_at
    from messages
    inner join conversations
        on messages.conversation_id = conversations.conversation_id
    inner join scores
        on messages.message_id = scores.message_id
)

select * from final
