{#- Contact details leave staging only hashed (join keys) and masked (for display); the raw
    values are in the restricted vault (vault_crm__incoming_customers). -#}
with

incoming_customers as (
    select * from {{ ref('base_crm__incoming_customers') }}
    where reject_reason is null
),

final as (
    select
        incoming_id,
        {{ hash_pii('email', 'email') }} as email_hash,
        {{ hash_pii('phone', 'phone') }} as phone_hash,
        {{ hash_pii('cpf', 'digits') }} as cpf_hash,
        company_name,
        {{ normalize_company_name('company_name') }} as company_name_normalized,
        {{ mask_name('contact_name') }} as contact_name_masked,
        {{ mask_email('email') }} as email_masked,
        case
            when {{ is_valid_email('email') }}
                then {{ dbt.split_part(normalize_email('email'), "'@'", 2) }}
        end as email_domain,
        {{ mask_phone('phone') }} as phone_masked,
        city,
        state,
        postal_code,
        country,
        industry,
        cast(extract(year from birth_date) as integer) as birth_year,
        coalesce({{ is_valid_email('email') }}, false) as is_email_valid,
        received_at
    from incoming_customers
)

select * from final
