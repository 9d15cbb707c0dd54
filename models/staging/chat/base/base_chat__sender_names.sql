{#-
    Ephemeral, raw: for each valid conversation whose customer the customer file knows (by
    customer id or by email), one regular expression of the customer's name words;
    stg_chat__messages replaces them with [NAME] in every message of the conversation.
-#}
with

chats as (
    select
        conversation_id,
        customer_id,
        lower(customer_email) as customer_email
    from {{ ref('base_chat__chats') }}
    where reject_reason is null
),

customers as (
    select
        customer_id,
        lower(email) as email,
        customer_name
    from {{ ref('base_support__customers') }}
    where reject_reason is null
),

-- Two equality joins, not one join on "id or email": an "or" join compares every chat with
-- every customer (hours at a year of traffic).
sender_names as (
    select
        chats.conversation_id,
        customers.customer_name
    from chats
    inner join customers
        on chats.customer_id = customers.customer_id
    union
    select
        chats.conversation_id,
        customers.customer_name
    from chats
    inner join customers
        on chats.customer_email = customers.email
),

final as (
    {{ select_sender_name_patterns('sender_names', 'conversation_id') }}
)

select * from final
