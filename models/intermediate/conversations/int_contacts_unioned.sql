{#-
    The contacts core: one row per contact anyone made up to the as-of instant, whatever the
    channel, before any retention filter: a ticket opened (its description's sentiment,
    int_tickets_scored; technical when its category is TECHNICAL), a chat conversation
    (int_chat_conversations_enriched) or an email (int_emails_enriched). Anonymous chats and
    unmatched emails are kept with a null customer (is_known_customer false). Fields only chats
    and emails have (intent, the human-review decision) are null for tickets. The company is
    the customer's company. contact_date is the reporting date (var reporting_timezone).
-#}
{{ config(materialized='table') }}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
    where created_at <= {{ as_of_at() }}
),

tickets_scored as (
    select * from {{ ref('int_tickets_scored') }}
),

chat_conversations as (
    select * from {{ ref('int_chat_conversations_enriched') }}
),

emails as (
    select * from {{ ref('int_emails_enriched') }}
),

customers as (
    select * from {{ ref('stg_support__customers') }}
),

ticket_contacts as (
    select
        'ticket' as contact_type,
        tickets.ticket_id as source_id,
        tickets.customer_id,
        tickets.channel,
        cast(null as {{ dbt.type_string() }}) as intent,
        tickets_scored.sentiment_label,
        cast(null as {{ dbt.type_string() }}) as suggested_queue,
        cast(null as {{ dbt.type_string() }}) as human_review_reasons,
        tickets_scored.sentiment_compound,
        cast(null as double) as intent_confidence,
        tickets_scored.sentiment_confidence,
        tickets.category = 'TECHNICAL' as is_technical_issue,
        cast(null as boolean) as needs_human_review,
        tickets.created_at as contact_at
    from tickets
    left outer join tickets_scored
        on tickets.ticket_id = tickets_scored.ticket_id
),

chat_contacts as (
    select
        'chat' as contact_type,
        chat_conversations.conversation_id as source_id,
        chat_conversations.customer_id,
        chat_conversations.channel,
        chat_conversations.intent,
        chat_conversations.sentiment_label,
        coalesce(
            chat_conversations.suggested_queue, '{{ var("unclassified_routing_queue") }}'
        ) as suggested_queue,
        chat_conversations.human_review_reasons,
        chat_conversations.sentiment_compound,
        chat_conversations.intent_confidence,
        chat_conversations.sentiment_confidence,
        chat_conversations.is_technical_issue,
        chat_conversations.needs_human_review,
        chat_conversations.started_at as contact_at
    from chat_conversations
),

email_contacts as (
    select
        'email' as contact_type,
        emails.email_id as source_id,
        emails.customer_id,
        'EMAIL' as channel,
        emails.intent,
        emails.sentiment_label,
        emails.suggested_queue,
        emails.human_review_reasons,
        emails.sentiment_compound,
        emails.intent_confidence,
        emails.sentiment_confidence,
        emails.is_technical_issue,
        emails.needs_human_review,
        emails.received_at as contact_at
    from emails
),

contacts as (
    select * from ticket_contacts
    union all
    select * from chat_contacts
    union all
    select * from email_contacts
),

final as (
    select
        contacts.contact_type || ':' || contacts.source_id as contact_id,
        contacts.contact_type,
        contacts.source_id,
        contacts.customer_id,
        customers.company_id,
        contacts.channel,
        contacts.intent,
        contacts.sentiment_label,
        contacts.suggested_queue,
        contacts.human_review_reasons,
        contacts.sentiment_compound,
        contacts.intent_confidence,
        contacts.sentiment_confidence,
        customers.customer_id is not null as is_known_customer,
        coalesce(contacts.sentiment_label = 'negative', false) as is_negative,
        coalesce(contacts.is_technical_issue, false) as is_technical_issue,
        contacts.needs_human_review,
        {{ reporting_date('contacts.contact_at') }} as contact_date,
        contacts.contact_at
    from contacts
    left outer join customers
        on contacts.customer_id = customers.customer_id
)

select * from final
