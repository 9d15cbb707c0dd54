{#-
    Row-level guard against oversized free text (DECISIONS.md, "Bad input"): a row whose text is
    larger than var('max_text_bytes') is quarantined as `oversized_text` instead of being
    redacted and enriched (regexes and sentiment over megabytes of text would stall the build).
-#}

{% macro is_oversized_text(texts=[], text_lists=[]) -%}
    (
    {%- for text in texts %}
        coalesce({{ text_bytes(text) }}, 0) > {{ var('max_text_bytes') }} or
    {%- endfor %}
    {%- for text_list in text_lists %}
        coalesce({{ max_text_bytes_in_list(text_list) }}, 0) > {{ var('max_text_bytes') }} or
    {%- endfor %}
        false
    )
{%- endmacro %}


{% macro text_bytes(text) -%}
    {{ return(adapter.dispatch('text_bytes', 'cx_warehouse')(text)) }}
{%- endmacro %}

{% macro duckdb__text_bytes(text) -%}
    strlen({{ text }})
{%- endmacro %}

{% macro max_text_bytes_in_list(text_list) -%}
    {{ return(adapter.dispatch('max_text_bytes_in_list', 'cx_warehouse')(text_list)) }}
{%- endmacro %}

{% macro duckdb__max_text_bytes_in_list(text_list) -%}
    (
        select max(strlen(list_texts.text_value))
        from unnest({{ text_list }}) as list_texts (text_value)
    )
{%- endmacro %}
