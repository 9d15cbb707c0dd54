with

tickets as (
    select * from {{ ref('base_support__tickets') }}
    where reject_reason is null
),

final as (
    select
        ticket_id,
        company_id,
        customer_id,
        agent_id,
        status,
        priority,
        category,
        subcategory,
        channel,
        {{ redact_pii_text('subject') }} as subject_redacted,
        {{ redact_pii_text('description') }} as description_redacted,
        tags,
        csat_score,
        nps_score,
        source_resolution_hours,
        source_first_response_minutes,
        is_source_sla_breached,
        created_at,
        updated_at
    from tickets
)

select * from final
