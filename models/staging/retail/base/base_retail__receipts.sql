{#- Restricted, incremental (append by load): types the raw receipts of the loads not read
    yet and decides each row's reject_reason (null = valid); a receipt id already valid in an
    earlier load makes a later copy duplicate_id. transaction_at arrives as local wall-clock
    text with its UTC offset; it is kept three ways: the local time as written, the offset in
    minutes and the UTC instant. A later erasure request de-identifies stored rows
    (post-hook). The raw record is kept for rejected rows only (quarantine shows it). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ erase_stored_rows('retail.receipts') }}",
) }}
with

receipts_read as (
    select receipts_read.*
    from {{ source('retail', 'receipts') }} as receipts_read
    where {{ new_loads_only(source_load('receipts_read')) }}
),

receipts as (
    select
        {{ select_erasure_deidentified('retail.receipts') }},
        {{ is_erased('retail.receipts') }} as is_deidentified
    from receipts_read
),

valid_stores as (
    select store_id from {{ ref('base_retail__stores') }}
    where reject_reason is null
),

valid_customers as (
    select customer_id from {{ ref('base_support__customers') }}
    where reject_reason is null
),

typed as (
    select
        {{ source_load('receipts') }} as source_load,
        receipts.file_row_number as source_row_number,
        {{ raw_row('receipts', exclude=['is_deidentified']) }} as raw_record,
        receipts.is_deidentified,
        nullif(trim(receipts.receipt_id), '') as receipt_id,
        nullif(trim(receipts.store_id), '') as store_id,
        nullif(trim(receipts.customer_id), '') as customer_id,
        nullif(upper(trim(receipts.payment_method)), '') as payment_method,
        nullif(trim(receipts.card_number), '') as card_number,
        try_cast(receipts.subtotal as decimal(12, 2)) as subtotal,
        try_cast(receipts.tax as decimal(12, 2)) as tax,
        try_cast(receipts.total as decimal(12, 2)) as total,
        -- The wall-clock part as written: the text without its trailing `Z` / `±hh:mm`.
        try_cast(
            {{ regex_replace_all(
                'trim(receipts.transaction_at)', '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$', ''
            ) }} as timestamp
        ) as transaction_local_at,
        {{ parse_utc_timestamp('receipts.transaction_at') }} as transacted_at
    from receipts
),

with_offset as (
    select
        *,
        {{ dbt.datediff('transacted_at', 'transaction_local_at', 'minute') }}
            as utc_offset_minutes
    from typed
),

checked as (
    select
        with_offset.*,
        {{ first_reject_reason([
            ('missing_required', "with_offset.receipt_id is null or with_offset.store_id is null
                or with_offset.transacted_at is null or with_offset.transaction_local_at is null
                or with_offset.payment_method is null
                or with_offset.subtotal is null or with_offset.tax is null
                or with_offset.total is null"),
            ('unknown_enum', "with_offset.payment_method not in
                ('CARD', 'CASH', 'MOBILE', 'GIFT_CARD')"),
            ('invalid_amount', "with_offset.subtotal < 0 or with_offset.tax < 0
                or with_offset.total < 0
                or abs(with_offset.total - (with_offset.subtotal + with_offset.tax))
                > " ~ var('amount_tolerance')),
            ('future_timestamp', "with_offset.transacted_at > " ~ extracted_at()),
            ('orphan_fk', "valid_stores.store_id is null
                or (with_offset.customer_id is not null and valid_customers.customer_id is null)"),
        ]) }} as row_reject_reason
    from with_offset
    left outer join valid_stores
        on with_offset.store_id = valid_stores.store_id
    left outer join valid_customers
        on with_offset.customer_id = valid_customers.customer_id
),

decided as (
    select
        *,
        {{ reject_reason_with_duplicates(['receipt_id'], existing=this) }} as reject_reason
    from checked
),

final as (
    select
        {{ star_replace('raw_record', 'case when reject_reason is not null then '
            ~ raw_row_json('raw_record', exclude=['is_deidentified']) ~ ' end') }}
    from decided
)

select * from final
