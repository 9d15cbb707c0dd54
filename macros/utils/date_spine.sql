{#-
    A select with one column, date_<datepart> (date_day for 'day'), one row per datepart from
    start_date inclusive to end_date exclusive. start_date and end_date are SQL expressions.
    The column is a date for day and coarser dateparts, a timestamp for hour and finer.
-#}
{% macro date_spine(datepart, start_date, end_date) -%}
    {{- return(adapter.dispatch('date_spine', 'cx_warehouse')(datepart, start_date, end_date)) -}}
{%- endmacro %}


{#- The SQL type of a date_spine column for `datepart`. -#}
{% macro date_spine_type(datepart) -%}
    {%- if datepart | lower in ['day', 'week', 'month', 'quarter', 'year'] -%}
        {{- return('date') -}}
    {%- else -%}
        {{- return('timestamp') -}}
    {%- endif -%}
{%- endmacro %}


{% macro duckdb__date_spine(datepart, start_date, end_date) -%}
    select
        cast(spine.period_start as {{ cx_warehouse.date_spine_type(datepart) }})
            as date_{{ datepart }}
    from generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval 1 {{ datepart }}
    ) as spine (period_start)
    where spine.period_start < cast({{ end_date }} as timestamp)
{%- endmacro %}
