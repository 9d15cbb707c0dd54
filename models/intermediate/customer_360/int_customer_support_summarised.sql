{#-
    One row per support customer with any ticket, chat or email up to the as-of instant: tickets
    (total, still open per the ticket core's is_open, last opened), tickets whose SLA was
    breached, satisfaction (average CSAT answer; NPS = % promoters - % detractors of the NPS
    answers, bands from the nps_bands seed), chats and emails, the average sentiment of the
    chats and emails (their compound score) and negative contacts on every channel. Tickets
    from the ticket core int_tickets_enriched, contacts from the contacts core
    int_contacts_unioned (all-time, before any retention filter).
-#}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

nps_bands as (
    select * from {{ ref('nps_bands') }}
),

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
    where is_known_customer
),

ticket_summary as (
    select
        tickets.customer_id,
        count(*) as ticket_count,
        count(case when tickets.is_open then 1 end) as open_ticket_count,
        count(case when tickets.is_sla_breached then 1 end) as sla_breached_ticket_count,
        avg(tickets.csat_score) as avg_csat_score,
        count(tickets.csat_score) as csat_response_count,
        count(tickets.nps_score) as nps_response_count,
        -- a double on both engines (Spark divides decimals as decimals)
        cast(100.0 * coalesce(sum(nps_bands.nps_weight), 0) as double)
        / nullif(count(tickets.nps_score), 0) as net_promoter_score,
        max(tickets.created_at) as last_ticket_at
    from tickets
    left outer join nps_bands
        on tickets.nps_score between nps_bands.min_score and nps_bands.max_score
    group by tickets.customer_id
),

contact_summary as (
    select
        customer_id,
        count(case when contact_type = 'chat' then 1 end) as chat_count,
        count(case when contact_type = 'email' then 1 end) as email_count,
        avg(case when contact_type in ('chat', 'email') then sentiment_compound end)
            as average_sentiment_compound,
        count(case when is_negative then 1 end) as negative_contact_count,
        max(case when contact_type in ('chat', 'email') then contact_at end)
            as last_conversation_at
    from contacts
    group by customer_id
),

final as (
    select
        coalesce(ticket_summary.customer_id, contact_summary.customer_id) as customer_id,
        coalesce(ticket_summary.ticket_count, 0) as ticket_count,
        coalesce(ticket_summary.open_ticket_count, 0) as open_ticket_count,
        coalesce(ticket_summary.sla_breached_ticket_count, 0) as sla_breached_ticket_count,
        ticket_summary.avg_csat_score,
        coalesce(ticket_summary.csat_response_count, 0) as csat_response_count,
        ticket_summary.net_promoter_score,
        coalesce(ticket_summary.nps_response_count, 0) as nps_response_count,
        coalesce(contact_summary.chat_count, 0) as chat_count,
        coalesce(contact_summary.email_count, 0) as email_count,
        contact_summary.average_sentiment_compound,
        coalesce(contact_summary.negative_contact_count, 0) as negative_contact_count,
        ticket_summary.last_ticket_at,
        contact_summary.last_conversation_at
    from ticket_summary
    full outer join contact_summary
        on ticket_summary.customer_id = contact_summary.customer_id
)

select * from final
