{#- The full card number stops here: only its last four digits and its salted hash go on. -#}
with

receipts as (
    select * from {{ ref('base_retail__receipts') }}
    where reject_reason is null
),

final as (
    select
        receipt_id,
        store_id,
        customer_id,
        {{ hash_pii('card_number', 'digits') }} as card_hash,
        payment_method,
        {{ card_last4('card_number') }} as card_last4,
        subtotal,
        tax,
        total,
        is_deidentified,
        utc_offset_minutes,
        transaction_local_at,
        transacted_at,
        source_load
    from receipts
)

select * from final
