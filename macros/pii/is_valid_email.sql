{% macro is_valid_email(expr) -%}
    {%- set value = cx_warehouse.nullif_blank(expr) -%}
    case
        when {{ value }} is not null
            then {{ cx_warehouse.regex_matches(value, cx_warehouse.email_validation_regex()) }}
    end
{%- endmacro %}


{% macro email_validation_regex() -%}
    {{- return('^[^@\\s]+@[^@\\s.]+([.][^@\\s.]+)*[.]\\p{L}{2,}$') -}}
{%- endmacro %}
