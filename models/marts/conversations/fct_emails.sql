{#-
    One row per email received up to the as-of instant: the sender's customer key, category
    (intent), sentiment, priority score and class, the SLA deadline for the first reply, the
    entities it mentions, where to route it and whether a person should check the labels.

    Priority score (0-100, docs/design/conversations.md): the intent's base points
    (conversation_intents seed) + up to 40 points for negative sentiment (40 x -compound when
    the compound is negative) + 10 when the sender is a known customer + 10 when the email is a
    reply in an existing thread; capped at 100. Priority class: CRITICAL >= 80, HIGH >= 60,
    MEDIUM >= 35, else LOW. SLA deadline: received_at + the class's first-response target of
    the sla_policies seed, in calendar minutes (the mailbox has no business-hours schedule).
-#}
with

emails as (
    select * from {{ ref('int_emails_matched') }}
    where received_at <= {{ as_of_at() }} and {{ is_retained('received_at', 'curated') }}
),

scores as (
    select * from {{ ref('int_emails_scored') }}
),

conversation_intents as (
    select * from {{ ref('conversation_intents') }}
),

sla_policies as (
    select * from {{ ref('sla_policies') }}
),

scored as (
    select
        emails.*,
        scores.intent,
        scores.sentiment_label,
        scores.key_phrases,
        cast(scores.mentioned_amounts as decimal(12, 2)[]) as mentioned_amounts,
        scores.intent_confidence,
        scores.sentiment_compound,
        scores.sentiment_confidence,
        scores.is_technical_issue,
        conversation_intents.routing_team,
        conversation_intents.routing_queue,
        least(
            100,
            coalesce(conversation_intents.base_priority_points, 0)
            + cast(round(40 * greatest(0, -scores.sentiment_compound)) as integer)
            + case when emails.customer_id is not null then 10 else 0 end
            + case when emails.is_reply then 10 else 0 end
        ) as priority_score
    from emails
    inner join scores
        on emails.email_id = scores.email_id
    left outer join conversation_intents
        on scores.intent = conversation_intents.intent
),

prioritised as (
    select
        *,
        case
            when priority_score >= 80 then 'CRITICAL'
            when priority_score >= 60 then 'HIGH'
            when priority_score >= 35 then 'MEDIUM'
            else 'LOW'
        end as priority
    from scored
),

final as (
    select
        prioritised.email_id,
        prioritised.customer_id,
        prioritised.customer_match_method,
        prioritised.from_email_domain,
        prioritised.to_mailbox,
        prioritised.subject_redacted,
        prioritised.body_redacted,
        prioritised.intent,
        prioritised.sentiment_label,
        prioritised.priority,
        -- Unclassified emails go to a person first.
        coalesce(prioritised.routing_team, 'TIER1') as suggested_team,
        coalesce(prioritised.routing_queue, 'triage') as suggested_queue,
        prioritised.order_numbers,
        prioritised.tracking_numbers,
        prioritised.mentioned_amounts,
        prioritised.key_phrases,
        prioritised.priority_score,
        sla_policies.first_response_target_minutes,
        prioritised.intent_confidence,
        prioritised.sentiment_compound,
        prioritised.sentiment_confidence,
        prioritised.is_technical_issue,
        prioritised.is_reply,
        (
            prioritised.intent is null
            or prioritised.intent_confidence < {{ var('review_confidence_threshold') }}
            or prioritised.sentiment_confidence < {{ var('review_confidence_threshold') }}
        ) as needs_human_review,
        cast(prioritised.received_at as date) as received_date,
        prioritised.received_at,
        {{ dbt.dateadd(
            'minute', 'sla_policies.first_response_target_minutes', 'prioritised.received_at'
        ) }} as sla_deadline_at
    from prioritised
    inner join sla_policies
        on prioritised.priority = sla_policies.priority
)

select * from final
