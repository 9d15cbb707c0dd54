{{ config(materialized='table') }}
with

extract_manifest as (
    select * from {{ source('landing', 'extract_manifest') }}
),

final as (
    select
        'extract' as extract_id,
        try_cast(cast(window_start as varchar) as date) as window_start_date,
        try_cast(cast(window_end as varchar) as date) as window_end_date,
        {{ parse_utc_timestamp('cast(extracted_at as varchar)') }} as extracted_at
    from extract_manifest
)

select * from final
