{#- Ephemeral: every key a request erases, one row per (request, key type, normalised value).
    A request names a customer id, an email or both; the raw customer rows it names (by id or
    email, valid or not) add their id, email, phone and CPF; their raw tickets add the ticket
    ids and their raw receipts the card numbers. Keys are matched by is_erased(). -#}
{{ config(materialized='ephemeral') }}
with

erasure_requests as (
    select * from {{ ref('base_landing__erasure_requests') }}
),

customers as (
    select
        {{ erasure_key('customer_id', 'customer_id') }} as customer_id,
        {{ erasure_key('email', 'email') }} as email,
        {{ erasure_key('phone', 'phone') }} as phone,
        {{ erasure_key('cpf', 'cpf') }} as cpf
    from {{ source('support', 'customers') }}
),

tickets as (
    select
        {{ erasure_key('ticket_id', 'ticket_id') }} as ticket_id,
        {{ erasure_key('customer_id', 'customer_id') }} as customer_id
    from {{ source('support', 'tickets') }}
),

receipts as (
    select
        {{ erasure_key('customer_id', 'customer_id') }} as customer_id,
        {{ erasure_key('card', 'card_number') }} as card
    from {{ source('retail', 'receipts') }}
),

named_customers as (
    select
        erasure_requests.request_id,
        customers.customer_id,
        customers.email,
        customers.phone,
        customers.cpf
    from erasure_requests
    inner join customers
        on
            erasure_requests.customer_id = customers.customer_id
            or erasure_requests.email = customers.email
),

customer_ids as (
    select
        request_id,
        customer_id
    from erasure_requests
    union
    select
        request_id,
        customer_id
    from named_customers
),

keys as (
    select
        request_id,
        'customer_id' as key_type,
        customer_id as key_value
    from customer_ids
    union all
    select
        request_id,
        'email' as key_type,
        email as key_value
    from erasure_requests
    union all
    select
        request_id,
        'email' as key_type,
        email as key_value
    from named_customers
    union all
    select
        request_id,
        'phone' as key_type,
        phone as key_value
    from named_customers
    union all
    select
        request_id,
        'cpf' as key_type,
        cpf as key_value
    from named_customers
    union all
    select
        customer_ids.request_id,
        'ticket_id' as key_type,
        tickets.ticket_id as key_value
    from customer_ids
    inner join tickets
        on customer_ids.customer_id = tickets.customer_id
    union all
    select
        customer_ids.request_id,
        'card' as key_type,
        receipts.card as key_value
    from customer_ids
    inner join receipts
        on customer_ids.customer_id = receipts.customer_id
),

final as (
    select distinct
        request_id,
        key_type,
        key_value
    from keys
    where key_value is not null
)

select * from final
