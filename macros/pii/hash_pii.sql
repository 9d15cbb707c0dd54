{#-
    Salted SHA-256 (64 lowercase hex characters) of the normalised value of `expr`:
    sha256(pii_salt() || '|' || value). Null when the normalised value is null or blank, so a
    missing value never collides with a real one. See normalize_pii for the `normalize` modes.
-#}
{% macro hash_pii(expr, normalize='text') -%}
    {{- return(adapter.dispatch('hash_pii', 'cx_warehouse')(expr, normalize)) -}}
{%- endmacro %}

{#- Only engines whose hash matches DuckDB's byte for byte are implemented; others fail loudly. -#}
{% macro default__hash_pii(expr, normalize='text') -%}
    {{- exceptions.raise_compiler_error(
        "hash_pii has no implementation for adapter '" ~ target.type ~ "'. Add "
        ~ target.type ~ "__hash_pii in macros/pii/hash_pii.sql (salted sha256, hex)."
    ) -}}
{%- endmacro %}

{% macro duckdb__hash_pii(expr, normalize='text') -%}
    {%- set value = cx_warehouse.normalize_pii(expr, normalize) -%}
    {%- set salt = cx_warehouse.sql_string_literal(cx_warehouse.pii_salt() ~ '|') -%}
    case
        when {{ value }} is not null then sha256({{ salt }} || {{ value }})
    end
{%- endmacro %}

{% macro spark__hash_pii(expr, normalize='text') -%}
    {%- set value = cx_warehouse.normalize_pii(expr, normalize) -%}
    {%- set salt = cx_warehouse.sql_string_literal(cx_warehouse.pii_salt() ~ '|') -%}
    case
        when {{ value }} is not null then sha2(concat({{ salt }}, {{ value }}), 256)
    end
{%- endmacro %}
