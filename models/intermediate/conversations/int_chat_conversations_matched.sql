{#-
    One row per chat conversation with the support customer it belongs to: the chat's own
    customer_id when the ticketing system knows it, else through the chat's customer_email_hash
    (int_customer_email_hashes_mapped): the customer's own address (`email_hash`), else an
    address of incoming CRM records linked to the customer (`identity_resolution`).
-#}
with

conversations as (
    select * from {{ ref('stg_chat__conversations') }}
),

customers as (
    select * from {{ ref('stg_support__customers') }}
),

email_hashes_mapped as (
    select * from {{ ref('int_customer_email_hashes_mapped') }}
),

customer_ids as (
    select customer_id from customers
),

final as (
    select
        conversations.conversation_id,
        coalesce(customer_ids.customer_id, email_hashes_mapped.customer_id) as customer_id,
        case
            when customer_ids.customer_id is not null then 'customer_id'
            else coalesce(email_hashes_mapped.customer_match_method, 'unmatched')
        end as customer_match_method,
        conversations.channel,
        conversations.queue_name,
        conversations.customer_locale,
        conversations.schema_version,
        conversations.csat_score,
        conversations.started_at,
        conversations.ended_at
    from conversations
    left outer join customer_ids
        on conversations.customer_id = customer_ids.customer_id
    left outer join email_hashes_mapped
        on conversations.customer_email_hash = email_hashes_mapped.email_hash
)

select * from final
