{#-
    One row per company: every input of the churn scorecard as of the as-of instant, counted
    over the look-back window (var churn_lookback_days, 180) and, for trends, its recent part
    (var churn_recent_days, 90) against the days before. Peers are the companies of the same
    size band: ticket volume is compared with the band's mean ticket count, card volume with
    the band's geometric mean (log scale: the CRM's volumes vary by a factor, not a sum).
    high_risk_customer_count counts the company's people flagged high-risk (negative sentiment
    and repeated technical issues) by int_customer_risk_signals_aggregated (the one place that
    rule is computed). Open tickets: the ticket core's is_open; urgent tickets: the priorities
    of var churn_urgent_priorities. Tickets from the ticket core int_tickets_enriched,
    receipts from int_receipts_enriched, contacts from int_contacts_unioned.
-#}
{%- set lookback_days = var('churn_lookback_days') -%}
{%- set recent_days = var('churn_recent_days') -%}
{%- set lookback_start = dbt.dateadd('day', -lookback_days, as_of_at()) -%}
{%- set recent_start = dbt.dateadd('day', -recent_days, as_of_at()) -%}
{%- set urgent_priorities = "'" ~ var('churn_urgent_priorities') | join("', '") ~ "'" -%}
with

companies as (
    select * from {{ ref('stg_support__companies') }}
),

