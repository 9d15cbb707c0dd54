{#- select_quarantined_rows' columns, with retention: the email as received (raw_record: sender,
    subject, body) is purged once the email is older than retention_days.raw_email_text; the
    row, its key and its reason stay, so every raw row is still accounted for
    (DECISIONS.md, "Retention"). -#}
with

emails as (
    select * from {{ ref('base_email__emails') }}
    where reject_reason is not null
),

final as (
    select
        {{ source_row_id('emails') }} as quarantined_row_id,
        'emails' as source_table,
        cast(email_id as {{ cx_warehouse.text_type() }}) as record_key,
        reject_reason,
        case
            when {{ is_retained('received_at', 'raw_email_text') }} then raw_record
        end as raw_record,
        source_load,
        source_row_number
    from emails
)

select * from final
