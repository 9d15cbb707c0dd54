with

ticket_interactions as (
    select * from {{ ref('base_support__ticket_interactions') }}
    where reject_reason is null
),

final as (
    select
        interaction_id,
        ticket_id,
        author_id,
        new_agent_id,
        author_type,
        interaction_type,
        new_status,
        new_priority,
        {{ redact_pii_text('message') }} as message_redacted,
        interaction_at
    from ticket_interactions
)

select * from final
