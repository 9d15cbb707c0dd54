with

companies as (
    select * from {{ ref('base_support__companies') }}
    where reject_reason is null
),

final as (
    select
        company_id,
        {{ hash_pii('cnpj', 'digits') }} as cnpj_hash,
        company_name,
        {{ mask_document('cnpj') }} as cnpj_masked,
        segment,
        company_size,
        status,
        region,
        monthly_transaction_volume,
        crm_churn_risk_score,
        contract_start_date
    from companies
)

select * from final
