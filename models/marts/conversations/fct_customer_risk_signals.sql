{#-
    One row per support customer: the conversation signals of the churn scorecard and the
    high-risk flag (negative sentiment together with repeated technical issues) as of the
    as-of instant, from the risk-signals core int_customer_risk_signals_aggregated.
-#}
with

customer_risk_signals as (
    select * from {{ ref('int_customer_risk_signals_aggregated') }}
),

final as (
    select * from customer_risk_signals
)

select * from final
