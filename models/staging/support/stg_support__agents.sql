with

agents as (
    select * from {{ ref('base_support__agents') }}
    where reject_reason is null
),

final as (
    select
        agent_id,
        schedule_id,
        {{ hash_pii('email', 'email') }} as email_hash,
        agent_name,
        {{ mask_email('email') }} as email_masked,
        team,
        specialization,
        status,
        hired_at
    from agents
)

select * from final
