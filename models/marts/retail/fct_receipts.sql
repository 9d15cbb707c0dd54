{#-
    Incremental (append by load; DECISIONS.md, "Incremental models"): each build appends the
    receipts of the loads not published yet, sorted by store and local date, so a lookup by
    store and date reads only the row groups that hold them (DuckDB skips the others by their
    min/max). A later erasure request de-identifies published receipts (post-hook).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ deidentify_like_parent('receipt_id', 'base_retail__receipts',
        ['customer_id', 'card_last4'], also={'is_loyalty_member': 'false'}) }}",
) }}
with

receipts as (
    select * from {{ ref('int_receipts_enriched') }}
    where {{ new_loads_only('source_load') }}
),

final as (
    select * from receipts
)

select * from final
order by store_id, transaction_date, transaction_local_at, receipt_id
