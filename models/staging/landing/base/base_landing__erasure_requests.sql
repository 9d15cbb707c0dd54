{#- Ephemeral: the erasure request log, typed. A missing file is no requests on dev and ci
    only (erasure_requests_file_exists). Read by the restricted request log and by
    base_landing__erasure_subjects; never published. -#}
{{ config(materialized='ephemeral') }}
{%- set erasure_requests_source = source('landing', 'erasure_requests') %}
with

erasure_requests as (
    {% if erasure_requests_file_exists() -%}
        select * from {{ erasure_requests_source }}
    {%- else -%}
        select
            cast(null as varchar) as request_id,
            cast(null as varchar) as customer_id,
            cast(null as varchar) as email,
            cast(null as varchar) as requested_at,
            cast(null as bigint) as ordinality  -- noqa: RF04
        where false
    {%- endif %}
),

final as (
    select
        cast(erasure_requests.ordinality as bigint) as source_row_number,
        -- A request without an id is still honoured; its id is its row in the file.
        coalesce(
            {{ nullif_blank('erasure_requests.request_id') }},
            'row:' || cast(erasure_requests.ordinality as varchar)
        ) as request_id,
        {{ erasure_key('customer_id', 'erasure_requests.customer_id') }} as customer_id,
        {{ erasure_key('email', 'erasure_requests.email') }} as email,
        {{ nullif_blank('erasure_requests.email') }} as email_as_received,
        {{ parse_utc_timestamp('erasure_requests.requested_at') }} as requested_at
    from erasure_requests
)

select * from final
