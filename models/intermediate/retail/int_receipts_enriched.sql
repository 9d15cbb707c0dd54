{#-
    The receipt core: one row per valid receipt with its store, time (local and UTC), payment,
    amounts and what was bought. fct_receipts publishes it (stored sorted for lookups); the
    customer-360 models read it. Incremental (append by load): the receipts of the loads not
    stored yet, with their lines (which arrive in the receipt's load); a later erasure request
    de-identifies stored receipts (post-hook).
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
    select * from {{ ref('stg_retail__receipts') }}
    where {{ new_loads_only('source_load') }}
),

stores as (
    select * from {{ ref('stg_retail__stores') }}
),

receipt_items as (
    select * from {{ ref('int_receipt_items_enriched') }}
    where receipt_id in (select receipts.receipt_id from receipts)
),

receipt_lines as (
    select
        receipt_id,
        {{ sorted_distinct_list('category') }} as categories,
        count(*) as line_count,
        sum(quantity) as item_count,
        sum(discount) as discount_total,
        sum(line_total) as line_total_sum
    from receipt_items
    group by receipt_id
),

final as (
    select
        receipts.receipt_id,
        receipts.store_id,
        receipts.customer_id,
        stores.store_name,
        stores.city,
        stores.region,
        receipts.payment_method,
        receipts.card_last4,
        coalesce(receipt_lines.categories, {{ empty_text_list() }}) as categories,
        cast(coalesce(receipt_lines.line_count, 0) as integer) as line_count,
        cast(coalesce(receipt_lines.item_count, 0) as integer) as item_count,
        receipts.subtotal,
        receipts.tax,
        receipts.total,
        cast(coalesce(receipt_lines.discount_total, 0) as decimal(12, 2)) as discount_total,
        cast(coalesce(receipt_lines.line_total_sum, 0) as decimal(12, 2)) as line_total_sum,
        receipts.customer_id is not null as is_loyalty_member,
        cast(receipts.transaction_local_at as date) as transaction_date,
        receipts.transaction_local_at,
        cast(receipts.utc_offset_minutes as integer) as utc_offset_minutes,
        receipts.transacted_at,
        receipts.source_load
    from receipts
    inner join stores
        on receipts.store_id = stores.store_id
    left outer join receipt_lines
        on receipts.receipt_id = receipt_lines.receipt_id
)

select * from final
