with

agents as (
    select * from {{ ref('stg_support__agents') }}
),

business_hours as (
    select * from {{ ref('business_hours') }}
),

schedules as (
    select
        business_hours.schedule_id,
        max(business_hours.schedule_name) as schedule_name,
        max(business_hours.timezone) as schedule_timezone,
        cast(sum(business_hours.end_minute - business_hours.start_minute) as bigint)
            as weekly_schedule_minutes
    from business_hours
    group by business_hours.schedule_id
),

final as (
    select
        agents.agent_id,
        agents.agent_name,
        agents.team,
        agents.specialization,
        agents.status,
        agents.schedule_id,
        schedules.schedule_name,
        schedules.schedule_timezone,
        schedules.weekly_schedule_minutes,
        agents.status = 'ACTIVE' as is_active,
        agents.hired_at
    from agents
    left outer join schedules
        on agents.schedule_id = schedules.schedule_id
)

select * from final
