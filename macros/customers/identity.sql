{#-
    The tier of a match score (0-1) as SQL: 'exact', 'high', 'potential' or 'low', from the
    vars customer_match_tier_exact / _high / _potential. Null when the score is null.
-#}
{% macro customer_match_tier(score) -%}
    case
        when {{ score }} is null then null
        when {{ score }} >= {{ var('customer_match_tier_exact') }} then 'exact'
        when {{ score }} >= {{ var('customer_match_tier_high') }} then 'high'
        when {{ score }} >= {{ var('customer_match_tier_potential') }} then 'potential'
        else 'low'
    end
{%- endmacro %}


{#-
    Aggregate: the distinct non-null values of `expr` in the group as a sorted array (empty
    when there are none). Dispatched: list_sort(list_distinct(list(...))) on DuckDB,
    sort_array(collect_set(...)) on Spark.
-#}
{% macro sorted_distinct_list(expr) -%}
    {{- return(adapter.dispatch('sorted_distinct_list', 'cx_warehouse')(expr)) -}}
{%- endmacro %}

{% macro default__sorted_distinct_list(expr) -%}
    list_sort(list_distinct(list({{ expr }})))
{%- endmacro %}
