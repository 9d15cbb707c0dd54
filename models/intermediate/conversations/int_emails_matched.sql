{#-
    One row per email with the support customer who sent it: the customer whose email hash
    equals the sender's (exact match on the salted hash of the normalised address; a hash
    shared by several customers is not used). Identity resolution may later add fuzzier
    matches.
-#}
with

emails as (
    select * from {{ ref('stg_email__emails') }}
),

customers as (
    select * from {{ ref('stg_support__customers') }}
),

unambiguous_email_hashes as (
    select
        email_hash,
        min(customer_id) as customer_id
    from customers
    where email_hash is not null
    group by email_hash
    having count(*) = 1
),

final as (
    select
        emails.email_id,
        unambiguous_email_hashes.customer_id,
        case
            when unambiguous_email_hashes.customer_id is not null then 'email_hash'
            else 'unmatched'
        end as customer_match_method,
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
    left outer join unambiguous_email_hashes
        on emails.from_email_hash = unambiguous_email_hashes.email_hash
)

select * from final
