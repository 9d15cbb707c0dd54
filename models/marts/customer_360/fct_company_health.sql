{#-
    One row per company as of the as-of instant: the churn scorecard (components, weighted
    churn risk score, tiers and top reasons) of the company health core
    int_companies_churn_scored, under the mart's contract.
-#}
with

company_health as (
    select * from {{ ref('int_companies_churn_scored') }}
),

final as (
    select * from company_health
)

select * from final