customers as (
    select * from {{ ref('stg_support__customers') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
    where is_known_customer
),

customer_risk_signals as (
    select * from {{ ref('int_customer_risk_signals_aggregated') }}
),

receipts as (
    select * from {{ ref('int_receipts_enriched') }}
    where
        customer_id is not null
        and transacted_at <= {{ as_of_at() }}
        and transacted_at > {{ lookback_start }}
),

tickets_flagged as (
    select
        tickets.company_id,
        tickets.priority,
        tickets.category,
        tickets.csat_score,
        tickets.nps_score,
        tickets.is_sla_breached,
        tickets.is_open,
        tickets.created_at > {{ lookback_start }} as is_in_lookback,
        tickets.created_at > {{ recent_start }} as is_recent
    from tickets
),

ticket_signals as (
    select
        company_id,
        count(*) as ticket_count_to_date,
        count(case when is_open then 1 end) as open_ticket_count,
        count(case when is_in_lookback then 1 end) as ticket_count,
        count(case when is_recent then 1 end) as ticket_count_recent,
        count(case when is_in_lookback and priority in ({{ urgent_priorities }}) then 1 end)
            as urgent_ticket_count,
        count(case when is_in_lookback and is_sla_breached then 1 end)
            as sla_breached_ticket_count,
        count(case when is_in_lookback and category = 'COMPLAINT' then 1 end)
            as complaint_ticket_count,
        count(case when is_in_lookback then csat_score end) as csat_response_count,
        sum(case when is_in_lookback then csat_score end) as csat_total,
        count(case when is_in_lookback then nps_score end) as nps_response_count,
        sum(case when is_in_lookback then nps_score end) as nps_total
    from tickets_flagged
    group by company_id
),

contact_signals as (
    select
        company_id,
        count(case when contact_at > {{ lookback_start }} then 1 end) as contact_count,
        count(case when contact_at > {{ lookback_start }} and is_negative then 1 end)
            as negative_contact_count,
        count(
            case
                when
                    contact_at > {{ lookback_start }} and is_negative
                    and contact_type = 'ticket' then 1
            end
        ) as negative_ticket_count,
        count(case when contact_at > {{ lookback_start }} and is_technical_issue then 1 end)
            as technical_issue_count,
        count(
            case
                when
                    contact_at > {{ lookback_start }} and is_technical_issue
                    and contact_type = 'ticket' then 1
            end
        ) as technical_ticket_count
    from contacts
    group by company_id
),

customer_counts as (
    select
        customers.company_id,
        count(*) as customer_count,
        count(case when customer_risk_signals.is_high_risk then 1 end)
            as high_risk_customer_count
    from customers
    left outer join customer_risk_signals
        on customers.customer_id = customer_risk_signals.customer_id
    group by customers.company_id
),

loyalty_spend as (
    select
        customers.company_id,
        sum(case when receipts.transacted_at > {{ recent_start }} then receipts.total end)
            as loyalty_spend_recent,
        sum(case when receipts.transacted_at <= {{ recent_start }} then receipts.total end)
            as loyalty_spend_prior
    from receipts
    inner join customers
        on receipts.customer_id = customers.customer_id
    group by customers.company_id
),

joined as (
    select
        companies.company_id,
        companies.company_size,
        companies.monthly_transaction_volume,
        companies.crm_churn_risk_score,
        -- Days of the look-back the contract covered (at least var churn_min_exposure_days,
        -- so a new company's rate is not inflated by a handful of days).
        least(
            {{ lookback_days }},
            greatest(
                {{ var('churn_min_exposure_days') }},
                {{ dbt.datediff('companies.contract_start_date', as_of_at(), 'day') }}
            )
        ) as exposure_days,
        coalesce(ticket_signals.ticket_count_to_date, 0) as ticket_count_to_date,
        coalesce(ticket_signals.open_ticket_count, 0) as open_ticket_count,
        coalesce(ticket_signals.ticket_count, 0) as ticket_count,
        coalesce(ticket_signals.ticket_count_recent, 0) as ticket_count_recent,
        coalesce(ticket_signals.ticket_count, 0) - coalesce(ticket_signals.ticket_count_recent, 0)
            as ticket_count_prior,
        coalesce(ticket_signals.urgent_ticket_count, 0) as urgent_ticket_count,
        coalesce(ticket_signals.sla_breached_ticket_count, 0) as sla_breached_ticket_count,
        coalesce(ticket_signals.complaint_ticket_count, 0) as complaint_ticket_count,
        coalesce(ticket_signals.csat_response_count, 0) as csat_response_count,
        ticket_signals.csat_total,
        coalesce(ticket_signals.nps_response_count, 0) as nps_response_count,
        ticket_signals.nps_total,
        coalesce(contact_signals.contact_count, 0) as contact_count,
        coalesce(contact_signals.negative_contact_count, 0) as negative_contact_count,
        coalesce(contact_signals.negative_ticket_count, 0) as negative_ticket_count,
        coalesce(contact_signals.technical_issue_count, 0) as technical_issue_count,
        coalesce(contact_signals.technical_ticket_count, 0) as technical_ticket_count,
        coalesce(customer_counts.customer_count, 0) as customer_count,
        coalesce(customer_counts.high_risk_customer_count, 0) as high_risk_customer_count,
        coalesce(loyalty_spend.loyalty_spend_recent, 0) as loyalty_spend_recent,
        coalesce(loyalty_spend.loyalty_spend_prior, 0) as loyalty_spend_prior
    from companies
    left outer join ticket_signals
        on companies.company_id = ticket_signals.company_id
    left outer join contact_signals
        on companies.company_id = contact_signals.company_id
    left outer join customer_counts
        on companies.company_id = customer_counts.company_id
    left outer join loyalty_spend
        on companies.company_id = loyalty_spend.company_id
),

peers as (
    select
        *,
        csat_total / nullif(csat_response_count, 0) as csat_average,
        nps_total / nullif(nps_response_count, 0) as nps_average,
        -- doubles, not decimals: Spark averages and divides decimals as decimals
        avg(cast(ticket_count as double)) over (partition by company_size)
            as peer_mean_ticket_count,
        exp(avg(ln(monthly_transaction_volume)) over (partition by company_size))
            as peer_geomean_transaction_volume
    from joined
),

final as (
    select
        company_id,
        company_size,
        monthly_transaction_volume,
        crm_churn_risk_score,
        exposure_days,
        ticket_count_to_date,
        open_ticket_count,
        ticket_count,
        ticket_count_recent,
        ticket_count_prior,
        peer_mean_ticket_count,
        ticket_count / nullif(peer_mean_ticket_count, 0) as ticket_volume_index,
        urgent_ticket_count,
        sla_breached_ticket_count,
        complaint_ticket_count,
        csat_response_count,
        csat_average,
        nps_response_count,
        nps_average,
        contact_count,
        negative_contact_count,
        negative_ticket_count,
        negative_contact_count - negative_ticket_count as negative_conversation_count,
        technical_issue_count,
        technical_ticket_count,
        technical_issue_count - technical_ticket_count as technical_conversation_count,
        peer_geomean_transaction_volume,
        monthly_transaction_volume / nullif(peer_geomean_transaction_volume, 0)
            as transaction_volume_index,
        loyalty_spend_recent,
        loyalty_spend_prior,
        customer_count,
        high_risk_customer_count,
        high_risk_customer_count > 0 as is_high_risk
    from peers
)

select * from final
