{#-
    Every valid conversation's message_count equals its rows in stg_chat__messages (no message
    lost or invented by the unnest). Returns the conversations where they differ.
-#}
with

conversations as (
    select * from {{ ref('stg_chat__conversations') }}
),

messages as (
    select * from {{ ref('stg_chat__messages') }}
),

staged_message_counts as (
    select
        conversation_id,
        count(*) as staged_message_count
    from messages
    group by conversation_id
),

final as (
    select
        conversations.conversation_id,
        conversations.message_count,
        coalesce(staged_message_counts.staged_message_count, 0) as staged_message_count
    from conversations
    left outer join staged_message_counts
        on conversations.conversation_id = staged_message_counts.conversation_id
    where conversations.message_count != coalesce(staged_message_counts.staged_message_count, 0)
)

select * from final
