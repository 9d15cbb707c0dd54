{#-
    One row per erasure request, written by the first build that applied it and never rewritten
    (incremental, append-only, no full refresh): when the erasure took effect and how many raw
    rows of each table it removed (or de-identified) then. No raw PII: the request's keys are
    kept only as salted hashes; the request itself stays in restricted.vault_landing__erasure_requests.
-#}
{{ config(
    materialized='incremental',
    unique_key='request_id',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail',
) }}
{%- set erasure_subjects = ref('base_landing__erasure_subjects') -%}
{%- set rules = erasure_rules() %}
with

erasure_requests as (
    select * from {{ ref('base_landing__erasure_requests') }}
),

final as (
    select
        erasure_requests.request_id,
        {{ hash_pii('erasure_requests.customer_id', 'text') }} as customer_id_hash,
        {{ hash_pii('erasure_requests.email', 'email') }} as email_hash,
        {{ dbt.string_literal(invocation_id) }} as effective_invocation_id,
        {%- for table_name in rules %}
            {%- set source_name, raw_table = table_name.split('.') %}
            (
                select count(*)
                from {{ source(source_name, raw_table) }} as raw_rows
                where {{ is_erased(
                    table_name,
                    subjects='(select * from ' ~ erasure_subjects
                        ~ ' where request_id = erasure_requests.request_id)',
                    relation_alias='raw_rows'
                ) }}
            ) as {{ raw_table }}_{{ 'deidentified' if table_name in
                erasure_deidentified_columns() else 'erased' }}_rows,
        {%- endfor %}
        erasure_requests.requested_at,
        {{ extracted_at() }} as effective_extracted_at,
        cast({{ dbt.string_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }} as timestamp)
            as effective_at
    from erasure_requests
    {% if is_incremental() -%}
        where erasure_requests.request_id not in (select request_id from {{ this }})
    {%- endif %}
)

select * from final
