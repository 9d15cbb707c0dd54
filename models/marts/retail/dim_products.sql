with

products as (
    select * from {{ ref('stg_retail__products') }}
),

final as (
    select
        product_id,
        product_name,
        category as product_category,
        subcategory as product_subcategory,
        description,
        unit_price
    from products
)

select * from final
