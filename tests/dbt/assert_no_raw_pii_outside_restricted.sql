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
    {%- for row in pii_scan_text_columns(excluded_schemas) -%}
        {%- set key = adapter.quote(row[0]) ~ '.' ~ adapter.quote(row[1]) -%}
        {%- do relations.setdefault(key, []).append(row[2]) -%}
    {%- endfor -%}
{%- endif -%}
{%- set patterns = pii_pattern_regexes() %}

with

cells as (
    {%- for relation, columns in relations.items() %}
        select
            '{{ relation | replace('"', '') | replace('`', '') }}' as relation_name,
            unpivoted.column_name,
            unpivoted.cell_value
        from (
            select
                {%- for column in columns %}
                    cast({{ adapter.quote(column) }} as {{ text_type() }}) as {{ adapter.quote(column) }}
                    {{- "," if not loop.last }}
                {%- endfor %}
            from {{ relation }}
        ) unpivot (cell_value for column_name in (
            {%- for column in columns %}{{ adapter.quote(column) }}{{ ", " if not loop.last }}{% endfor -%}
        )) as unpivoted
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            cast(null as {{ text_type() }}) as relation_name,
            cast(null as {{ text_type() }}) as column_name,
            cast(null as {{ text_type() }}) as cell_value
        where false
    {%- endfor %}
),

hits as (
    select
        relation_name,
        column_name,
        case
            {%- for kind, regex in patterns.items() %}
                when {{ regex_matches('cell_value', regex) }} then '{{ kind }}'
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
