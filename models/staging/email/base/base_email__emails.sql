{#- Restricted, incremental (append by load): types the raw emails of the loads not read yet
    and decides each row's reject_reason (null = valid). Subject and body are stored redacted
    (valid rows only); the email as received (raw_record) only for rejected rows, and a
    post-hook purges it once the email is older than retention_days.raw_email_text, as the
    quarantine does. A later erasure request deletes stored rows (post-hook). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook=["{{ erase_stored_rows('email.emails') }}", "{{ purge_raw_email_text() }}"],
) }}
with

emails_read as (
    select
        *,
        {{ source_load('emails_read') }} as source_load,
        -- Numbered before the erasure filter, so a row keeps its number when a request
        -- later removes an earlier row of its file.
        {{ file_row_number_from_ordinality('emails_read') }} as source_row_number
    from {{ source('email', 'emails') }} as emails_read
    where {{ new_loads_only(source_load('emails_read')) }}
),

emails as (
    select * from emails_read
    where not {{ is_erased('email.emails') }}
),

typed as (
    select
        emails.source_load,
        emails.source_row_number,
        {{ raw_row('emails') }} as raw_record,
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

decided as (
    select
        *,
        {{ reject_reason_with_duplicates(['email_id'], existing=this) }} as reject_reason
    from checked
),

-- Contact details redacted once per text (valid rows only); the sender's name words next.
contact_redacted as (
    select
        *,
        case when reject_reason is null then {{ redact_pii_text('subject') }} end
            as subject_contact_redacted,
        case when reject_reason is null then {{ redact_pii_text('body') }} end
            as body_contact_redacted
    from decided
),

{%- set order_number_regex = '\\bORD-[0-9]{7}\\b' -%}
{%- set tracking_number_regex = '\\b1Z[0-9A-Z]{16}\\b' %}

sender_names as (
    select * from {{ ref('base_email__sender_names') }}
),

final as (
    select
        decided.source_load,
        decided.source_row_number,
        -- Past retention_days.raw_email_text already when it arrives: not kept (the post-hook
        -- purges what ages past it later).
        case
            when
                decided.reject_reason is not null
                and {{ is_retained('decided.received_at', 'raw_email_text') }}
                then {{ raw_row_json(
                    'decided.raw_record', exclude=['source_load', 'source_row_number']
                ) }}
        end as raw_record,
        decided.email_id,
        decided.from_address,
        decided.to_address,
        -- Contact details first, then the sender's own name words (the customer file's).
        {{ redact_sender_names(
            'decided.subject_contact_redacted', 'sender_names.sender_name_pattern',
            'sender_names.sender_name_words'
        ) }} as subject_redacted,
        {{ redact_sender_names(
            'decided.body_contact_redacted', 'sender_names.sender_name_pattern',
            'sender_names.sender_name_words'
        ) }} as body_redacted,
        -- Distinct, sorted lists (empty when none); read from the raw body, which is safe
        -- because the patterns cannot match PII.
        {{ sorted_distinct(regex_extract_all(
            'decided.body', sql_string_literal(order_number_regex)
        )) }} as order_numbers,
        {{ sorted_distinct(regex_extract_all(
            'decided.body', sql_string_literal(tracking_number_regex)
        )) }} as tracking_numbers,
        decided.received_at,
        decided.row_reject_reason,
        decided.reject_reason
    from contact_redacted as decided
    left outer join sender_names
        on lower(decided.from_address) = sender_names.sender_address
)

select * from final
