{#-
    One row per email received up to the as-of instant and inside the curated retention window
    (var retention_days): the email core int_emails_enriched (priority rubric, routing, SLA
    deadline, human-review decision) under the mart's contract.
-#}
with

emails as (
    select * from {{ ref('int_emails_enriched') }}
    where {{ is_retained('received_at', 'curated') }}
),

final as (
    select
        email_id,
        customer_id,
        customer_match_method,
        from_email_domain,
        to_mailbox,
        subject_redacted,
        body_redacted,
        intent,
        sentiment_label,
        priority,
        suggested_team,
        suggested_queue,
        order_numbers,
        tracking_numbers,
        mentioned_amounts,
        key_phrases,
        priority_score,
        first_response_target_minutes,
        intent_confidence,
        sentiment_compound,
        sentiment_confidence,
        is_technical_issue,
        is_reply,
        needs_human_review,
        received_date,
        received_at,
        sla_deadline_at
    from emails
)

select * from final
