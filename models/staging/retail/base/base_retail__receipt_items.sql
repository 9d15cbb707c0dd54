{#- Restricted, incremental (append by load): types the raw receipt lines of the loads not
    read yet and decides each row's reject_reason (null = valid), against every valid receipt
    stored so far. Grain: (receipt_id, line_number). The raw record is kept for rejected rows
    only. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}
with

receipt_items as (
    select receipt_items_read.*
    from {{ source('retail', 'receipt_items') }} as receipt_items_read
    where {{ new_loads_only(source_load('receipt_items_read')) }}
),

valid_receipts as (
    select receipt_id from {{ ref('base_retail__receipts') }}
    where reject_reason is null
),

valid_products as (
    select product_id from {{ ref('base_retail__products') }}
    where reject_reason is null
),

typed as (
    select
        {{ source_load('receipt_items') }} as source_load,
        receipt_items.file_row_number as source_row_number,
        {{ raw_row('receipt_items') }} as raw_record,
        nullif(trim(receipt_items.receipt_id), '') as receipt_id,
        try_cast(receipt_items.line_number as bigint) as line_number,
        nullif(trim(receipt_items.product_id), '') as product_id,
        try_cast(receipt_items.quantity as bigint) as quantity,
        try_cast(receipt_items.unit_price as decimal(12, 2)) as unit_price,
        try_cast(receipt_items.discount as decimal(12, 2)) as discount,
        try_cast(receipt_items.line_total as decimal(12, 2)) as line_total
    from receipt_items
),

checked as (
    select
        typed.*,
        {{ first_reject_reason([
            ('missing_required', "typed.receipt_id is null or typed.line_number is null
                or typed.product_id is null or typed.quantity is null
                or typed.unit_price is null or typed.discount is null
                or typed.line_total is null"),
            ('invalid_amount', "typed.quantity <= 0 or typed.unit_price < 0 or typed.discount < 0
                or abs(typed.line_total - (typed.quantity * typed.unit_price - typed.discount))
                > " ~ var('amount_tolerance')),
            ('orphan_fk', "valid_receipts.receipt_id is null or valid_products.product_id is null"),
        ]) }} as row_reject_reason
    from typed
    left outer join valid_receipts
        on typed.receipt_id = valid_receipts.receipt_id
    left outer join valid_products
        on typed.product_id = valid_products.product_id
),

decided as (
    select
        *,
        {{ reject_reason_with_duplicates(['receipt_id', 'line_number'], existing=this) }}
            as reject_reason
    from checked
),

final as (
    select
        {{ star_replace('raw_record', 'case when reject_reason is not null then '
            ~ raw_row_json('raw_record') ~ ' end') }}
    from decided
)

select * from final
