with

stores as (
    select * from {{ ref('base_retail__stores') }}
    where reject_reason is null
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
