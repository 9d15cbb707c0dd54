{#- Restricted: raw contact details of the valid incoming customer records, keyed by the source
    id and the same hash keys as stg_crm__incoming_customers, for authorised use only. -#}
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
        contact_name,
        first_name,
        last_name,
        email,
        phone,
        address_line1,
        cpf,
        birth_date
    from incoming_customers
)

select * from final
