{{ config(enabled=target.type == 'spark' and var('spark_disable_python_models', true),
    materialized='table') }}
{#- Spark only: int_chat_conversations_scored.py as SQL. Each conversation's messages are
    collected into one ordered array (on the executors) and scored by
    cx_chat_conversation_scores, the same scoring (cx_warehouse.python_models
    .conversation_scores) registered by cx_warehouse.spark_udfs (DECISIONS.md, "The Python
    steps on Spark"). The input hash is the Python model's: the messages' index, sender role
    and md5 of the redacted text, in message order. -#}
with

messages as (
    select * from {{ ref('stg_chat__messages') }}
),

message_scores as (
    select * from {{ ref('int_chat_messages_scored') }}
),

code as (
    select cx_code_version('enrichment') as code_version
),

messages_scored as (
    select
        messages.conversation_id,
        named_struct(
            'message_index', messages.message_index,
            'sender_role', messages.sender_role,
            'message_text_redacted', messages.message_text_redacted,
            'sentiment_compound', message_scores.sentiment_compound
        ) as message,
        named_struct(
            'message_index', messages.message_index,
            'content', concat_ws(
                chr(30),
                cast(messages.message_index as string),
                messages.sender_role,
                coalesce(md5(messages.message_text_redacted), '')
            )
        ) as message_content
    from messages
    left outer join message_scores
        on messages.message_id = message_scores.message_id
),

conversations as (
    select
        messages_scored.conversation_id,
        array_sort(collect_list(messages_scored.message)) as messages,
        array_join(
            transform(
                array_sort(collect_list(messages_scored.message_content)),
                message_content -> message_content.content
            ),
            chr(29)
        ) as content
    from messages_scored
    group by messages_scored.conversation_id
),

scored as (
    select
        conversations.conversation_id,
        cx_chat_conversation_scores(conversations.messages) as scores,
        {{ scored_input_md5('code.code_version', 'conversations.content') }}
            as scored_input_md5
    from conversations
    cross join code
),

final as (
    select
        scored.conversation_id,
        scored.scores.*,
        scored.scored_input_md5
    from scored
)

select * from final
