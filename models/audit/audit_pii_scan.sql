{#-
    The post-build PII scan's findings: every text column of every table and view outside the
    restricted and quarantine schemas, new ones included, searched for email, phone, card, CPF
    and CNPJ patterns (the regexes redact_pii_text uses). One row per relation, load scanned,
    column and kind of hit (pii_kind null: the cells with no hit). The test
    assert_no_raw_pii_outside_restricted fails on any hit.
    Incremental (delete+insert by relation and load), so the scan costs what changed: a
    relation whose stored rows of a load never change (pii_scan_plan: an incremental model, or
    a view over such models only) is read only for the loads not scanned under its current
    code; any other relation is read whole every time (scanned_load '*'). Each relation is
    read once, its text columns unpivoted into one column of cells. On Spark (no
    delete+insert on Parquet) it is a table: every relation read whole.
-#}
{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    incremental_strategy='delete+insert',
    unique_key=['relation_name', 'scanned_load'],
    on_schema_change='fail',
    tags=['post_build'],
) }}

{%- set excluded_schemas = ['restricted', 'quarantine', 'information_schema', 'pg_catalog'] -%}
{#- The scan's own findings hold no row data (names of relations and columns only). -#}
{%- set skipped_relations = [(this.schema ~ '.' ~ this.identifier) | lower] -%}
{%- set plan = pii_scan_plan(excluded_schemas, skipped_relations) if execute else [] -%}
{%- set scanned = {} -%}
{%- if execute and is_incremental() -%}
    {%- set scanned_query -%}
        select distinct relation_name, scanned_load, scan_basis from {{ this }}
        where scanned_load != '*'
    {%- endset -%}
    {%- for row in run_query(scanned_query).rows -%}
        {%- do scanned.setdefault(row[0] ~ '|' ~ row[2], []).append(row[1]) -%}
    {%- endfor -%}
{%- endif -%}
{%- set patterns = pii_pattern_regexes() %}

with

cells as (
    {%- for item in plan %}
        {%- set loads = scanned.get(item.relation_name ~ '|' ~ item.basis, []) %}
        select
            '{{ item.relation_name }}' as relation_name,
            {{ "unpivoted.scanned_load" if item.basis else "'*'" }} as scanned_load,
            '{{ item.basis or "" }}' as scan_basis,
            unpivoted.column_name,
            unpivoted.cell_value
        from (
            select
                {%- if item.basis %}
                    cast(source_load as {{ text_type() }}) as scanned_load,
                {%- endif %}
                {%- for column in item.columns %}
                    cast({{ adapter.quote(column) }} as {{ text_type() }}) as {{ adapter.quote(column) }}
                    {{- "," if not loop.last }}
                {%- endfor %}
            from {{ item.relation }}
            {%- if loads %}
            where source_load not in (
                {%- for load in loads %}'{{ load }}'{{ ", " if not loop.last }}{% endfor -%}
            )
            {%- endif %}
        ) unpivot include nulls (cell_value for column_name in (
            {%- for column in item.columns %}{{ adapter.quote(column) }}{{ ", " if not loop.last }}{% endfor -%}
        )) as unpivoted
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as {{ text_type() }}) as relation_name,
            cast(null as {{ text_type() }}) as scanned_load,
            cast(null as {{ text_type() }}) as scan_basis,
            cast(null as {{ text_type() }}) as column_name,
            cast(null as {{ text_type() }}) as cell_value
        where false
    {%- endfor %}
),

classified as (
    select
        relation_name,
        scanned_load,
        scan_basis,
        column_name,
        case
            when {{ contains_pii('cell_value') }} then case
                {%- for kind, regex in patterns.items() %}
                    when {{ regex_matches('cell_value', regex) }} then '{{ kind }}'
                {%- endfor %}
            end
        end as pii_kind
    from cells
),

final as (
    select
        relation_name,
        coalesce(scanned_load, '') as scanned_load,
        scan_basis,
        column_name,
        pii_kind,
        count(*) as matching_cells
    from classified
    group by relation_name, coalesce(scanned_load, ''), scan_basis, column_name, pii_kind
)

select * from final
