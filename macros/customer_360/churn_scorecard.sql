{% macro churn_component_score(value, zero_at, full_at) -%}
    {#- 0-100: 0 at zero_at, 100 at full_at, linear between, clamped; null stays null. -#}
    case
        when ({{ value }}) is null then null
        else greatest(0.0, least(100.0,
            100.0 * (({{ value }}) - ({{ zero_at }})) / (({{ full_at }}) - ({{ zero_at }}))
        ))
    end
{%- endmacro %}

{% macro churn_risk_tier(score) -%}
    case
        when ({{ score }}) >= {{ var('churn_tier_high') }} then 'high'
        when ({{ score }}) >= {{ var('churn_tier_medium') }} then 'medium'
        else 'low'
    end
{%- endmacro %}

{% macro rfm_quintile_score(rank_expr, count_expr) -%}
    {#- 1-5 from a 1-based rank() among count_expr rows; tied rows share their first rank. -#}
    cast(1 + floor(5.0 * (({{ rank_expr }}) - 1) / ({{ count_expr }})) as integer)
{%- endmacro %}

{% macro rfm_segment(recency_score, frequency_score) -%}
    case
        when ({{ recency_score }}) >= 4 and ({{ frequency_score }}) >= 4 then 'champions'
        when ({{ recency_score }}) = 3 and ({{ frequency_score }}) >= 4 then 'loyal_customers'
        when ({{ recency_score }}) >= 4 and ({{ frequency_score }}) >= 2
            then 'potential_loyalists'
        when ({{ recency_score }}) = 5 then 'new_customers'
        when ({{ recency_score }}) = 4 then 'promising'
        when ({{ recency_score }}) = 3 and ({{ frequency_score }}) = 3 then 'need_attention'
        when ({{ recency_score }}) = 3 then 'about_to_sleep'
        when ({{ frequency_score }}) = 5 then 'cannot_lose_them'
        when ({{ frequency_score }}) >= 3 then 'at_risk'
        when ({{ recency_score }}) = 2 then 'hibernating'
        else 'lost'
    end
{%- endmacro %}

{% macro reason_number(expr, digits) -%}
    {#- A number for a sentence: rounded to digits, as text; 'n/a' when null. -#}
    coalesce(cast(round({{ expr }}, {{ digits }}) as {{ dbt.type_string() }}), 'n/a')
{%- endmacro %}

{% macro reason_count(expr) -%}
    {#- A whole number for a sentence, as text; 'n/a' when null. -#}
    coalesce(cast(cast({{ expr }} as bigint) as {{ dbt.type_string() }}), 'n/a')
{%- endmacro %}

{% macro ordered_list(expr, order_by) -%}
    {{- return(adapter.dispatch('ordered_list', 'cx_warehouse')(expr, order_by)) -}}
{%- endmacro %}

{% macro default__ordered_list(expr, order_by) -%}
    array_agg({{ expr }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_list(expr, order_by) -%}
    transform(
        array_sort(collect_list(struct({{ order_by }} as sort_key, {{ expr }} as value))),
        ordered_pair -> ordered_pair.value
    )
{%- endmacro %}
