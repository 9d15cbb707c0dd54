{#-
    The company health core: one row per company as of the as-of instant with its churn
    scorecard. Each component carries its value, its 0-100 risk score, its evidence weight and a
    reason (int_company_health_components_scored); the churn risk score is the weighted mean of
    the scores (a component without a value is left out of both sides of the mean), the
    behaviour score the same without the CRM's own score. Tiers from var churn_tier_high /
    churn_tier_medium. Windowed counts carry their window in the name: _180d = the look-back
    var churn_lookback_days, _recent_90d = its last var churn_recent_days, _prior_90d = the
    days before those; the model refuses other var values until the columns are renamed.
-#}
{%- if var('churn_lookback_days') != 180 or var('churn_recent_days') != 90 -%}
    {{ exceptions.raise_compiler_error(
        "int_companies_churn_scored names its windowed counts _180d / _recent_90d / _prior_90d:"
        ~ " rename them (and bump fct_company_health's contract) before changing"
        ~ " churn_lookback_days or churn_recent_days."
    ) }}
{%- endif -%}
{{ config(materialized='table') }}
{%- set components = var('churn_scorecard').keys() | list -%}
with

health_components as (
    select * from {{ ref('int_company_health_components_scored') }}
),

company_signals as (
    select * from {{ ref('int_company_signals_aggregated') }}
),

counted_components as (
    select
        *,
        -- A component without a value leaves both sides of the weighted mean.
        case when component_score is not null then component_weight end as counted_weight,
        component != 'crm_risk' as is_behaviour
    from health_components
),

totals as (
    select
        company_id,
        {% for component in components -%}
            max(case when component = '{{ component }}' then reason end)
                as {{ component }}_reason,
            max(case when component = '{{ component }}' then component_value end)
                as {{ component }}_value,
            max(case when component = '{{ component }}' then component_score end)
                as {{ component }}_score,
            max(case when component = '{{ component }}' then counted_weight end)
                as {{ component }}_weight,
        {% endfor -%}
        sum(weighted_score) / nullif(sum(counted_weight), 0) as churn_risk_score,
        sum(case when is_behaviour then weighted_score end)
        / nullif(sum(case when is_behaviour then counted_weight end), 0)
            as behaviour_risk_score
    from counted_components
    group by company_id
),

top_reasons as (
    select
        company_id,
        {{ ordered_listagg('reason', "' | '", 'contribution_rank') }} as top_risk_reasons
    from health_components
    where contribution_rank <= 3 and contribution > 0
    group by company_id
),

final as (
    select
        {{ surrogate_key(['totals.company_id', as_of_at()]) }} as company_health_id,
        totals.company_id,
        {{ churn_risk_tier('totals.churn_risk_score') }} as churn_risk_tier,
        {{ churn_risk_tier('100 * company_signals.crm_churn_risk_score') }}
            as crm_churn_risk_tier,
        coalesce(top_reasons.top_risk_reasons, 'no risk signal') as top_risk_reasons,
        {% for component in components -%}
            totals.{{ component }}_reason,
        {% endfor -%}
        totals.churn_risk_score,
        totals.behaviour_risk_score,
        100 - totals.churn_risk_score as health_score,
        company_signals.crm_churn_risk_score,
        {% for component in components -%}
            totals.{{ component }}_value,
            totals.{{ component }}_score,
            totals.{{ component }}_weight,
        {% endfor -%}
        company_signals.ticket_count as ticket_count_180d,
        company_signals.ticket_count_recent as ticket_count_recent_90d,
        company_signals.ticket_count_prior as ticket_count_prior_90d,
        company_signals.contact_count as contact_count_180d,
        company_signals.csat_response_count as csat_response_count_180d,
        company_signals.nps_response_count as nps_response_count_180d,
        company_signals.customer_count,
        company_signals.high_risk_customer_count,
        company_signals.is_high_risk,
        {{ as_of_at() }} as as_of_at
    from totals
    inner join company_signals
        on totals.company_id = company_signals.company_id
    left outer join top_reasons
        on totals.company_id = top_reasons.company_id
)

select * from final
