{#-
    One row per email with the support customer who sent it, through the sender's email hash
    (int_customer_email_hashes_mapped): the customer's own address (`email_hash`), else an
    address of incoming CRM records linked to the customer (`identity_resolution`).
-#}
with

emails as (
    select * from {{ ref('stg_email__emails') }}
),

email_hashes_mapped as (
    select * from {{ ref('int_customer_email_hashes_mapped') }}
),

final as (
    select
        emails.email_id,
        email_hashes_mapped.customer_id,
        coalesce(email_hashes_mapped.customer_match_method, 'unmatched')
            as customer_match_method,
        emails.from_email_domain,
        emails.to_mailbox,
        emails.subject_redacted,
        emails.body_redacted,
        emails.order_numbers,
        emails.tracking_numbers,
        -- A reply or forward in an existing thread: the customer is writing again.
        coalesce(
            lower(ltrim(emails.subject_redacted)) like 're:%'
            or lower(ltrim(emails.subject_redacted)) like 'fw:%'
            or lower(ltrim(emails.subject_redacted)) like 'fwd:%',
            false
        ) as is_reply,
        emails.received_at
    from emails
    left outer join email_hashes_mapped
        on emails.from_email_hash = email_hashes_mapped.email_hash
)

select * from final
