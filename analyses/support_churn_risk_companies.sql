{#-
    Support-desk question 3: companies at risk of churning. The risk is the churn
    scorecard of the customer-360 marts (fct_company_health: tier high or medium, with its
    reasons, and the CRM's own score beside it); next to it, each company's tickets of the last
    30 days before the as-of instant from fct_tickets: volume, urgent tickets, SLA breaches,
    reopens, satisfaction and the categories they were about.
-#}
with

company_health as (
    select * from {{ ref('fct_company_health') }}
),

companies as (
    select * from {{ ref('dim_companies') }}
),

tickets as (
    select * from {{ ref('fct_tickets') }}
),

recent_tickets as (
    select tickets.*
    from tickets
    where tickets.created_at >= {{ dbt.dateadd('day', -30, as_of_at()) }}
),

company_tickets as (
    select
        recent_tickets.company_id,
        count(*) as recent_tickets,
        count(case when recent_tickets.priority in ('HIGH', 'CRITICAL') then 1 end)
            as urgent_tickets,
        count(case when recent_tickets.is_sla_breached then 1 end) as sla_breached_tickets,
        count(case when recent_tickets.reopen_count > 0 then 1 end) as reopened_tickets,
        avg(recent_tickets.csat_score) as avg_satisfaction,
        string_agg(distinct recent_tickets.category, ', ' order by recent_tickets.category)
            as issue_types
    from recent_tickets
    group by recent_tickets.company_id
),

final as (
    select
        companies.company_name,
        companies.segment,
        companies.status,
        company_health.churn_risk_tier,
        round(company_health.churn_risk_score, 1) as churn_risk_score,
        company_health.crm_churn_risk_score,
        coalesce(company_tickets.recent_tickets, 0) as recent_tickets,
        coalesce(company_tickets.urgent_tickets, 0) as urgent_tickets,
        coalesce(company_tickets.sla_breached_tickets, 0) as sla_breached_tickets,
        coalesce(company_tickets.reopened_tickets, 0) as reopened_tickets,
        round(company_tickets.avg_satisfaction, 2) as avg_satisfaction,
        company_tickets.issue_types,
        company_health.top_risk_reasons
    from company_health
    inner join companies
        on company_health.company_id = companies.company_id
    left outer join company_tickets
        on company_health.company_id = company_tickets.company_id
    where company_health.churn_risk_tier in ('high', 'medium')
    order by company_health.churn_risk_score desc, recent_tickets desc
)

select * from final
