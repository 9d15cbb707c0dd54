{#-
    One row per contact a known support customer made up to the as-of instant, whatever the
    channel: a ticket opened (its description's sentiment, technical when its category is
    TECHNICAL), a chat conversation or an email (the conversation marts' sentiment and
    technical-issue flag). Anonymous chats and unmatched emails have no customer and are left
    out. The company is the customer's company.
-#}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
),

tickets_scored as (
    select * from {{ ref('int_tickets_scored') }}
),

chat_conversations as (
    select * from {{ ref('fct_chat_conversations') }}
    where customer_id is not null
),

emails as (
    select * from {{ ref('fct_emails') }}
    where customer_id is not null
),

customers as (
    select * from {{ ref('stg_support__customers') }}
),

ticket_contacts as (
    select
        'ticket' as contact_type,
        tickets.ticket_id as source_id,
        tickets.customer_id,
        tickets_scored.sentiment_label,
        tickets_scored.sentiment_compound,
        tickets.category = 'TECHNICAL' as is_technical_issue,
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
        chat_conversations.sentiment_label,
        chat_conversations.sentiment_compound,
        chat_conversations.is_technical_issue,
        chat_conversations.started_at as contact_at
    from chat_conversations
),

email_contacts as (
    select
        'email' as contact_type,
        emails.email_id as source_id,
        emails.customer_id,
        emails.sentiment_label,
        emails.sentiment_compound,
        emails.is_technical_issue,
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
        contacts.contact_type || ':' || contacts.source_id as customer_contact_id,
        contacts.contact_type,
        contacts.source_id,
        contacts.customer_id,
        customers.company_id,
        contacts.sentiment_label,
        contacts.sentiment_compound,
        coalesce(contacts.sentiment_label = 'negative', false) as is_negative,
        coalesce(contacts.is_technical_issue, false) as is_technical_issue,
        contacts.contact_at
    from contacts
    inner join customers
        on contacts.customer_id = customers.customer_id
    where contacts.contact_at <= {{ as_of_at() }}
)

select * from final
