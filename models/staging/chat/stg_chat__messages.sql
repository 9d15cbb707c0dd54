with

messages as (
    select * from {{ ref('base_chat__messages') }}
),

final as (
    select
        message_id,
        conversation_id,
        agent_id,
        sender_role,
        {{ redact_pii_text('message_text') }} as message_text_redacted,
        message_index,
        sent_at
    from messages
)

select * from final
