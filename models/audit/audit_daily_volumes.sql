{#-
    The history of daily volumes: audit_daily_event_counts merged in on every build (one row
    per relation and reporting day; a day counted again replaces its earlier count). Days the
    current landing folder no longer holds keep the count they had, so the z-scores of
    audit_volume_zscores see the trailing history even when a landing folder only holds recent
    data. Incremental and never rebuilt by --full-refresh (full_refresh=false): dropping it
    would lose the history. On Spark (Parquet: no delete) each build overwrites the days it
    counted, partition by partition (DECISIONS.md, "Running on Spark").
-#}
{{ config(
    materialized='incremental',
    unique_key='daily_volume_id',
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'delete+insert'),
    partition_by=(['event_date'] if target.type == 'spark' else none),
    on_schema_change='fail',
    full_refresh=false,
) }}

with

daily_event_counts as (
    select * from {{ ref('audit_daily_event_counts') }}
),

final as (
    select
        daily_volume_id,
        relation_name,
        relation_layer,
        event_column,
        row_count,
        is_zero_filled,
        is_complete_day,
        event_date,
        latest_event_at,
        counted_as_of_at
    from daily_event_counts
)

select * from final
