{%- set order_number_regex = '\\bORD-[0-9]{7}\\b' -%}
{%- set tracking_number_regex = '\\b1Z[0-9A-Z]{16}\\b' -%}
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
        {{ redact_pii_text('subject') }} as subject_redacted,
        {{ redact_pii_text('body') }} as body_redacted,
        -- Distinct, sorted lists (empty when none); read from the raw body, which is safe
        -- because the patterns cannot match PII.
        list_sort(list_distinct(regexp_extract_all(
            body, {{ sql_string_literal(order_number_regex) }}
        ))) as order_numbers,
        list_sort(list_distinct(regexp_extract_all(
            body, {{ sql_string_literal(tracking_number_regex) }}
        ))) as tracking_numbers,
        received_at
    from emails
)

select * from final
