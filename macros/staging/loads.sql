{#-
    Landing layouts (docs/raw_source_contract.md, "Full extracts and daily loads"). A source
    reads `<raw>/**/<table>.<ext>`: the full extract at the landing folder's root and/or the
    daily loads `<raw>/loads/<YYYY-MM-DD>/`. Every raw row is identified by its load (the load
    date, '' for the root extract) and its row number in that file.
-#}

{% macro source_load(relation_alias) -%}
    {#- The load a raw row came from, from the reader's filename column: the load folder's date
        ('2026-06-30'), or '' for a file at the landing folder's root (a full extract). A pure
        function of the file name, so DuckDB prunes whole files on a filter over it. -#}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {#- A unit test's source rows have no file name: one full extract. -#}
        ''
    {%- else -%}
        regexp_extract({{ relation_alias }}.filename, '/loads/([0-9]{4}-[0-9]{2}-[0-9]{2})/[^/]*$', 1)
    {%- endif -%}
{%- endmacro %}


{% macro file_row_number_from_ordinality(relation_alias) -%}
    {#- 0-based row number within its file for the text readers (read_csv ... with
        ordinality numbers rows across all the files of one scan). -#}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ relation_alias }}.ordinality - 1
    {%- else -%}
        {{ relation_alias }}.ordinality
            - min({{ relation_alias }}.ordinality) over (partition by {{ relation_alias }}.filename)
    {%- endif -%}
{%- endmacro %}


{% macro source_row_id(table_name, load='source_load', row_number='source_row_number') -%}
    {#- The readable identity of a raw row: `<table>:<row>` for the root extract (as before
        daily loads existed), `<table>:<load>/<row>` for a row of a daily load. -#}
    '{{ table_name }}:'
        || case when {{ load }} = '' then '' else {{ load }} || '/' end
        || cast({{ row_number }} as {{ cx_warehouse.text_type() }})
{%- endmacro %}


{% macro built_loads() -%}
    {#- The loads an incremental model has already read (a list of strings), queried from its
        own table at run time; empty on a first or full-refresh build. -#}
    {%- if not execute or (model is mapping and model.get('resource_type') == 'unit_test')
            or not is_incremental() -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set result = run_query('select distinct source_load from ' ~ this ~ ' order by 1') -%}
    {{- return(result.columns[0].values() | list) -}}
{%- endmacro %}


{% macro new_loads_only(load_expr) -%}
    {#- A filter keeping the rows of loads this incremental model has not read yet (true on a
        full build). The loads already read are written out as constants, so DuckDB skips
        their files instead of reading and filtering them. -#}
    {%- set loads = cx_warehouse.built_loads() -%}
    {%- if loads | length == 0 -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set quoted = [] -%}
    {%- for load in loads -%}
        {%- do quoted.append("'" ~ load ~ "'") -%}
    {%- endfor -%}
    {{- return(load_expr ~ ' not in (' ~ quoted | join(', ') ~ ')') -}}
{%- endmacro %}
