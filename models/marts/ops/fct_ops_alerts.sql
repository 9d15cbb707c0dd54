{#-
    One row per alert raised per day for the support operations desk (int_ops_alerts_raised),
    within the metrics retention window.
-#}
with

raised_alerts as (
    select * from {{ ref('int_ops_alerts_raised') }}
),

final as (
    select *
    from raised_alerts
    where {{ is_retained('alert_date', 'metrics') }}
)

select * from final
