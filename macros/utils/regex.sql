{#-
    Engine-neutral building blocks for regular expressions and string literals.
    Callers pass a raw regular expression (RE2 on DuckDB, Java on Spark: keep to the common
    subset); these macros quote it for the engine and call the engine's function.
-#}

{#- A SQL string literal for `value`, quoted and escaped for the current engine. -#}
{% macro sql_string_literal(value) -%}
    {{- return(adapter.dispatch('sql_string_literal', 'cx_warehouse')(value)) -}}
{%- endmacro %}

{% macro default__sql_string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- Replace every match of `pattern` in `expr` with the literal text `replacement`. -#}
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

{#- Boolean: does `pattern` match anywhere in `expr` (anchor with ^ and $ for a full match)? -#}
{% macro regex_matches(expr, pattern) -%}
    {{- return(adapter.dispatch('regex_matches', 'cx_warehouse')(expr, pattern)) -}}
{%- endmacro %}

{% macro duckdb__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ cx_warehouse.sql_string_literal(pattern) }})
{%- endmacro %}

{#- The first match of `pattern` in `expr`, '' when there is none. -#}
{% macro regex_extract(expr, pattern) -%}
    {{- return(adapter.dispatch('regex_extract', 'cx_warehouse')(expr, pattern)) -}}
{%- endmacro %}

{#- DuckDB and Spark share regexp_extract(string, pattern, group). -#}
{% macro default__regex_extract(expr, pattern) -%}
    regexp_extract({{ expr }}, {{ cx_warehouse.sql_string_literal(pattern) }}, 0)
{%- endmacro %}
