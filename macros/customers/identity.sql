{% macro customer_match_tier(score) -%}
    case
        when {{ score }} is null then null
        when {{ score }} >= {{ var('customer_match_tier_exact') }} then 'exact'
        when {{ score }} >= {{ var('customer_match_tier_high') }} then 'high'
        when {{ score }} >= {{ var('customer_match_tier_potential') }} then 'potential'
        else 'low'
    end
{%- endmacro %}


{% macro sorted_distinct_list(expr) -%}
    {{- return(adapter.dispatch('sorted_distinct_list', 'cx_warehouse')(expr)) -}}
{%- endmacro %}

{% macro default__sorted_distinct_list(expr) -%}
    list_sort(list_distinct(list({{ expr }})))
{%- endmacro %}

{% macro spark__sorted_distinct_list(expr) -%}
    array_sort(collect_set({{ expr }}))
{%- endmacro %}
