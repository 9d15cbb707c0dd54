{#- Ephemeral: types the raw emails and decides each row's reject_reason (null = valid). -#}
with

emails as (
    select * from {{ source('email', 'emails') }}
    where not {{ is_erased('email.emails') }}
),

typed as (
    select
        emails.ordinality - 1 as source_row_number,
        {{ row_to_json('emails') }} as raw_record,
        nullif(trim(emails.email_id), '') as email_id,
        nullif(trim(emails.from_address), '') as from_address,
        nullif(trim(emails.to_address), '') as to_address,
        nullif(trim(emails.subject), '') as subject,
        -- The body keeps its own line breaks and spacing; blank counts as missing.
        case when trim(emails.body) != '' then emails.body end as body,
        {{ parse_utc_timestamp('emails.received_at') }} as received_at
    from emails
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('missing_required', "email_id is null or received_at is null
                or from_address is null or body is null"),
            ('invalid_email', "not " ~ is_valid_email('from_address')),
            ('future_timestamp', "received_at > " ~ extracted_at()),
            ('oversized_text', is_oversized_text(['subject', 'body'])),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['email_id']) }} as reject_reason
    from checked
)

select * from final
