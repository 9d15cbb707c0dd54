{#-
    The email core: one row per email received up to the as-of instant (no retention filter:
    fct_emails applies the curated window): the sender's customer key, category (intent),
    sentiment, priority score and class, the SLA deadline for the first reply, the entities it
    mentions, where to route it and whether a person should check the labels
    (macros/conversations/human_review.sql). received_date is the reporting date
    (var reporting_timezone) of received_at.

    Priority score (0 to var email_priority_points.max_score): the intent's base points
    (conversation_intents seed) + up to email_priority_points.negative_sentiment points for
    negative sentiment (points x -compound when the compound is negative) +
    email_priority_points.known_customer when the sender is a known customer +
    email_priority_points.reply when the email is a reply in an existing thread. Priority class:
    the highest class of var email_priority_classes whose minimum the score reaches, else
    var email_priority_default_class. Unclassified emails go to var unclassified_routing_team /
    unclassified_routing_queue. SLA deadline: received_at + the class's first-response target of
    the sla_policies seed, in calendar minutes (the mailbox has no business-hours schedule).
-#}
{{ config(materialized='table') }}
{%- set points = var('email_priority_points') -%}
{%- set classes = var('email_priority_classes') -%}
with

emails as (
    select * from {{ ref('int_emails_matched') }}
    where received_at <= {{ as_of_at() }}
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
        {{ dbt.cast('scores.mentioned_amounts', 'decimal(12, 2)[]') }} as mentioned_amounts,
        scores.intent_confidence,
        scores.sentiment_compound,
        scores.sentiment_confidence,
        scores.is_technical_issue,
        conversation_intents.routing_team,
        conversation_intents.routing_queue,
        least(
            {{ points.max_score }},
            coalesce(conversation_intents.base_priority_points, 0)
            + cast(
                round({{ points.negative_sentiment }} * greatest(0, -scores.sentiment_compound))
                as integer
            )
            + case when emails.customer_id is not null then {{ points.known_customer }} else 0 end
            + case when emails.is_reply then {{ points.reply }} else 0 end
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
            {%- for priority, min_score in classes | dictsort(by='value', reverse=true) %}
                when priority_score >= {{ min_score }} then '{{ priority }}'
            {%- endfor %}
            else '{{ var("email_priority_default_class") }}'
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
        coalesce(prioritised.routing_team, '{{ var("unclassified_routing_team") }}')
            as suggested_team,
        coalesce(prioritised.routing_queue, '{{ var("unclassified_routing_queue") }}')
            as suggested_queue,
        {{ human_review_reasons(
            'prioritised.intent',
            'prioritised.intent_confidence',
            'prioritised.sentiment_confidence'
        ) }} as human_review_reasons,
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
        {{ needs_human_review(
            'prioritised.intent',
            'prioritised.intent_confidence',
            'prioritised.sentiment_confidence'
        ) }} as needs_human_review,
        {{ reporting_date('prioritised.received_at') }} as received_date,
        prioritised.received_at,
        {{ dbt.dateadd(
            'minute', 'sla_policies.first_response_target_minutes', 'prioritised.received_at'
        ) }} as sla_deadline_at
    from prioritised
    inner join sla_policies
        on prioritised.priority = sla_policies.priority
)

select * from final
