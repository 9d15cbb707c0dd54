{#- Restricted: raw contact details of valid customers, keyed by customer_id and the hash keys
    that staging publishes, for authorised lookups only. -#}
with

customers as (
    select * from {{ ref('base_support__customers') }}
    where reject_reason is null
),

final as (
    select
        customer_id,
        {{ hash_pii('email', 'email') }} as email_hash,
        {{ hash_pii('phone', 'phone') }} as phone_hash,
        {{ hash_pii('cpf', 'digits') }} as cpf_hash,
        customer_name,
        email,
        phone,
        cpf,
        first_name,
        last_name,
        address_line1,
        city,
        postal_code,
        birth_date
    from customers
)

select * from final
