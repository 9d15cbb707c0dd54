with

products as (
    select * from {{ ref('stg_retail__products') }}
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
