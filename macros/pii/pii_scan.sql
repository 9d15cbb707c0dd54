{% macro pii_scan_changed_rows(excluded_schemas) -%}
    {#- Scans the rows of every public text column that changed since the last scan; returns the
        relation of the findings (relation, column, kind, matching rows). See _macros.yml. -#}
    {%- set state = api.Relation.create(database=target.database, schema='restricted',
                                        identifier='pii_scan_clean_rows') -%}
    {%- set findings = api.Relation.create(database=target.database, schema='restricted',
                                           identifier='pii_scan_findings') -%}
    {%- if not execute -%}
        {{- return(findings) -}}
    {%- endif -%}
    {%- set patterns = cx_warehouse.pii_pattern_regexes() -%}
    {#- A row is skipped only when the same values were scanned clean by the same patterns. -#}
    {%- set scan_version = local_md5(patterns | tojson) -%}
    {%- do run_query(
        "create schema if not exists " ~ state.include(identifier=false) ~ ";"
        ~ " create table if not exists " ~ state
        ~ " (relation_name varchar, row_md5 uhugeint);"
        ~ " create or replace table " ~ findings ~ " (relation_name varchar,"
        ~ " column_name varchar, pii_kind varchar, matching_rows bigint);"
    ) -%}
    {%- set columns_query -%}
        select columns.table_schema, columns.table_name, columns.column_name,
            tables.table_type
        from information_schema.columns as columns
        inner join information_schema.tables as tables
            on columns.table_catalog = tables.table_catalog
                and columns.table_schema = tables.table_schema
                and columns.table_name = tables.table_name
        where columns.table_catalog = '{{ target.database }}'
            and lower(columns.table_schema) not in ('{{ excluded_schemas | join("', '") }}')
            and (columns.data_type = 'VARCHAR' or columns.data_type like 'VARCHAR[]%')
            -- dbt's own node ids (test.<project>.<name>.<10-hex hash>) in the run log: a hash of
            -- ten digits looks like a phone number to the scan, but is not data about anyone.
            and not (lower(columns.table_schema) = 'audit' and columns.table_name = 'dbt_model_runs'
                and columns.column_name = 'unique_id')
        order by columns.table_schema, columns.table_name, columns.ordinal_position
    {%- endset -%}
    {%- set relations = {} -%}
    {%- set kinds = {} -%}
    {%- for row in run_query(columns_query).rows -%}
        {%- set key = '"' ~ row[0] ~ '"."' ~ row[1] ~ '"' -%}
        {%- do relations.setdefault(key, []).append(row[2]) -%}
        {%- do kinds.update({key: row[3]}) -%}
    {%- endfor -%}
    {%- set names = relations.keys() | map('replace', '"', '') | list -%}
    {#- State of relations that are gone (or lost every text column) is dropped. -#}
    {%- do run_query(
        "delete from " ~ state ~ " where relation_name not in ('"
        ~ (names + ['']) | join("', '") ~ "')"
    ) -%}
    {#- One script for every relation (one round trip): hash, keep the unscanned rows, scan
        them, record findings and the clean hashes. -#}
    {%- set script = [] -%}
    {%- set row_hashes = {} -%}
    {%- for relation, columns in relations.items() -%}
        {%- set name = relation | replace('"', '') -%}
        {%- set cells = [] -%}
        {%- for column in columns -%}
            {%- do cells.append('cast("' ~ column ~ '" as varchar)') -%}
        {%- endfor -%}
        {%- set row_md5 -%}
            md5_number(concat_ws(chr(31), '{{ scan_version }}', '{{ columns | join(",") }}'
            {%- for cell in cells %}, coalesce({{ cell }}, chr(0)){% endfor -%}
            ))
        {%- endset -%}
        {%- do row_hashes.update({relation: row_md5}) -%}
        {%- set scan -%}
            create or replace temp table pii_scan_new as
            select
                rows.row_md5,
                {%- for column in columns %}
                    rows."{{ column }}"{{ "," if not loop.last }}
                {%- endfor %}
            from (
                select
                    {{ row_md5 }} as row_md5,
                    {%- for column in columns %}
                        {{ cells[loop.index0] }} as "{{ column }}"{{ "," if not loop.last }}
                    {%- endfor %}
                from {{ relation }}
            ) as rows
            anti join (
                select row_md5 from {{ state }} where relation_name = '{{ name }}'
            ) as clean
                on rows.row_md5 = clean.row_md5;

            create or replace temp table pii_scan_hits as
            select
                unpivoted.row_md5,
                unpivoted.column_name,
                case
                    {%- for kind, regex in patterns.items() %}
                        when regexp_matches(unpivoted.cell_value, '{{ regex }}') then '{{ kind }}'
                    {%- endfor %}
                end as pii_kind
            from pii_scan_new
            unpivot (cell_value for column_name in (
                {%- for column in columns %}"{{ column }}"{{ ", " if not loop.last }}{% endfor -%}
            )) as unpivoted
            where {{ cx_warehouse.contains_pii('unpivoted.cell_value') }};

            insert into {{ findings }}
            select '{{ name }}', column_name, pii_kind, count(*)
            from pii_scan_hits
            group by column_name, pii_kind;

            insert into {{ state }}
            select distinct '{{ name }}', pii_scan_new.row_md5
            from pii_scan_new
            anti join pii_scan_hits
                on pii_scan_new.row_md5 = pii_scan_hits.row_md5;
        {%- endset -%}
        {%- do script.append(scan) -%}
    {%- endfor -%}
    {%- if script -%}
        {%- do run_query(script | join('\n') ~ '\ndrop table if exists pii_scan_new;'
                         ~ ' drop table if exists pii_scan_hits;') -%}
    {%- endif -%}
    {#- Rows deleted or changed since they were scanned leave stale hashes: when they make up
        more than half of a relation's state, it is rebuilt from the relation's rows. -#}
    {%- set large = run_query(
        "select relation_name from " ~ state ~ " group by relation_name having count(*) > 1000"
    ).columns[0].values() -%}
    {%- set candidates = [] -%}
    {%- for relation in relations if relation | replace('"', '') in large -%}
        {%- do candidates.append(relation) -%}
    {%- endfor -%}
    {%- if candidates -%}
        {%- set sizes -%}
            {%- for relation in candidates %}
                select
                    '{{ relation | replace('"', '') }}' as relation_name,
                    (select count(*) from {{ relation }}) as row_count
                {{ "union all" if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- set counts = {} -%}
        {%- for row in run_query(sizes).rows -%}
            {%- do counts.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- set stored = {} -%}
        {%- for row in run_query(
                "select relation_name, count(*) from " ~ state ~ " group by relation_name"
            ).rows -%}
            {%- do stored.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- for relation in candidates -%}
            {%- set name = relation | replace('"', '') -%}
            {%- if stored.get(name, 0) > 2 * counts.get(name, 0) -%}
                {%- do run_query(
                    "delete from " ~ state ~ " where relation_name = '" ~ name ~ "' and row_md5"
                    ~ " not in (select " ~ row_hashes[relation] ~ " from " ~ relation ~ ")"
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(findings) -}}
{%- endmacro %}
