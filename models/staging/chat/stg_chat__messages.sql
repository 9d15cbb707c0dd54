{#- Stored, incremental (append by load): the messages of the conversations of the loads not
    stored yet, unnested and redacted once, so tests and readers do not re-parse the JSON. A
    conversation a later erasure request removes from base_chat__chats loses its messages
    here (post-hook). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ erase_orphaned_rows('conversation_id', 'base_chat__chats',
        'parent_rows.reject_reason is null') }}",
) }}
with

messages as (
    select * from {{ ref('base_chat__messages') }}
    where {{ new_loads_only('source_load') }}
),

final as (
    select
        message_id,
        conversation_id,
        agent_id,
        sender_role,
        {{ redact_pii_text('message_text') }} as message_text_redacted,
        message_index,
        source_load,
        sent_at
    from messages
)

select * from final
