with

chats as (
    select * from {{ ref('base_chat__chats') }}
    where reject_reason is null
),

final as (
    select
        conversation_id,
        customer_id,
        {{ hash_pii('customer_email', 'email') }} as customer_email_hash,
        {{ mask_email('customer_email') }} as customer_email_masked,
        channel,
        customer_locale,
        queue_name,
        schema_version,
        message_count,
        csat_score,
        started_at,
        ended_at
    from chats
)

select * from final
