{#-
    The receipt-line core int_receipt_items_enriched, published under a contract; the product's
    category and subcategory are named product_category and product_subcategory here, because
    `category` is a ticket's category in the support marts. Incremental (append by load): each
    build appends the lines of the loads not published yet; a later erasure request removes
    the customer of a published line (post-hook).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ deidentify_like_parent('receipt_id', 'base_retail__receipts', ['customer_id']) }}",
) }}
with

receipt_items as (
    select * from {{ ref('int_receipt_items_enriched') }}
    where {{ new_loads_only('source_load') }}
),

final as (
    select
        receipt_item_id,
        receipt_id,
        product_id,
        store_id,
        customer_id,
        product_name,
        category as product_category,
        subcategory as product_subcategory,
        line_number,
        quantity,
        unit_price,
        discount,
        line_total,
        transaction_date,
        transaction_local_at,
        transacted_at,
        source_load
    from receipt_items
)

select * from final
