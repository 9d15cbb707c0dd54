{#- Ephemeral: types the raw stores and decides each row's reject_reason (null = valid). -#}
with

stores as (
    select * from {{ source('retail', 'stores') }}
),

typed as (
    select
        {{ source_load('stores') }} as source_load,
        stores.file_row_number as source_row_number,
        {{ row_to_json('stores') }} as raw_record,
        nullif(trim(stores.store_id), '') as store_id,
        nullif(trim(stores.store_name), '') as store_name,
        nullif(trim(stores.city), '') as city,
        nullif(trim(stores.region), '') as region,
        nullif(trim(stores.timezone), '') as timezone,
        try_cast(stores.opened_date as date) as opened_date
    from stores
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('missing_required', "store_id is null or store_name is null or city is null
                or timezone is null"),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['store_id']) }} as reject_reason
    from checked
)

select * from final
