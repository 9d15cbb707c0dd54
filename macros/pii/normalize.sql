{% macro normalize_email(expr) -%}
    lower({{ cx_warehouse.nullif_blank(expr) }})
{%- endmacro %}


{% macro phone_digits(expr) -%}
    {{ cx_warehouse.digits_only(expr) }}
{%- endmacro %}


{% macro normalize_pii(expr, normalize='text') -%}
    {%- if normalize == 'text' -%}
        {{ cx_warehouse.nullif_blank(expr) }}
    {%- elif normalize == 'email' -%}
        {{ cx_warehouse.normalize_email(expr) }}
    {%- elif normalize == 'phone' -%}
        {{ cx_warehouse.phone_match_key(expr) }}
    {%- elif normalize == 'digits' -%}
        {{ cx_warehouse.digits_only(expr) }}
    {%- else -%}
        {{- exceptions.raise_compiler_error(
            "normalize_pii/hash_pii: unknown normalize='" ~ normalize ~ "' for " ~ expr
            ~ ". Use one of: 'text', 'email', 'phone', 'digits'."
        ) -}}
    {%- endif -%}
{%- endmacro %}


{% macro phone_match_key(expr) -%}
    {{ dbt.right(cx_warehouse.phone_digits(expr), 10) }}
{%- endmacro %}
