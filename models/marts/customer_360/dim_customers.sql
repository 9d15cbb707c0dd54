{#-
    The customer-360: one row per customer identity (dim_customer_identities) as of the as-of
    instant, with its masked golden contact details, purchases and RFM segment, support history,
    conversations and churn risk. Metrics join through the identity's support customer_id (the
    key tickets, chats, emails and receipts carry); a person known only from the CRM has none
    yet. The churn risk score and tier are the company's (int_companies_churn_scored, published
    as fct_company_health), carried to each of its people; is_high_risk is the person's own
    high-risk flag (negative sentiment and repeated technical issues,
    int_customer_risk_signals_aggregated). dim_customer_identities is read as a dimension.
-#}
with

customer_identities as (
    select * from {{ ref('dim_customer_identities') }}
),

customers_rfm as (
    select * from {{ ref('int_customers_rfm_scored') }}
),

customer_support as (
    select * from {{ ref('int_customer_support_summarised') }}
),

company_health as (
    select * from {{ ref('int_companies_churn_scored') }}
),

customer_risk_signals as (
    select * from {{ ref('int_customer_risk_signals_aggregated') }}
),

final as (
    select
        customer_identities.customer_identity_id,
        customer_identities.customer_id,
        customer_identities.company_id,
        customer_identities.display_name_masked,
        customer_identities.email_masked,
        customer_identities.phone_masked,
        customer_identities.company_name,
        coalesce(customers_rfm.rfm_segment, 'no_purchases') as rfm_segment,
        customers_rfm.rfm_cell,
        company_health.churn_risk_tier,
        customers_rfm.top_categories,
        coalesce(customers_rfm.lifetime_spend, 0) as lifetime_spend,
        cast(coalesce(customers_rfm.order_count, 0) as integer) as order_count,
        customers_rfm.average_order_value,
        coalesce(customers_rfm.visits_per_month, 0) as visits_per_month,
        cast(customers_rfm.recency_days as integer) as recency_days,
        customers_rfm.rfm_recency_score,
        customers_rfm.rfm_frequency_score,
        customers_rfm.rfm_monetary_score,
        cast(coalesce(customer_support.ticket_count, 0) as integer) as ticket_count,
        cast(coalesce(customer_support.open_ticket_count, 0) as integer) as open_ticket_count,
        cast(coalesce(customer_support.sla_breached_ticket_count, 0) as integer)
            as sla_breached_ticket_count,
        customer_support.avg_csat_score,
        cast(coalesce(customer_support.csat_response_count, 0) as integer)
            as csat_response_count,
        customer_support.net_promoter_score,
        cast(coalesce(customer_support.nps_response_count, 0) as integer)
            as nps_response_count,
        cast(coalesce(customer_support.chat_count, 0) as integer) as chat_count,
        cast(coalesce(customer_support.email_count, 0) as integer) as email_count,
        customer_support.average_sentiment_compound,
        cast(coalesce(customer_support.negative_contact_count, 0) as integer)
            as negative_contact_count,
        company_health.churn_risk_score,
        customer_identities.is_new_customer,
        customers_rfm.customer_id is not null as has_purchases,
        coalesce(customer_risk_signals.is_high_risk, false) as is_high_risk,
        coalesce(company_health.is_high_risk, false) as is_company_high_risk,
        customers_rfm.first_purchase_at,
        customers_rfm.last_purchase_at,
        customer_support.last_ticket_at,
        customer_support.last_conversation_at,
        {{ as_of_at() }} as as_of_at
    from customer_identities
    left outer join customers_rfm
        on customer_identities.customer_id = customers_rfm.customer_id
    left outer join customer_support
        on customer_identities.customer_id = customer_support.customer_id
    left outer join company_health
        on customer_identities.company_id = company_health.company_id
    left outer join customer_risk_signals
        on customer_identities.customer_id = customer_risk_signals.customer_id
)

select * from final
