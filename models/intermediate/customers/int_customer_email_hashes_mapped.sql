{#-
    One row per email hash that points to exactly one support customer, and how: `email_hash`
    when it is the customer's own address (a hash shared by several customers is not used),
    `identity_resolution` when it is only the address of incoming CRM records that identity
    resolution linked to that customer (and to no other). Chats and emails find their sender's
    customer through it.
-#}
with

customers as (
    select * from {{ ref('stg_support__customers') }}
),

incoming_customers as (
    select * from {{ ref('stg_crm__incoming_customers') }}
),

records_resolved as (
    select * from {{ ref('int_customer_records_resolved') }}
),

own_email_hashes as (
    select
        email_hash,
        min(customer_id) as customer_id
    from customers
    where email_hash is not null
    group by email_hash
    having count(*) = 1
),

linked_email_hashes as (
    select
        incoming_customers.email_hash,
        min(records_resolved.customer_id) as customer_id
    from incoming_customers
    inner join records_resolved
        on
            records_resolved.source_system = 'crm'
            and incoming_customers.incoming_id = records_resolved.source_record_id
    -- A support customer's own address (even an ambiguous one) is never re-linked this way.
    anti join customers
        on incoming_customers.email_hash = customers.email_hash
    where
        records_resolved.resolution = 'linked'
        and incoming_customers.email_hash is not null
    group by incoming_customers.email_hash
    having count(distinct records_resolved.customer_id) = 1
),

final as (
    select
        email_hash,
        customer_id,
        'email_hash' as customer_match_method
    from own_email_hashes
    union all
    select
        email_hash,
        customer_id,
        'identity_resolution' as customer_match_method
    from linked_email_hashes
)

select * from final
