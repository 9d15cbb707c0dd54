{#- Restricted: the right-to-erasure request log as received (one row per request), the only
    table besides audit.erasure_log that still names an erased person. -#}
with

erasure_requests as (
    select * from {{ ref('base_landing__erasure_requests') }}
),

final as (
    select
        request_id,
        customer_id,
        email_as_received as email,
        customer_id is not null or email is not null as has_subject_key,
        source_row_number,
        requested_at
    from erasure_requests
)

select * from final
