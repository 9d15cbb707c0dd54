{#-
    One row per chat conversation with the support customer it belongs to: the chat's own
    customer_id when the ticketing system knows it, else the customer whose email hash equals
    the chat's customer_email_hash (exact match on the salted hash; an email hash shared by
    several customers is not used). Identity resolution may later add fuzzier matches.
-#}
with

conversations as (
    select * from {{ ref('stg_chat__conversations') }}
),

customers as (
    select * from {{ ref('stg_support__customers') }}
),

customer_ids as (
    select customer_id from customers
),

unambiguous_email_hashes as (
    select
        email_hash,
        min(customer_id) as customer_id
    from customers
    where email_hash is not null
    group by email_hash
    having count(*) = 1
),

final as (
    select
        conversations.conversation_id,
        coalesce(customer_ids.customer_id, unambiguous_email_hashes.customer_id) as customer_id,
        case
            when customer_ids.customer_id is not null then 'customer_id'
            when unambiguous_email_hashes.customer_id is not null then 'email_hash'
            else 'unmatched'
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
    left outer join unambiguous_email_hashes
        on conversations.customer_email_hash = unambiguous_email_hashes.email_hash
)

select * from final
