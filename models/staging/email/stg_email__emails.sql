with

emails as (
    select * from {{ ref('base_email__emails') }}
    where reject_reason is null
),

final as (
    select
        emails.email_id,
        {{ hash_pii('emails.from_address', 'email') }} as from_email_hash,
        {{ mask_email('emails.from_address') }} as from_email_masked,
        {{ dbt.split_part(normalize_email('emails.from_address'), "'@'", 2) }}
            as from_email_domain,
        -- Only the mailbox name: the full address would read as an email to the PII scan.
        lower({{ dbt.split_part('emails.to_address', "'@'", 1) }}) as to_mailbox,
        -- Redacted (contact details, then the sender's name words), and the order and
        -- tracking numbers extracted, when the email was stored (base_email__emails keeps no
        -- raw text of valid emails).
        emails.subject_redacted,
        emails.body_redacted,
        emails.order_numbers,
        emails.tracking_numbers,
        emails.received_at
    from emails
)

select * from final
