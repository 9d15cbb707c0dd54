{#-
    Shared steps of the staging pattern (see DECISIONS.md, "Staging and quarantine"):
    every raw table has an ephemeral base model that types the raw row and gives it a
    reject_reason (null = valid); stg_ models keep the valid rows, quarantine_ models the rest.
-#}

{% macro first_reject_reason(checks) -%}
    case
    {%- for reason, condition in checks %}
        when {{ condition }} then '{{ reason }}'
    {%- endfor %}
    end
{%- endmacro %}


{% macro reject_reason_with_duplicates(key_columns, row_reason='row_reject_reason',
        order_by=none, existing=none, relation_alias='checked') -%}
    {#- existing: on an incremental build, the model's own table; a valid row whose key is
        already a valid row there is a duplicate too (the earlier load wins, as in a full
        build, which orders every row by load and then by row number). -#}
    {%- set order_by = order_by or 'source_load, source_row_number' %}
    coalesce(
        {{ row_reason }},
        case
            when row_number() over (
                partition by {{ key_columns | join(', ') }}, {{ row_reason }} is null
                order by {{ order_by }}
            ) > 1 then 'duplicate_id'
            {{ cx_warehouse.duplicate_of_stored_row(key_columns, existing, relation_alias) }}
        end
    )
{%- endmacro %}


{% macro duplicate_of_stored_row(key_columns, existing, relation_alias) -%}
    {#- `when ... then 'duplicate_id'` for a valid row whose key is already a valid row of the
        incremental model's own table (nothing on a full build). -#}
    {%- if existing is none or not is_incremental() -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set matches = [] -%}
    {%- for key_column in key_columns -%}
        {%- do matches.append('existing_rows.' ~ key_column ~ ' = ' ~ relation_alias ~ '.'
            ~ key_column) -%}
    {%- endfor -%}
    {{- return(' when exists (select 1 from ' ~ existing ~ ' as existing_rows where '
        ~ 'existing_rows.reject_reason is null and ' ~ matches | join(' and ')
        ~ ") then 'duplicate_id'") -}}
{%- endmacro %}


{% macro row_to_json(relation_alias, exclude=[]) -%}
    {{ return(adapter.dispatch('row_to_json', 'cx_warehouse')(relation_alias, exclude)) }}
{%- endmacro %}

{% macro duckdb__row_to_json(relation_alias, exclude=[]) -%}
    {{- cx_warehouse.duckdb__raw_row_json(relation_alias, exclude) -}}
{%- endmacro %}

{#- The raw row as a value a model carries to its final CTE, where raw_row_json turns it into
    row_to_json's text only for the rows that keep it (rejected rows): JSON for every row
    costs more than the rest of a large base model. -#}
{% macro raw_row(relation_alias, exclude=[]) -%}
    {{ return(adapter.dispatch('raw_row', 'cx_warehouse')(relation_alias, exclude)) }}
{%- endmacro %}

{% macro duckdb__raw_row(relation_alias, exclude=[]) -%}
    {#- The reader's row as a struct; raw_row_json leaves out `exclude`. -#}
    {{ relation_alias }}
{%- endmacro %}

{% macro raw_row_json(raw_row_expr, exclude=[]) -%}
    {{ return(adapter.dispatch('raw_row_json', 'cx_warehouse')(raw_row_expr, exclude)) }}
{%- endmacro %}

{% macro duckdb__raw_row_json(raw_row_expr, exclude=[]) -%}
    {#- The reader's own columns (file name, row counter across files) and the columns in
        `exclude` are not part of the row. -#}
    {%- set expr = 'to_json(' ~ raw_row_expr ~ ')' -%}
    {%- for column_name in ['filename', 'ordinality'] + exclude -%}
        {%- set expr = "json_remove(" ~ expr ~ ", '$." ~ column_name ~ "')" -%}
    {%- endfor -%}
    cast({{ expr }} as {{ cx_warehouse.text_type() }})
{%- endmacro %}

{% macro select_quarantined_rows(base_model, source_table, record_key='record_key') -%}
with

base as (
    select * from {{ ref(base_model) }}
),

final as (
    select
        {{ source_row_id(source_table) }} as quarantined_row_id,
        '{{ source_table }}' as source_table,
        cast({{ record_key }} as {{ cx_warehouse.text_type() }}) as record_key,
        reject_reason,
        raw_record,
        source_load,
        source_row_number
    from base
    where reject_reason is not null
)

select * from final
{%- endmacro %}
