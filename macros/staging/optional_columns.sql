{% macro optional_source_column(source_name, table_name, column_name, data_type) -%}
    {#- The source column when the raw file has it, else a typed null: a column declared with
        `meta: {optional: true}` may be absent from an export. One `describe` of the file per call
        at run time; at parse time the column is assumed present. In a unit test (the source is
        mocked as a CTE, which cannot be described) the column reads as null. -#}
    {%- if not execute -%}
        {{- return(table_name ~ '.' ~ column_name) -}}
    {%- endif -%}
    {%- set relation = source(source_name, table_name) | string -%}
    {%- if relation.startswith('__dbt__cte__') -%}
        {{- return('cast(null as ' ~ data_type ~ ')') -}}
    {%- endif -%}
    {#- No file to describe (sqlfluff's compile without a landing folder): assume present, as
        at parse time; a build with files describes them, and the drift hook names a missing
        file before any model runs. -#}
    {%- set path = modules.re.search("'([^']+)'", relation) -%}
    {%- if path is not none -%}
        {%- set found = run_query("select count(*) from glob('" ~ path.group(1) ~ "')") -%}
        {%- if found.columns[0].values()[0] == 0 -%}
            {{- return(table_name ~ '.' ~ column_name) -}}
        {%- endif -%}
    {%- endif -%}
    {%- set present = cx_warehouse.relation_column_names(relation) -%}
    {%- if column_name | lower not in present -%}
        {{- return('cast(null as ' ~ data_type ~ ')') -}}
    {%- endif -%}
    {{- return(table_name ~ '.' ~ column_name) -}}
{%- endmacro %}


{% macro relation_column_names(relation) -%}
    {#- The lower-cased column names of a relation (or a reader expression on DuckDB). -#}
    {{- return(adapter.dispatch('relation_column_names', 'cx_warehouse')(relation)) -}}
{%- endmacro %}


{% macro duckdb__relation_column_names(relation) -%}
    {%- set described = run_query('describe select * from ' ~ relation ~ ' limit 0') -%}
    {{- return(described.columns['column_name'].values() | map('lower') | list) -}}
{%- endmacro %}


{% macro spark__relation_column_names(relation) -%}
    {%- set described = run_query('describe ' ~ relation) -%}
    {%- set names = [] -%}
    {%- for name in described.columns['col_name'].values() -%}
        {%- if name and not name.startswith('#') -%}
            {%- do names.append(name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}
