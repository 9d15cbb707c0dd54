{% macro parse_utc_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'cx_warehouse')(expr)) }}
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(expr) -%}
    cast(timezone('UTC', try_cast({{ expr }} as timestamptz)) as timestamp)
{%- endmacro %}

{% macro extracted_at() -%}
    (select max(extracted_at) from {{ ref('stg_landing__extracts') }})
{%- endmacro %}


{% macro as_of_at() -%}
    {%- if var('as_of_at', none) is not none -%}
        cast('{{ var("as_of_at") }}' as timestamp)
    {%- else -%}
        {{ extracted_at() }}
    {%- endif -%}
{%- endmacro %}
