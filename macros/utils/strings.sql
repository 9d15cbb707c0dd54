{% macro nullif_blank(expr) -%}
    nullif(
        {{ cx_warehouse.regex_replace_all(
            'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '^\\s+|\\s+$', ''
        ) }},
        ''
    )
{%- endmacro %}


{% macro digits_only(expr) -%}
    nullif(
        {{ cx_warehouse.regex_replace_all(
            'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '[^0-9]+', ''
        ) }},
        ''
    )
{%- endmacro %}
