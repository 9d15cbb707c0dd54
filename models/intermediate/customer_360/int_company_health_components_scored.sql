{#-
    One row per company and scorecard component: the component's value, its 0-100 risk score
    (churn_component_score between the component's zero_at and full_at anchors of var
    churn_scorecard), its weight and a sentence a person can read. Components and their values:
    - satisfaction: CSAT and NPS averages shrunk to the portfolio mean, as a 0-100 index;
    - ticket_volume: exposure-adjusted tickets against the size band's median (index);
    - transaction_volume: monthly card volume against the size band's median (index);
    - urgent_tickets, sla_breaches, negative_sentiment, technical_issues: counts in the
      look-back window (every channel for the last two);
    - crm_risk: the CRM's own churn_risk_score.
-#}
{%- set scorecard = var('churn_scorecard') -%}
{%- set lookback = var('churn_lookback_days') | string -%}
{%- set recent = var('churn_recent_days') | string -%}
with

company_signals as (
    select * from {{ ref('int_company_signals_aggregated') }}
),

satisfaction as (
    select
        company_id,
        'satisfaction' as component,
        satisfaction_index as component_value,
        case
            when csat_response_count + nps_response_count = 0
                then
                    'no CSAT or NPS answer in the last {{ lookback }} days: the portfolio '
                    || 'average is assumed (index '
                    || {{ reason_count('round(satisfaction_index)') }} || ')'
            else
                case
                    when csat_response_count = 0 then 'no CSAT answer'
                    else
                        'CSAT ' || {{ reason_number('csat_average', 1) }} || ' from '
                        || {{ reason_count('csat_response_count') }} || ' answers'
                end
                || ', '
                || case
                    when nps_response_count = 0 then 'no NPS answer'
                    else
                        'NPS answer ' || {{ reason_number('nps_average', 1) }} || ' from '
                        || {{ reason_count('nps_response_count') }} || ' answers'
                end
                || ' (portfolio: CSAT ' || {{ reason_number('portfolio_csat_average', 1) }}
                || ', NPS ' || {{ reason_number('portfolio_nps_average', 1) }}
                || '); satisfaction index ' || {{ reason_count('round(satisfaction_index)') }}
        end as reason
    from company_signals
),

ticket_volume as (
    select
        company_id,
        'ticket_volume' as component,
        ticket_volume_index as component_value,
        {{ reason_count('ticket_count') }} || ' tickets in the last {{ lookback }} days'
        || case
            when exposure_days < {{ lookback }}
                then ' (' || {{ reason_count('exposure_days') }} || ' days under contract)'
            else ''
        end
        || ', volume index ' || {{ reason_number('ticket_volume_index', 2) }}
        || ' against a median of ' || {{ reason_number('peer_median_ticket_rate', 1) }}
        || ' for ' || company_size || ' companies; '
        || {{ reason_count('ticket_count_recent') }} || ' in the last {{ recent }} days vs '
        || {{ reason_count('ticket_count_prior') }} || ' before' as reason
    from company_signals
),

transaction_volume as (
    select
        company_id,
        'transaction_volume' as component,
        transaction_volume_index as component_value,
        case
            when monthly_transaction_volume is null then 'no monthly card volume in the CRM'
            else
                'monthly card volume ' || {{ reason_count('round(monthly_transaction_volume)') }}
                || ' is ' || {{ reason_number('transaction_volume_index', 2) }} || 'x the '
                || company_size || ' median ('
                || {{ reason_count('round(peer_median_transaction_volume)') }} || ')'
        end
        || '; loyalty purchases of its people '
        || {{ reason_count('round(loyalty_spend_recent)') }} || ' in the last {{ recent }} days vs '
        || {{ reason_count('round(loyalty_spend_prior)') }} || ' before' as reason
    from company_signals
),

urgent_tickets as (
    select
        company_id,
        'urgent_tickets' as component,
        urgent_ticket_count as component_value,
        {{ reason_count('urgent_ticket_count') }} || ' HIGH or CRITICAL tickets of '
        || {{ reason_count('ticket_count') }} || ' in the last {{ lookback }} days' as reason
    from company_signals
),

sla_breaches as (
    select
        company_id,
        'sla_breaches' as component,
        sla_breached_ticket_count as component_value,
        {{ reason_count('sla_breached_ticket_count') }} || ' of '
        || {{ reason_count('ticket_count') }}
        || ' tickets of the last {{ lookback }} days breached an SLA' as reason
    from company_signals
),

negative_sentiment as (
    select
        company_id,
        'negative_sentiment' as component,
        negative_contact_count as component_value,
        {{ reason_count('negative_contact_count') }} || ' of '
        || {{ reason_count('contact_count') }}
        || ' contacts in the last {{ lookback }} days were negative ('
        || {{ reason_count('negative_ticket_count') }} || ' tickets, '
        || {{ reason_count('negative_conversation_count') }} || ' chats or emails)' as reason
    from company_signals
),

technical_issues as (
    select
        company_id,
        'technical_issues' as component,
        technical_issue_count as component_value,
        {{ reason_count('technical_issue_count') }}
        || ' technical issues in the last {{ lookback }} days ('
        || {{ reason_count('technical_ticket_count') }} || ' tickets, '
        || {{ reason_count('technical_conversation_count') }} || ' chats or emails)'
        || case
            when technical_issue_count >= {{ var('risk_repeated_technical_issues') }}
                then ': repeated'
            else ''
        end as reason
    from company_signals
),

crm_risk as (
    select
        company_id,
        'crm_risk' as component,
        crm_churn_risk_score as component_value,
        case
            when crm_churn_risk_score is null then 'no churn score in the CRM'
            else 'the CRM''s own churn score is ' || {{ reason_number('crm_churn_risk_score', 2) }}
        end as reason
    from company_signals
),

components as (
    {%- for component in scorecard %}
        {%- set anchors = scorecard[component] %}
        select
            company_id,
            component,
            reason,
            cast(component_value as double) as component_value,
            {{ churn_component_score('component_value', anchors.zero_at, anchors.full_at) }}
                as component_score,
            {{ anchors.weight }} as component_weight
        from {{ component }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ surrogate_key(['company_id', 'component']) }} as company_health_component_id,
        company_id,
        component,
        reason,
        component_value,
        component_score,
        component_weight,
        component_weight * component_score as weighted_score,
        row_number() over (
            partition by company_id
            order by component_weight * coalesce(component_score, 0) desc, component
        ) as contribution_rank
    from components
)

select * from final
