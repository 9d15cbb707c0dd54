{#-
    One row per chat conversation: message counts by sender role and the timing of the first
    exchange. The first agent response is the first AGENT message sent after the customer's
    first message (bot messages do not count as a response).
-#}
with

messages as (
    select * from {{ ref('stg_chat__messages') }}
),

first_customer_messages as (
    select
        conversation_id,
        min(sent_at) as first_customer_message_at
    from messages
    where sender_role = 'CUSTOMER'
    group by conversation_id
),

first_agent_responses as (
    select
        messages.conversation_id,
        min(messages.sent_at) as first_agent_response_at
    from messages
    inner join first_customer_messages
        on messages.conversation_id = first_customer_messages.conversation_id
    where
        messages.sender_role = 'AGENT'
        and messages.sent_at >= first_customer_messages.first_customer_message_at
    group by messages.conversation_id
),

message_counts as (
    select
        conversation_id,
        count(*) as message_count,
        count(case when sender_role = 'CUSTOMER' then 1 end) as customer_message_count,
        count(case when sender_role = 'AGENT' then 1 end) as agent_message_count,
        count(case when sender_role = 'BOT' then 1 end) as bot_message_count,
        count(distinct agent_id) as agent_count,
        max(sent_at) as last_message_at
    from messages
    group by conversation_id
),

final as (
    select
        message_counts.conversation_id,
        message_counts.message_count,
        message_counts.customer_message_count,
        message_counts.agent_message_count,
        message_counts.bot_message_count,
        message_counts.agent_count,
        {{ dbt.datediff(
            'first_customer_messages.first_customer_message_at',
            'first_agent_responses.first_agent_response_at',
            'second'
        ) }} as first_agent_response_seconds,
        first_customer_messages.first_customer_message_at,
        first_agent_responses.first_agent_response_at,
        message_counts.last_message_at
    from message_counts
    left outer join first_customer_messages
        on message_counts.conversation_id = first_customer_messages.conversation_id
    left outer join first_agent_responses
        on message_counts.conversation_id = first_agent_responses.conversation_id
)

select * from final
