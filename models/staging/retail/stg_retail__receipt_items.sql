with

receipt_items as (
    select * from {{ ref('base_retail__receipt_items') }}
    where reject_reason is null
),

final as (
    select
        {{ surrogate_key(['receipt_id', 'line_number']) }} as receipt_item_id,
        receipt_id,
        product_id,
        line_number,
        quantity,
        unit_price,
        discount,
        line_total,
        source_load
    from receipt_items
)

select * from final
