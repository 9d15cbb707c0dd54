{#-
    What needs a person: every chat conversation and email whose automatic labels are not
    trusted (needs_human_review: no intent found, or intent or sentiment confidence below
    var('review_confidence_threshold')), oldest first (queue_position 1 = waited longest).
    A view, so it always reflects the facts it reads.
-#}
{{ config(materialized='view') }}
{%- set threshold = var('review_confidence_threshold') -%}
with

chat_conversations as (
    select * from {{ ref('fct_chat_conversations') }}
    where needs_human_review
),

emails as (
    select * from {{ ref('fct_emails') }}
    where needs_human_review
),

as_of as (
    select {{ as_of_at() }} as as_of_at
),

review_items as (
    select
        'chat' as source_type,
        chat_conversations.conversation_id as source_id,
        chat_conversations.customer_id,
        chat_conversations.channel,
        chat_conversations.intent,
        chat_conversations.sentiment_label,
        coalesce(chat_conversations.suggested_queue, 'triage') as suggested_queue,
        chat_conversations.intent_confidence,
        chat_conversations.sentiment_confidence,
        chat_conversations.started_at as queued_at
    from chat_conversations
    union all
    select
        'email' as source_type,
        emails.email_id as source_id,
        emails.customer_id,
        'EMAIL' as channel,
        emails.intent,
        emails.sentiment_label,
        emails.suggested_queue,
        emails.intent_confidence,
        emails.sentiment_confidence,
        emails.received_at as queued_at
    from emails
),

aged as (
    select
        review_items.*,
        {{ dbt.datediff('review_items.queued_at', 'as_of.as_of_at', 'minute') }}
            as waiting_minutes
    from review_items
    cross join as_of
),

final as (
    select
        source_type || ':' || source_id as review_item_id,
        source_type,
        source_id,
        customer_id,
        channel,
        intent,
        sentiment_label,
        suggested_queue,
        -- Why the item is here: one or more reasons, comma-separated.
        concat_ws(
            ', ',
            case when intent is null then 'no_intent' end,
            case when intent_confidence < {{ threshold }} then 'low_intent_confidence' end,
            case
                when coalesce(sentiment_confidence, 0) < {{ threshold }}
                    then 'low_sentiment_confidence'
            end
        ) as review_reasons,
        row_number() over (order by queued_at, source_type, source_id) as queue_position,
        intent_confidence,
        sentiment_confidence,
        round(cast(waiting_minutes as double) / 60, 1) as waiting_hours,
        queued_at
    from aged
)

select * from final
order by queue_position
