{#-
    One row per reporting month and channel: contacts, assumed handling minutes, their cost and
    the service level bought (int_ticket_channel_months_aggregated), within the metrics
    retention window.
-#}
with

channel_months as (
    select * from {{ ref('int_ticket_channel_months_aggregated') }}
),

final as (
    select *
    from channel_months
    where {{ is_retained('month_start_date', 'metrics') }}
)

select * from final
