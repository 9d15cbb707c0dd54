{% macro date_spine(datepart, start_date, end_date) -%}
    {{- return(adapter.dispatch('date_spine', 'cx_warehouse')(datepart, start_date, end_date)) -}}
{%- endmacro %}


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
