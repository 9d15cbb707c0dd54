{% macro hash_pii(expr, normalize='text') -%}
    {{- return(adapter.dispatch('hash_pii', 'cx_warehouse')(expr, normalize)) -}}
{%- endmacro %}

{% macro duckdb__hash_pii(expr, normalize='text') -%}
    {%- set value = cx_warehouse.normalize_pii(expr, normalize) -%}
    {%- set salt = cx_warehouse.sql_string_literal(cx_warehouse.pii_salt() ~ '|') -%}
    case
        when {{ value }} is not null then sha256({{ salt }} || {{ value }})
    end
{%- endmacro %}
