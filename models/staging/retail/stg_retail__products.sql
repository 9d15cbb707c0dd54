with

products as (
    select * from {{ ref('base_retail__products') }}
    where reject_reason is null
),

final as (
    select
        product_id,
        product_name,
        category,
        subcategory,
        description,
        unit_price
    from products
)

select * from final
