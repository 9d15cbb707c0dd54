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
    select
        customer_id,
        company_id,
        negative_window_days,
        technical_window_days,
        contacts_in_negative_window,
        negative_contacts_in_window,
        negative_chat_conversations_in_window,
        technical_issues_in_window,
        contacts_to_date,
        has_negative_sentiment,
        has_repeated_technical_issues,
        is_high_risk,
        last_negative_contact_at,
        last_technical_issue_at,
        last_contact_at,
        as_of_at
    from customer_risk_signals
)

select * from final
