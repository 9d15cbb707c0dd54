{% macro drop_python_model_temp_tables(relation) -%}
    {{- return(adapter.dispatch('drop_python_model_temp_tables')(relation)) -}}
{%- endmacro %}

{% macro duckdb__drop_python_model_temp_tables(relation) -%}
    {%- if execute -%}
        {%- set prefix = relation.identifier ~ '__dbt_tmp' -%}
        {%- set leftovers -%}
            select table_schema, table_name
            from information_schema.tables
            where table_catalog = '{{ relation.database }}'
                and table_type = 'BASE TABLE'
                and substr(table_name, 1, {{ prefix | length }}) = '{{ prefix }}'
        {%- endset -%}
        {%- for row in run_query(leftovers).rows %}
            drop table if exists "{{ relation.database }}"."{{ row[0] }}"."{{ row[1] }}";
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- On Spark the six models are SQL tables (cx_warehouse.spark_udfs): nothing is left behind. -#}
{% macro spark__drop_python_model_temp_tables(relation) -%}
{%- endmacro %}

{% macro scored_input_md5(code_version, expression) -%}
    md5({{ code_version }} || chr(31) || coalesce({{ expression }}, chr(0)))
{%- endmacro %}
