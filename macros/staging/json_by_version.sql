{#-
    One field of a semi-structured record whose JSON path depends on its schema version:
    `case <version> when 1 then <v1 path> when 2 then <v2 path> end`. A version missing from
    `paths` gives null (a field that version does not have). The mapping of fields to paths per
    version is declared once, as data, in the model that reads the records.
-#}
{% macro json_field_by_version(json_expr, version_expr, paths, as_text=true) -%}
    case {{ version_expr }}
    {%- for version, path in paths.items() %}
        when {{ version }} then {{ json_extract_path(json_expr, path, as_text) }}
    {%- endfor %}
    end
{%- endmacro %}


{#- A JSONPath lookup, as text (as_text=true) or as JSON. Dispatched. -#}
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
