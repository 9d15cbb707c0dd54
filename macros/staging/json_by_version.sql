{% macro json_field_by_version(json_expr, version_expr, paths, as_text=true) -%}
    case {{ version_expr }}
    {%- for version, path in paths.items() %}
        when {{ version }} then {{ json_extract_path(json_expr, path, as_text) }}
    {%- endfor %}
    end
{%- endmacro %}


{% macro json_extract_path(json_expr, path, as_text=true) -%}
    {{ return(adapter.dispatch('json_extract_path', 'cx_warehouse')(json_expr, path, as_text)) }}
{%- endmacro %}

{% macro duckdb__json_extract_path(json_expr, path, as_text=true) -%}
    {%- if as_text -%}
        json_extract_string({{ json_expr }}, '{{ path }}')
    {%- else -%}
        json_extract({{ json_expr }}, '{{ path }}')
    {%- endif -%}
{%- endmacro %}


{#-
    JSON text, portably. DuckDB has a JSON type; on Spark a JSON value stays text and each
    macro parses it (try_parse_json, the VARIANT functions). Paths are JSONPath as DuckDB reads
    them ('$.a.b', '$.list[*].field').
-#}

{% macro json_parse(text_expr) -%}
    {#- The value as JSON, null when the text is not JSON. -#}
    {{ return(adapter.dispatch('json_parse', 'cx_warehouse')(text_expr)) }}
{%- endmacro %}

{% macro duckdb__json_parse(text_expr) -%}
    try_cast({{ text_expr }} as json)
{%- endmacro %}

{% macro spark__json_parse(text_expr) -%}
    case when try_parse_json({{ text_expr }}) is not null then {{ text_expr }} end
{%- endmacro %}


{% macro json_is_valid(text_expr) -%}
    {{ return(adapter.dispatch('json_is_valid', 'cx_warehouse')(text_expr)) }}
{%- endmacro %}

{% macro duckdb__json_is_valid(text_expr) -%}
    json_valid({{ text_expr }})
{%- endmacro %}

{% macro spark__json_is_valid(text_expr) -%}
    (try_parse_json({{ text_expr }}) is not null)
{%- endmacro %}


{% macro json_kind_is(json_expr, kind, path='$') -%}
    {#- Whether the value at path is a JSON object, array or integer (kind). -#}
    {{ return(adapter.dispatch('json_kind_is', 'cx_warehouse')(json_expr, kind, path)) }}
{%- endmacro %}

{% macro duckdb__json_kind_is(json_expr, kind, path='$') -%}
    {%- set types = {'object': "('OBJECT')", 'array': "('ARRAY')",
        'integer': "('UBIGINT', 'BIGINT')"}[kind] -%}
    (json_type({{ json_expr }}{% if path != '$' %}, '{{ path }}'{% endif %}) in {{ types }})
{%- endmacro %}

{% macro spark__json_kind_is(json_expr, kind, path='$') -%}
    {%- set value = "schema_of_variant(try_variant_get(try_parse_json(" ~ json_expr ~ "), '"
        ~ path ~ "', 'variant'))" -%}
    {%- if kind == 'integer' -%}
        ({{ value }} in ('BIGINT', 'INT', 'SMALLINT', 'TINYINT'))
    {%- else -%}
        ({{ value }} like '{{ kind | upper }}%')
    {%- endif -%}
{%- endmacro %}


{% macro json_has_path(json_expr, path) -%}
    {{ return(adapter.dispatch('json_has_path', 'cx_warehouse')(json_expr, path)) }}
{%- endmacro %}

{% macro duckdb__json_has_path(json_expr, path) -%}
    json_exists({{ json_expr }}, '{{ path }}')
{%- endmacro %}

{% macro spark__json_has_path(json_expr, path) -%}
    (try_variant_get(try_parse_json({{ json_expr }}), '{{ path }}', 'variant') is not null)
{%- endmacro %}


{% macro json_array_size(json_expr) -%}
    {#- The length of a JSON array (null when the value is not an array). -#}
    {{ return(adapter.dispatch('json_array_size', 'cx_warehouse')(json_expr)) }}
{%- endmacro %}

{% macro duckdb__json_array_size(json_expr) -%}
    json_array_length({{ json_expr }})
{%- endmacro %}

{% macro spark__json_array_size(json_expr) -%}
    array_size(try_variant_get(try_parse_json({{ json_expr }}), '$', 'array<variant>'))
{%- endmacro %}


{% macro json_array_elements(json_expr, value_alias, index_alias) -%}
    {#- Select-list items: one row per element of the JSON array (its JSON text as
        value_alias) with its 0-based position (index_alias). -#}
    {{ return(adapter.dispatch('json_array_elements', 'cx_warehouse')(
        json_expr, value_alias, index_alias)) }}
{%- endmacro %}

{% macro duckdb__json_array_elements(json_expr, value_alias, index_alias) -%}
    unnest(json_extract({{ json_expr }}, '$[*]')) as {{ value_alias }},
    generate_subscripts(json_extract({{ json_expr }}, '$[*]'), 1) - 1 as {{ index_alias }}
{%- endmacro %}

{% macro spark__json_array_elements(json_expr, value_alias, index_alias) -%}
    posexplode(transform(
        try_variant_get(try_parse_json({{ json_expr }}), '$', 'array<variant>'),
        json_element -> to_json(json_element)
    )) as ({{ index_alias }}, {{ value_alias }})
{%- endmacro %}


{% macro epoch_ms_to_timestamp(expr) -%}
    {#- Epoch milliseconds (text or number) as a UTC timestamp; null when not a number. -#}
    {{ return(adapter.dispatch('epoch_ms_to_timestamp', 'cx_warehouse')(expr)) }}
{%- endmacro %}

{% macro duckdb__epoch_ms_to_timestamp(expr) -%}
    try(epoch_ms(try_cast({{ expr }} as bigint)))
{%- endmacro %}

{% macro spark__epoch_ms_to_timestamp(expr) -%}
    timestamp_millis(try_cast({{ expr }} as bigint))
{%- endmacro %}
