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
