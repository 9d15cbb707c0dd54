{#-
    One row per reporting month and ticket category: volume, speed, SLA attainment,
    satisfaction and cost to serve (int_ticket_category_months_aggregated), within the metrics
    retention window.
-#}
with

category_months as (
    select * from {{ ref('int_ticket_category_months_aggregated') }}
),

final as (
    select *
    from category_months
    where {{ is_retained('month_start_date', 'metrics') }}
)

select * from final
