{#- Ephemeral: types the raw products and decides each row's reject_reason (null = valid). -#}
with

products as (
    select * from {{ source('retail', 'products') }}
),

typed as (
    select
        {{ source_load('products') }} as source_load,
        products.file_row_number as source_row_number,
        {{ row_to_json('products') }} as raw_record,
        nullif(trim(products.product_id), '') as product_id,
        nullif(trim(products.product_name), '') as product_name,
        nullif(trim(products.category), '') as category,
        nullif(trim(products.subcategory), '') as subcategory,
        nullif(trim(products.description), '') as description,
        try_cast(products.unit_price as decimal(12, 2)) as unit_price
    from products
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('missing_required', "product_id is null or product_name is null or category is null
                or unit_price is null"),
            ('invalid_amount', "unit_price < 0"),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['product_id']) }} as reject_reason
    from checked
)

select * from final
