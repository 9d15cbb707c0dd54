{#-
    Boolean: `expr` (trimmed) has exactly one '@', a non-empty local part without whitespace and
    a domain of dot-separated labels ending in a top-level domain of 2+ letters (any script, so
    'josé@exemplo.com.br' is valid). Null when the value is null or blank.
-#}
{% macro is_valid_email(expr) -%}
    {%- set value = cx_warehouse.nullif_blank(expr) -%}
    case
        when {{ value }} is not null
            then {{ cx_warehouse.regex_matches(value, cx_warehouse.email_validation_regex()) }}
    end
{%- endmacro %}


{#- The full-match pattern is_valid_email applies (see its description). -#}
{% macro email_validation_regex() -%}
    {{- return('^[^@\\s]+@[^@\\s.]+([.][^@\\s.]+)*[.]\\p{L}{2,}$') -}}
{%- endmacro %}
