{% macro surrogate_key(field_list) -%}
    {%- if field_list is string -%}
        {%- set field_list = [field_list] -%}
    {%- endif -%}
    {%- if field_list | length == 0 -%}
        {{- exceptions.raise_compiler_error(
            "surrogate_key needs at least one field, e.g. surrogate_key(['ticket_id', 'seq'])."
        ) -}}
    {%- endif -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- do fields.append(
            'coalesce(cast(' ~ field ~ ' as ' ~ dbt.type_string() ~ "), '_null_')"
        ) -%}
        {%- if not loop.last -%}
            {%- do fields.append("'-'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro %}
