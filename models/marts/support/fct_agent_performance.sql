{#-
    One row per agent and ISO week (reporting time zone) in which the agent did anything
    (int_agent_weeks_aggregated), within the metrics retention window.
-#}
with

agent_weeks as (
    select * from {{ ref('int_agent_weeks_aggregated') }}
),

final as (
    select *
    from agent_weeks
    where {{ is_retained('week_start_date', 'metrics') }}
)

select * from final
