{#-
    Scans every text column of every table and view outside the restricted and quarantine
    schemas for email, phone, card, CPF and CNPJ patterns (the same regexes redact_pii_text
    uses). Any hit fails. Runs after the whole build (tag post_build) so it covers every model,
    including ones added later, without listing them.
-#}
{{ config(tags=['post_build'], severity='error') }}

{%- set excluded_schemas = ['restricted', 'quarantine', 'information_schema', 'pg_catalog'] -%}
{%- set text_columns = [] -%}
{%- if execute -%}
    {%- set columns_query -%}
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_catalog = '{{ target.database }}'
            and lower(table_schema) not in ('{{ excluded_schemas | join("', '") }}')
            and (data_type = 'VARCHAR' or data_type like 'VARCHAR[]%')
        order by table_schema, table_name, column_name
    {%- endset -%}
    {%- set text_columns = run_query(columns_query).rows -%}
{%- endif -%}
{%- set patterns = pii_pattern_regexes() %}

with

hits as (
    {%- for column in text_columns %}
    select
        '{{ column[0] }}.{{ column[1] }}' as relation_name,
        '{{ column[2] }}' as column_name,
        case
            {%- for kind, regex in patterns.items() %}
            when regexp_matches(cast("{{ column[2] }}" as varchar), '{{ regex }}')
                then '{{ kind }}'
            {%- endfor %}
        end as pii_kind
    from "{{ column[0] }}"."{{ column[1] }}"
    where pii_kind is not null
    {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as varchar) as relation_name,
            cast(null as varchar) as column_name,
            cast(null as varchar) as pii_kind
        where false
    {%- endfor %}
)

select
    relation_name,
    column_name,
    pii_kind,
    count(*) as matching_rows
from hits
group by relation_name, column_name, pii_kind
