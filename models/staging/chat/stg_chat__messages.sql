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
    select
        *,
        -- Contact details redacted once per text; the customer's name words next (final).
        {{ redact_pii_text('message_text') }} as message_text_contact_redacted
    from {{ ref('base_chat__messages') }}
    where {{ new_loads_only('source_load') }}
),

sender_names as (
    select * from {{ ref('base_chat__sender_names') }}
),

final as (
    select
        messages.message_id,
        messages.conversation_id,
        messages.agent_id,
        messages.sender_role,
        -- Contact details first, then the customer's own name words (the customer file's).
        {{ redact_sender_names(
            'messages.message_text_contact_redacted', 'sender_names.sender_name_pattern',
            'sender_names.sender_name_words'
        ) }} as message_text_redacted,
        messages.message_index,
        messages.source_load,
        messages.sent_at
    from messages
    left outer join sender_names
        on messages.conversation_id = sender_names.conversation_id
)

select * from final
