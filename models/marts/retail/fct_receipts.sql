{#-
    Stored sorted by store and local date: on large extracts a lookup by store and date then
    reads only the row groups that hold them (DuckDB skips the others by their min/max).
-#}
with

receipts as (
    select * from {{ ref('int_receipts_enriched') }}
),

final as (
    select * from receipts
)

select * from final
order by store_id, transaction_date, transaction_local_at, receipt_id
