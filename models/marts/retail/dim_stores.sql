with

stores as (
    select * from {{ ref('stg_retail__stores') }}
),

final as (
    select
        store_id,
        store_name,
        city,
        region,
        timezone,
        opened_date
    from stores
)

select * from final
