{#-
    One row per company and scorecard component (var churn_scorecard). Each component reads
    one measured signal and scores the churn risk (0-100) that signal implies on its own:
    linear between the value expected of a company at risk 0 (zero_at) and at risk 1
    (full_at), clamped (churn_component_score). Its weight is the evidence behind it: the
    component's weight per observation x the observations its value rests on (answers,
    tickets, a peer's expected tickets; 1 for a single number), so two NPS answers count twice
    one. The baseline component is the portfolio's average risk with weight 1: it is where a
    company with little evidence stays. Components and their values:
    - baseline: var churn_portfolio_risk;
    - crm_risk: the CRM's own churn_risk_score;
    - nps, csat: the average answer on the look-back's tickets;
    - ticket_volume: tickets / the size band's mean (observations: the band's mean);
    - transaction_volume: ln(monthly card volume / the size band's geometric mean);
    - complaints, negative_sentiment, sla_breaches, urgent_tickets, technical_issues: the
      share of the look-back's tickets (COMPLAINT category, negative description, breached
      SLA, HIGH or CRITICAL, TECHNICAL category); the reasons also count chats and emails.
    contribution = weight x (score - baseline score): what the component adds to the company's
    risk above the portfolio's average (before dividing by the total weight).
-#}
{%- set scorecard = var('churn_scorecard') -%}
{%- set lookback = var('churn_lookback_days') | string -%}
{%- set recent = var('churn_recent_days') | string -%}
{%- set baseline_score = churn_component_score(
    var('churn_portfolio_risk'), scorecard.baseline.zero_at, scorecard.baseline.full_at) -%}
with

company_signals as (
    select * from {{ ref('int_company_signals_aggregated') }}
),

baseline as (
    select
        company_id,
        'baseline' as component,
        {{ var('churn_portfolio_risk') }} as component_value,
        1 as observation_count,
        {{ sql_string_literal("the portfolio's average churn risk is ") }}
        || {{ reason_number(var('churn_portfolio_risk'), 2) }}
        || ': where a company without other evidence stays' as reason
    from company_signals
),

crm_risk as (
    select
        company_id,
        'crm_risk' as component,
        crm_churn_risk_score as component_value,
        case when crm_churn_risk_score is not null then 1 else 0 end as observation_count,
        case
            when crm_churn_risk_score is null then 'no churn score in the CRM'
            else
                {{ sql_string_literal("the CRM's own churn score is ") }}
                || {{ reason_number('crm_churn_risk_score', 2) }}
        end as reason
    from company_signals
),

nps as (
    select
        company_id,
        'nps' as component,
        nps_average as component_value,
        nps_response_count as observation_count,
        case
            when nps_response_count = 0
                then 'no NPS answer in the last {{ lookback }} days'
            else
                'NPS answer ' || {{ reason_number('nps_average', 1) }} || ' on average from '
                || {{ reason_count('nps_response_count') }} || ' answers in the last '
                || '{{ lookback }} days'
        end as reason
    from company_signals
),

csat as (
    select
        company_id,
        'csat' as component,
        csat_average as component_value,
        csat_response_count as observation_count,
        case
            when csat_response_count = 0
                then 'no CSAT answer in the last {{ lookback }} days'
            else
                'CSAT ' || {{ reason_number('csat_average', 1) }} || ' on average from '
                || {{ reason_count('csat_response_count') }} || ' answers in the last '
                || '{{ lookback }} days'
        end as reason
    from company_signals
),

ticket_volume as (
    select
        company_id,
        'ticket_volume' as component,
        ticket_volume_index as component_value,
        coalesce(peer_mean_ticket_count, 0) as observation_count,
        {{ reason_count('ticket_count') }} || ' tickets in the last {{ lookback }} days'
        || case
            when exposure_days < {{ lookback }}
                then ' (' || {{ reason_count('exposure_days') }} || ' days under contract)'
            else ''
        end
        || ', ' || {{ reason_number('ticket_volume_index', 2) }} || 'x the mean of '
        || {{ reason_number('peer_mean_ticket_count', 1) }} || ' for ' || company_size
        || ' companies; ' || {{ reason_count('ticket_count_recent') }}
        || ' in the last {{ recent }} days vs '
        || {{ reason_count('ticket_count_prior') }} || ' before' as reason
    from company_signals
),

