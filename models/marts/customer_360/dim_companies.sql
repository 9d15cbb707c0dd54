{#-
    One row per merchant company: its CRM attributes (CNPJ masked), how many people and tickets
    it has (ticket_count: all tickets to date), and its churn scorecard summary as of the as-of
    instant (the company health core int_companies_churn_scored; fct_company_health has the
    components), with the CRM's own churn score beside ours.
-#}
with

companies as (
    select * from {{ ref('stg_support__companies') }}
),

company_signals as (
    select * from {{ ref('int_company_signals_aggregated') }}
),

company_health as (
    select * from {{ ref('int_companies_churn_scored') }}
),

final as (
    select
        companies.company_id,
        companies.company_name,
        companies.cnpj_masked,
        companies.segment,
        companies.company_size,
        companies.region,
        companies.status,
        company_health.churn_risk_tier,
        company_health.crm_churn_risk_tier,
        company_health.top_risk_reasons,
        cast(companies.monthly_transaction_volume as decimal(14, 2))
            as monthly_transaction_volume,
        company_health.churn_risk_score,
        company_health.health_score,
        companies.crm_churn_risk_score,
        cast(company_signals.customer_count as integer) as customer_count,
        cast(company_signals.high_risk_customer_count as integer) as high_risk_customer_count,
        cast(company_signals.ticket_count_to_date as integer) as ticket_count,
        cast(company_signals.open_ticket_count as integer) as open_ticket_count,
        companies.status = 'ACTIVE' as is_active,
        company_health.is_high_risk,
        companies.contract_start_date,
        company_health.as_of_at
    from companies
    inner join company_signals
        on companies.company_id = company_signals.company_id
    inner join company_health
        on companies.company_id = company_health.company_id
)

select * from final
