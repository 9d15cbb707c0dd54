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
        order_by='source_row_number') -%}
    coalesce(
        {{ row_reason }},
        case
            when row_number() over (
                partition by {{ key_columns | join(', ') }}, {{ row_reason }} is null
                order by {{ order_by }}
            ) > 1 then 'duplicate_id'
        end
    )
{%- endmacro %}


{% macro row_to_json(relation_alias) -%}
    {{ return(adapter.dispatch('row_to_json', 'cx_warehouse')(relation_alias)) }}
{%- endmacro %}

{% macro duckdb__row_to_json(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}

{% macro select_quarantined_rows(base_model, source_table, record_key='record_key') -%}
with

base as (
    select * from {{ ref(base_model) }}
),

final as (
    select
        '{{ source_table }}:' || cast(source_row_number as varchar) as quarantined_row_id,
        '{{ source_table }}' as source_table,
        cast({{ record_key }} as varchar) as record_key,
        reject_reason,
        raw_record,
        source_row_number
    from base
    where reject_reason is not null
)

select * from final
{%- endmacro %}
