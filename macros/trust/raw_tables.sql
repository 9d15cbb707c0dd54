{% macro raw_tables() -%}
    {%- set tables = [] -%}
    {%- for node in graph.get('sources', {}).values() | sort(attribute='unique_id') -%}
        {%- if node.meta.get('staged_by') -%}
            {%- do tables.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(tables) -}}
{%- endmacro %}
