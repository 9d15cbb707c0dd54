{#-
    The risk-signals core: one row per support customer with the conversation signals of the
    churn scorecard as of the as-of instant, and the high-risk flag (negative sentiment
    together with repeated technical issues). A contact is a chat conversation or an email
    matched to the customer (int_contacts_unioned, before any retention filter).
    - negative window: the last var('risk_negative_window_days') days (30) before as-of;
      negative contacts are those whose overall sentiment is negative;
    - technical window: the last var('risk_technical_window_days') days (90); technical issues
      are contacts flagged is_technical_issue; repeated = at least
      var('risk_repeated_technical_issues') (2) of them;
    - is_high_risk: at least one negative contact in its window and repeated technical issues.
-#}
{%- set negative_window_days = var('risk_negative_window_days') -%}
{%- set technical_window_days = var('risk_technical_window_days') -%}
{%- set repeated_technical_issues = var('risk_repeated_technical_issues') -%}
with

customers as (
    select * from {{ ref('stg_support__customers') }}
),

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
    where contact_type in ('chat', 'email') and is_known_customer
),

windowed as (
    select
        *,
        contact_at > {{ dbt.dateadd('day', -negative_window_days, as_of_at()) }}
            as is_in_negative_window,
        contact_at > {{ dbt.dateadd('day', -technical_window_days, as_of_at()) }}
            as is_in_technical_window
    from contacts
),

customer_signals as (
    select
        customer_id,
        count(case when is_in_negative_window then 1 end) as contacts_in_negative_window,
        count(case when is_negative and is_in_negative_window then 1 end)
            as negative_contacts_in_window,
        count(
            case when is_negative and is_in_negative_window and contact_type = 'chat' then 1 end
        ) as negative_chat_conversations_in_window,
        count(case when is_technical_issue and is_in_technical_window then 1 end)
            as technical_issues_in_window,
        count(*) as contacts_to_date,
        max(case when is_negative then contact_at end) as last_negative_contact_at,
        max(case when is_technical_issue then contact_at end) as last_technical_issue_at,
        max(contact_at) as last_contact_at
    from windowed
    group by customer_id
),

final as (
    select
        customers.customer_id,
        customers.company_id,
        {{ negative_window_days }} as negative_window_days,
        {{ technical_window_days }} as technical_window_days,
        coalesce(customer_signals.contacts_in_negative_window, 0)
            as contacts_in_negative_window,
        coalesce(customer_signals.negative_contacts_in_window, 0)
            as negative_contacts_in_window,
        coalesce(customer_signals.negative_chat_conversations_in_window, 0)
            as negative_chat_conversations_in_window,
        coalesce(customer_signals.technical_issues_in_window, 0) as technical_issues_in_window,
        coalesce(customer_signals.contacts_to_date, 0) as contacts_to_date,
        coalesce(customer_signals.negative_contacts_in_window, 0) > 0 as has_negative_sentiment,
        coalesce(customer_signals.technical_issues_in_window, 0)
        >= {{ repeated_technical_issues }} as has_repeated_technical_issues,
        (
            coalesce(customer_signals.negative_contacts_in_window, 0) > 0
            and coalesce(customer_signals.technical_issues_in_window, 0)
            >= {{ repeated_technical_issues }}
        ) as is_high_risk,
        customer_signals.last_negative_contact_at,
        customer_signals.last_technical_issue_at,
        customer_signals.last_contact_at,
        {{ as_of_at() }} as as_of_at
    from customers
    left outer join customer_signals
        on customers.customer_id = customer_signals.customer_id
)

select * from final
