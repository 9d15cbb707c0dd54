with

receipt_items as (
    select * from {{ ref('int_receipt_items_enriched') }}
),

final as (
    select
        receipt_item_id,
        receipt_id,
        product_id,
        store_id,
        customer_id,
        product_name,
        category,
        subcategory,
        cast(line_number as integer) as line_number,
        cast(quantity as integer) as quantity,
        unit_price,
        discount,
        line_total,
        transaction_date,
        transaction_local_at,
        transacted_at
    from receipt_items
)

select * from final
