{%- set order_number_regex = '\\bORD-[0-9]{7}\\b' -%}
{%- set tracking_number_regex = '\\b1Z[0-9A-Z]{16}\\b' -%}
with

emails as (
    select * from {{ ref('base_email__emails') }}
    where reject_reason is null
),

sender_names as (
    select * from {{ ref('base_email__sender_names') }}
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
        -- Contact details first, then the sender's own name words (the customer file's).
        {{ redact_sender_names(
            redact_pii_text('emails.subject'), 'sender_names.sender_name_pattern'
        ) }} as subject_redacted,
        {{ redact_sender_names(
            redact_pii_text('emails.body'), 'sender_names.sender_name_pattern'
        ) }} as body_redacted,
        -- Distinct, sorted lists (empty when none); read from the raw body, which is safe
        -- because the patterns cannot match PII.
        list_sort(list_distinct(regexp_extract_all(
            emails.body, {{ sql_string_literal(order_number_regex) }}
        ))) as order_numbers,
        list_sort(list_distinct(regexp_extract_all(
            emails.body, {{ sql_string_literal(tracking_number_regex) }}
        ))) as tracking_numbers,
        emails.received_at
    from emails
    left outer join sender_names
        on emails.email_id = sender_names.email_id
)

select * from final
