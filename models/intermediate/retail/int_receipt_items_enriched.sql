{#-
    The receipt-line core: one row per valid receipt line with what the retail marts and reports
    need beside it: the product's name and category, and the receipt's store, customer and
    time. fct_receipt_items publishes it as is; int_receipts_enriched sums it per receipt and
    rpt_customer_spending per customer, category and month. Incremental (append by load): the
    lines of the loads not stored yet (a line arrives in its receipt's load); a receipt that a
    later erasure request de-identifies loses its customer here too (post-hook).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ deidentify_like_parent('receipt_id', 'base_retail__receipts', ['customer_id']) }}",
) }}
with

receipt_items as (
    select * from {{ ref('stg_retail__receipt_items') }}
    where {{ new_loads_only('source_load') }}
),

receipts as (
    select * from {{ ref('stg_retail__receipts') }}
),

products as (
    select * from {{ ref('stg_retail__products') }}
),

final as (
    select
        receipt_items.receipt_item_id,
        receipt_items.receipt_id,
        receipt_items.product_id,
        receipts.store_id,
        receipts.customer_id,
        products.product_name,
        products.category,
        products.subcategory,
        cast(receipt_items.line_number as integer) as line_number,
        cast(receipt_items.quantity as integer) as quantity,
        receipt_items.unit_price,
        receipt_items.discount,
        receipt_items.line_total,
        cast(receipts.transaction_local_at as date) as transaction_date,
        receipts.transaction_local_at,
        receipts.transacted_at,
        receipt_items.source_load
    from receipt_items
    inner join receipts
        on receipt_items.receipt_id = receipts.receipt_id
    inner join products
        on receipt_items.product_id = products.product_id
)

select * from final
