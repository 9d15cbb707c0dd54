with

extract_manifest as (
    select * from {{ source('landing', 'extract_manifest') }}
),

final as (
    select
        'extract' as extract_id,
        try_cast(window_start as date) as window_start_date,
        try_cast(window_end as date) as window_end_date,
        {{ parse_utc_timestamp('extracted_at') }} as extracted_at
    from extract_manifest
)

select * from final
