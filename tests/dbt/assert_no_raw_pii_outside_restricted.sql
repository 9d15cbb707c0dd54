{#-
    Scans every text column of every table and view outside the restricted and quarantine
    schemas for email, phone, card, CPF and CNPJ patterns (the same regexes redact_pii_text
    uses). Any hit fails. Runs after the whole build (tag post_build) so it covers every model,
    including ones added later, without listing them.
    Each relation is read once (its text columns unpivoted into one column of cells), so a view
    is evaluated once rather than once per column; one combined regex finds the hits, and only
    the hits are classified by kind.
-#}
{{ config(tags=['post_build'], severity='error') }}

{%- set excluded_schemas = ['restricted', 'quarantine', 'information_schema', 'pg_catalog'] -%}
{%- set relations = {} -%}
{%- if execute -%}
    {%- set columns_query -%}
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_catalog = '{{ target.database }}'
            and lower(table_schema) not in ('{{ excluded_schemas | join("', '") }}')
            and (data_type = 'VARCHAR' or data_type like 'VARCHAR[]%')
            -- dbt's own node ids (test.<project>.<name>.<10-hex hash>) in the run log: a hash of
            -- ten digits looks like a phone number to the scan, but is not data about anyone.
            and not (lower(table_schema) = 'audit' and table_name = 'dbt_model_runs'
                and column_name = 'unique_id')
        order by table_schema, table_name, ordinal_position
    {%- endset -%}
    {%- for row in run_query(columns_query).rows -%}
        {%- set key = '"' ~ row[0] ~ '"."' ~ row[1] ~ '"' -%}
        {%- do relations.setdefault(key, []).append(row[2]) -%}
    {%- endfor -%}
{%- endif -%}
{%- set patterns = pii_pattern_regexes() %}

with

cells as (
    {%- for relation, columns in relations.items() %}
        select
            '{{ relation | replace('"', '') }}' as relation_name,
            unpivoted.column_name,
            unpivoted.cell_value
        from (
            select
                {%- for column in columns %}
                    cast("{{ column }}" as varchar) as "{{ column }}"
                    {{- "," if not loop.last }}
                {%- endfor %}
            from {{ relation }}
        ) unpivot (cell_value for column_name in (
            {%- for column in columns %}"{{ column }}"{{ ", " if not loop.last }}{% endfor -%}
        )) as unpivoted
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as varchar) as relation_name,
            cast(null as varchar) as column_name,
            cast(null as varchar) as cell_value
        where false
    {%- endfor %}
),

hits as (
    select
        relation_name,
        column_name,
        case
            {%- for kind, regex in patterns.items() %}
                when regexp_matches(cell_value, '{{ regex }}') then '{{ kind }}'
            {%- endfor %}
        end as pii_kind
    from cells
    where {{ contains_pii('cell_value') }}
)

select
    relation_name,
    column_name,
    pii_kind,
    count(*) as matching_rows
from hits
group by relation_name, column_name, pii_kind
