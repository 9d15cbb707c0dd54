{#-
    `expr` cast to a string with leading and trailing whitespace (spaces, tabs, newlines)
    removed; null when it is null or nothing is left.
-#}
{% macro nullif_blank(expr) -%}
    nullif(
        {{ cx_warehouse.regex_replace_all(
            'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '^\\s+|\\s+$', ''
        ) }},
        ''
    )
{%- endmacro %}


{#- Only the digits 0-9 of `expr`, in order; null when it has none (or is null). -#}
{% macro digits_only(expr) -%}
    nullif(
        {{ cx_warehouse.regex_replace_all(
            'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '[^0-9]+', ''
        ) }},
        ''
    )
{%- endmacro %}
