{#- One row: the landing folder's extract. A full extract has one _extract.json; daily loads
    have one per load (docs/raw_source_contract.md), and the folder is as fresh as its newest
    load: extracted_at is the latest, the window runs from the earliest start to the latest
    end. -#}
{{ config(materialized='table') }}
with

extract_manifest as (
    select * from {{ source('landing', 'extract_manifest') }}
),

typed as (
    select
        try_cast(cast(window_start as {{ cx_warehouse.text_type() }}) as date) as window_start_date,
        try_cast(cast(window_end as {{ cx_warehouse.text_type() }}) as date) as window_end_date,
        {{ parse_utc_timestamp('cast(extracted_at as ' ~ text_type() ~ ')') }} as extracted_at
    from extract_manifest
),

final as (
    select
        'extract' as extract_id,
        min(window_start_date) as window_start_date,
        max(window_end_date) as window_end_date,
        max(extracted_at) as extracted_at,
        count(*) as manifest_count
    from typed
)

select * from final
