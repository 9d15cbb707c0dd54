{#- Ephemeral: types the raw agents and decides each row's reject_reason (null = valid). -#}
with

agents as (
    select * from {{ source('support', 'agents') }}
),

typed as (
    select
        {{ source_load('agents') }} as source_load,
        agents.file_row_number as source_row_number,
        {{ row_to_json('agents') }} as raw_record,
        nullif(trim(agents.agent_id), '') as agent_id,
        nullif(trim(agents.schedule_id), '') as schedule_id,
        nullif(trim(agents.agent_name), '') as agent_name,
        nullif(trim(agents.email), '') as email,
        nullif(upper(trim(agents.team)), '') as team,
        nullif(upper(trim(agents.specialization)), '') as specialization,
        nullif(upper(trim(agents.status)), '') as status,
        try_cast(agents.hired_at as timestamp) as hired_at
    from agents
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('missing_required', "agent_id is null or agent_name is null or email is null
                or team is null or status is null"),
            ('unknown_enum', "team not in ('TIER1', 'TIER2', 'SPECIALIST')
                or specialization not in ('TECHNICAL', 'FINANCIAL', 'COMMERCIAL', 'COMPLAINT',
                    'INFORMATION')
                or status not in ('ACTIVE', 'INACTIVE', 'ON_LEAVE')"),
            ('invalid_email', "not " ~ is_valid_email('email')),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['agent_id']) }} as reject_reason
    from checked
)

select * from final
