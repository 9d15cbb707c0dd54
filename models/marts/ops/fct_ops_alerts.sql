{#-
    One row per alert raised per day for the support operations desk (int_ops_alerts_raised),
    within the metrics retention window.
-#}
with

raised_alerts as (
    select * from {{ ref('int_ops_alerts_raised') }}
),

final as (
    select
        alert_id,
        alert_type,
        severity,
        alert_scope,
        metric_name,
        threshold_value,
        observed_value,
        baseline_value,
        alert_date,
        period_start_at,
        period_end_at
    from raised_alerts
    where {{ is_retained('alert_date', 'metrics') }}
)

select * from final
