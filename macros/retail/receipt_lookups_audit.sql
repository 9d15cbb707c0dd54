{#-
    on-run-start hook: make sure the compliance trail of receipt lookups exists
    (audit.receipt_lookups), without ever replacing it. It is not a dbt model, so no dbt
    command drops or rebuilds it; scripts/lookup_receipts.py appends one row per lookup and
    creates it the same way when missing (cx_warehouse.lookup.AUDIT_COLUMNS, which a pytest
    compares with this DDL).
-#}
{% macro create_receipt_lookups_audit_table() -%}
    {{- return(adapter.dispatch('create_receipt_lookups_audit_table', 'cx_warehouse')()) -}}
{%- endmacro %}

{% macro duckdb__create_receipt_lookups_audit_table() -%}
    create schema if not exists audit;
    create table if not exists audit.receipt_lookups (
        lookup_id varchar,
        user_name varchar,
        tool varchar,
        criteria varchar,
        result_count integer,
        receipt_ids varchar [],
        customer_ids varchar [],
        duration_ms double,
        looked_up_at timestamp with time zone
    )
{%- endmacro %}
