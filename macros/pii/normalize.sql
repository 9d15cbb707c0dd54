{#- lower(trim(expr)); null when the value is null or blank. -#}
{% macro normalize_email(expr) -%}
    lower({{ cx_warehouse.nullif_blank(expr) }})
{%- endmacro %}


{#-
    The digits of a phone number, in order ('+55 (11) 91234-5678' -> '5511912345678'); null when
    there are none. Country prefixes are kept as written ('+44 ...' and '0044 ...' differ).
-#}
{% macro phone_digits(expr) -%}
    {{ cx_warehouse.digits_only(expr) }}
{%- endmacro %}


{#-
    SQL for the value hash_pii hashes: normalize is 'text' (trim), 'email' (trim + lower),
    'phone' (digits, via phone_digits) or 'digits' (digits only: CPF, CNPJ, card numbers).
    Null when nothing is left after normalising.
-#}
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


{#- The last 10 digits of a phone: the same number written with or without its country code
    or trunk prefix (+55 11 91234-5678, (11) 91234-5678, 011 91234-5678) gives the same key. -#}
{% macro phone_match_key(expr) -%}
    {{ dbt.right(cx_warehouse.phone_digits(expr), 10) }}
{%- endmacro %}
