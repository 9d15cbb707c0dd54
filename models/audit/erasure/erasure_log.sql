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
{#- Each raw table's rows are counted per request by a join: the rows any request erases,
    paired with the requests whose own keys match them (a subquery correlated one level deep,
    which both engines decorrelate). -#}
with

erasure_requests as (
    select * from {{ ref('base_landing__erasure_requests') }}
    {% if is_incremental() -%}
        where request_id not in (select request_id from {{ this }})
    {%- endif %}
),
{%- for table_name in rules %}
    {%- set source_name, raw_table = table_name.split('.') %}

    raw_{{ raw_table }}_erased as (
        select * from {{ source(source_name, raw_table) }} as raw_rows
        where {{ is_erased(table_name, relation_alias='raw_rows') }}
    ),

    {{ raw_table }}_counted as (
        select
            erasure_requests.request_id,
            count(*) as row_count
        from raw_{{ raw_table }}_erased as raw_rows
        cross join erasure_requests
        where {{ is_erased(
            table_name,
            subjects=erasure_subjects,
            relation_alias='raw_rows',
            subjects_filter='erasure_subjects.request_id = erasure_requests.request_id'
        ) }}
        group by erasure_requests.request_id
    ),
{%- endfor %}

final as (
    select
        erasure_requests.request_id,
        {{ hash_pii('erasure_requests.customer_id', 'text') }} as customer_id_hash,
        {{ hash_pii('erasure_requests.email', 'email') }} as email_hash,
        {{ dbt.string_literal(invocation_id) }} as effective_invocation_id,
        {%- for table_name in rules %}
            {%- set raw_table = table_name.split('.')[1] %}
            coalesce({{ raw_table }}_counted.row_count, 0) as {{ raw_table }}_{{
            'deidentified' if table_name in erasure_deidentified_columns() else 'erased' }}_rows,
        {%- endfor %}
        erasure_requests.requested_at,
        {{ extracted_at() }} as effective_extracted_at,
        cast({{ dbt.string_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }} as timestamp)
            as effective_at
    from erasure_requests
    {% for table_name in rules -%}
        {%- set raw_table = table_name.split('.')[1] %}
        left outer join {{ raw_table }}_counted
            on erasure_requests.request_id = {{ raw_table }}_counted.request_id
    {% endfor -%}
)

select * from final
