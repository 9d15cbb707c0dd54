with

messages as (
    select * from {{ ref('base_chat__messages') }}
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
            redact_pii_text('messages.message_text'), 'sender_names.sender_name_pattern'
        ) }} as message_text_redacted,
        messages.message_index,
        messages.sent_at
    from messages
    left outer join sender_names
        on messages.conversation_id = sender_names.conversation_id
)

select * from final