transaction_volume as (
    select
        company_id,
        'transaction_volume' as component,
        ln(transaction_volume_index) as component_value,
        case when transaction_volume_index > 0 then 1 else 0 end as observation_count,
        case
            when monthly_transaction_volume is null then 'no monthly card volume in the CRM'
            else
                'monthly card volume ' || {{ reason_count('round(monthly_transaction_volume)') }}
                || ' is ' || {{ reason_number('transaction_volume_index', 2) }} || 'x the '
                || company_size || ' geometric mean ('
                || {{ reason_count('round(peer_geomean_transaction_volume)') }} || ')'
        end
        || '; loyalty purchases of its people '
        || {{ reason_count('round(loyalty_spend_recent)') }} || ' in the last {{ recent }} days vs '
        || {{ reason_count('round(loyalty_spend_prior)') }} || ' before' as reason
    from company_signals
),

{#- Ticket-mix components: the share of the company's tickets of one kind. -#}
{%- set ticket_shares = {
    'complaints': ('complaint_ticket_count', 'were complaints'),
    'sla_breaches': ('sla_breached_ticket_count', 'breached an SLA'),
    'urgent_tickets': ('urgent_ticket_count', 'were HIGH or CRITICAL'),
} %}
{%- for component, (count_column, phrase) in ticket_shares.items() %}

    {{ component }} as (
        select
            company_id,
            '{{ component }}' as component,
            cast({{ count_column }} as double) / nullif(ticket_count, 0) as component_value,
            ticket_count as observation_count,
            {{ reason_count(count_column) }} || ' of '
            || {{ reason_count('ticket_count') }}
            || ' tickets of the last {{ lookback }} days {{ phrase }}' as reason
        from company_signals
    ),
{%- endfor %}

negative_sentiment as (
    select
        company_id,
        'negative_sentiment' as component,
        cast(negative_ticket_count as double) / nullif(ticket_count, 0) as component_value,
        ticket_count as observation_count,
        {{ reason_count('negative_ticket_count') }} || ' of '
        || {{ reason_count('ticket_count') }}
        || ' tickets of the last {{ lookback }} days were negative (and '
        || {{ reason_count('negative_conversation_count') }} || ' of '
        || {{ reason_count('contact_count - ticket_count') }} || ' chats or emails)' as reason
    from company_signals
),

technical_issues as (
    select
        company_id,
        'technical_issues' as component,
        cast(technical_ticket_count as double) / nullif(ticket_count, 0) as component_value,
        ticket_count as observation_count,
        {{ reason_count('technical_issue_count') }}
        || ' technical issues in the last {{ lookback }} days ('
        || {{ reason_count('technical_ticket_count') }} || ' of '
        || {{ reason_count('ticket_count') }} || ' tickets, '
        || {{ reason_count('technical_conversation_count') }} || ' chats or emails)'
        || case
            when technical_issue_count >= {{ var('risk_repeated_technical_issues') }}
                then ': repeated'
            else ''
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
            observation_count,
            {{ anchors.weight }} * observation_count as component_weight
        from {{ component }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

contributions as (
    select
        *,
        component_weight * component_score as weighted_score,
        component_weight * (component_score - {{ baseline_score }}) as contribution
    from components
),

final as (
    select
        {{ surrogate_key(['company_id', 'component']) }} as company_health_component_id,
        company_id,
        component,
        reason,
        component_value,
        component_score,
        cast(observation_count as double) as observation_count,
        cast(component_weight as double) as component_weight,
        weighted_score,
        contribution,
        row_number() over (
            partition by company_id
            order by coalesce(contribution, 0) desc, component
        ) as contribution_rank
    from contributions
)

select * from final
