{#-
    Engine-neutral building blocks for regular expressions and string literals.
    Callers pass a raw regular expression (RE2 on DuckDB, Java on Spark: keep to the common
    subset); these macros quote it for the engine and call the engine's function.
-#}

{% macro sql_string_literal(value) -%}
    {{- return(adapter.dispatch('sql_string_literal', 'cx_warehouse')(value)) -}}
{%- endmacro %}

{% macro default__sql_string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro regex_replace_all(expr, pattern, replacement) -%}
    {{- return(
        adapter.dispatch('regex_replace_all', 'cx_warehouse')(expr, pattern, replacement)
    ) -}}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace(
        {{ expr }},
        {{ cx_warehouse.sql_string_literal(pattern) }},
        {{ cx_warehouse.sql_string_literal(replacement) }},
        'g'
    )
{%- endmacro %}

{% macro regex_matches(expr, pattern) -%}
    {{- return(adapter.dispatch('regex_matches', 'cx_warehouse')(expr, pattern)) -}}
{%- endmacro %}

{% macro duckdb__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ cx_warehouse.sql_string_literal(pattern) }})
{%- endmacro %}

{% macro regex_extract(expr, pattern) -%}
    {{- return(adapter.dispatch('regex_extract', 'cx_warehouse')(expr, pattern)) -}}
{%- endmacro %}

{% macro default__regex_extract(expr, pattern) -%}
    regexp_extract({{ expr }}, {{ cx_warehouse.sql_string_literal(pattern) }}, 0)
{%- endmacro %}
