{% macro normalize_company_name(expr) -%}
    {%- set legal_suffixes = [
        'corp', 'corporation', 'inc', 'incorporated', 'co', 'company', 'ltd', 'limited', 'llc',
        'plc', 'sa', 's a', 'ltda', 'limitada', 'me', 'eireli', 'cia', 'companhia',
    ] -%}
    {%- set lowered = 'lower(' ~ cx_warehouse.nullif_blank(expr) ~ ')' -%}
    {%- set without_dots = cx_warehouse.regex_replace_all(lowered, "[.']+", '') -%}
    {#- Padded with spaces so every word, first and last included, is ' word '. -#}
    {%- set words = cx_warehouse.regex_replace_all(
        dbt.concat(["' '", without_dots, "' '"]), '[^\\p{L}\\p{N}]+', ' '
    ) -%}
    {%- set without_connectors = cx_warehouse.regex_replace_all(
        cx_warehouse.regex_replace_all(words, ' (and|e) ', ' '), ' (and|e) ', ' '
    ) -%}
    {%- set without_suffixes = cx_warehouse.regex_replace_all(
        without_connectors, '( (' ~ legal_suffixes | join('|') ~ '))+ $', ''
    ) -%}
    {#- A name that is nothing but a suffix ('Company') keeps it rather than becoming null. -#}
    coalesce(nullif(trim({{ without_suffixes }}), ''), nullif(trim({{ without_connectors }}), ''))
{%- endmacro %}
