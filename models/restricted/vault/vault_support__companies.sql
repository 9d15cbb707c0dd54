{#- Restricted: the raw CNPJ of valid companies, keyed by company_id and the hash key that
    staging publishes, for authorised lookups only. -#}
with

companies as (
    select * from {{ ref('base_support__companies') }}
    where reject_reason is null
),

final as (
    select
        company_id,
        {{ hash_pii('cnpj', 'digits') }} as cnpj_hash,
        cnpj
    from companies
)

select * from final
