{{ config(enabled=target.type == 'spark' and var('spark_disable_python_models', true),
    materialized='table') }}
{#- Spark only: int_chat_messages_scored.py as SQL. cx_chat_message_scores is the same scoring
    (cx_warehouse.python_models.message_scores) registered by cx_warehouse.spark_udfs; its
    struct holds the Python model's columns in its order (DECISIONS.md, "The Python steps on
    Spark"). -#}
with

messages as (
    select * from {{ ref('stg_chat__messages') }}
),

code as (
    select cx_code_version('enrichment') as code_version
),

scored as (
    select
        messages.message_id,
        cx_chat_message_scores(messages.message_text_redacted) as scores,
        {{ scored_input_md5('code.code_version', 'messages.message_text_redacted') }}
            as scored_input_md5
    from messages
    cross join code
),

final as (
    select
        scored.message_id,
        scored.scores.*,
        scored.scored_input_md5
    from scored
)

select * from final
