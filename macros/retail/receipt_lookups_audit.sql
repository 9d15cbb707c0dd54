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
