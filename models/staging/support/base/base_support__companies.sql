{#- Ephemeral: types the raw companies and decides each row's reject_reason (null = valid). -#}
with

companies as (
    select * from {{ source('support', 'companies') }}
),

typed as (
    select
        {{ source_load('companies') }} as source_load,
        companies.file_row_number as source_row_number,
        {{ row_to_json('companies') }} as raw_record,
        nullif(trim(companies.company_id), '') as company_id,
        nullif(trim(companies.company_name), '') as company_name,
        nullif(trim(companies.cnpj), '') as cnpj,
        nullif(upper(trim(companies.segment)), '') as segment,
        nullif(upper(trim(companies.company_size)), '') as company_size,
        nullif(upper(trim(companies.status)), '') as status,
        nullif(upper(trim(companies.region)), '') as region,
        try_cast(companies.monthly_transaction_volume as decimal(14, 2))
            as monthly_transaction_volume,
        try_cast(companies.churn_risk_score as double) as crm_churn_risk_score,
        try_cast(companies.contract_start_date as date) as contract_start_date
    from companies
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('missing_required', "company_id is null or company_name is null
                or contract_start_date is null or status is null"),
            ('unknown_enum', "segment not in ('RETAIL', 'FOOD_SERVICE', 'SERVICES', 'HEALTHCARE',
                'EDUCATION', 'TECHNOLOGY', 'HOSPITALITY')
                or company_size not in ('MICRO', 'SMALL', 'MEDIUM', 'LARGE', 'ENTERPRISE')
                or status not in ('ACTIVE', 'INACTIVE', 'SUSPENDED')
                or region not in ('NORTH', 'NORTHEAST', 'MIDWEST', 'SOUTHEAST', 'SOUTH')"),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['company_id']) }} as reject_reason
    from checked
)

select * from final
