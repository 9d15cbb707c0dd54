{#-
    A company name reduced to a matching key (documented in _staging_macros.yml):
    lowercased; dots and apostrophes dropped ('S.A.' -> 'sa'); every other run of punctuation
    or whitespace ('&', ',', '/', '-') becomes one space; the connector words 'and' / 'e' are
    dropped ('Silva e Filhos' = 'Silva & Filhos'); trailing legal-form suffixes are removed,
    repeatedly ('Acme Co., Ltd.' -> 'acme'), unless nothing else is left ('Inc.' -> 'inc').
    Letters of any script are kept. Null when the input is null, blank or only punctuation.
    'Acme Corp.', 'ACME Corporation' and 'Acme, Inc' all give 'acme'.
-#}
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
