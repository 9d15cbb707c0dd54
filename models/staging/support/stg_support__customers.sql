with

customers as (
    select * from {{ ref('base_support__customers') }}
    where reject_reason is null
),

final as (
    select
        customer_id,
        company_id,
        {{ hash_pii('email', 'email') }} as email_hash,
        {{ hash_pii('phone', 'phone') }} as phone_hash,
        {{ hash_pii('cpf', 'digits') }} as cpf_hash,
        {{ mask_name('customer_name') }} as customer_name_masked,
        {{ mask_email('email') }} as email_masked,
        lower({{ dbt.split_part('email', "'@'", 2) }}) as email_domain,
        {{ mask_phone('phone') }} as phone_masked,
        {{ mask_document('cpf') }} as cpf_masked,
        role,
        cast(extract(year from birth_date) as integer) as birth_year,
        created_at
    from customers
)

select * from final
