{#-
    One row per reporting date (a calendar date in the reporting time zone, var
    reporting_timezone) of the metrics retention window: from the day of the retention cut-off
    (as_of_at() minus retention_days.metrics) to the as-of date. The semantic layer's time spine
    (MetricFlow joins it for cumulative metrics, offsets and filled gaps), with the ISO week and
    month each date belongs to.
-#}
with

spine_days as (
    {{ date_spine(
        'day',
        reporting_date(retention_cutoff_at('metrics')),
        dbt.dateadd('day', 1, reporting_date(as_of_at()))
    ) }}
),

final as (
    select
        spine_days.date_day as reporting_date,
        {{ iso_week_key('spine_days.date_day') }} as iso_week,
        {{ month_key('spine_days.date_day') }} as month,  -- noqa: RF04
        {{ iso_week_start('spine_days.date_day') }} as week_start_date,
        cast({{ dbt.date_trunc('month', 'spine_days.date_day') }} as date) as month_start_date
    from spine_days
)

select * from final
