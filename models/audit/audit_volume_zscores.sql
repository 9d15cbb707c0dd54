{#-
    Volume anomalies: each complete UTC day of each monitored relation (audit_daily_volumes, up
    to as-of) against the complete days in the var volume_trailing_days days before it: mean,
    sample standard deviation, z-score. No z-score with fewer than var volume_min_history_days
    days of history, a constant history (standard deviation 0), or a trailing mean below var
    volume_min_trailing_mean rows a day (at a few rows a day, |z| > 3 is ordinary: 3 records
    on a day that averages 0.3 is z = 5.9). |z| above var
    volume_zscore_threshold is an anomaly; an anomaly among the last var volume_alert_days days
    before as-of is an alert (the warn-severity test on is_volume_alert).
-#}
with

daily_volumes as (
    select * from {{ ref('audit_daily_volumes') }}
),

as_of as (
    select {{ as_of_at() }} as as_of_at
),

complete_days as (
    select
        daily_volumes.daily_volume_id,
        daily_volumes.relation_name,
        daily_volumes.relation_layer,
        daily_volumes.event_column,
        daily_volumes.row_count,
        daily_volumes.event_date
    from daily_volumes
    cross join as_of
    where
        daily_volumes.is_complete_day
        and {{ dbt.dateadd('second', 86399, 'cast(daily_volumes.event_date as timestamp)') }}
        <= as_of.as_of_at
),

trailing_history as (
    select
        complete_days.daily_volume_id,
        count(history_days.event_date) as trailing_days,
        avg(history_days.row_count) as trailing_mean,
        stddev_samp(history_days.row_count) as trailing_stddev
    from complete_days
    left outer join complete_days as history_days
        on
            complete_days.relation_name = history_days.relation_name
            and complete_days.event_date > history_days.event_date
            and {{ dbt.dateadd(
                'day', -var('volume_trailing_days', 28), 'complete_days.event_date') }}
            <= history_days.event_date
    group by complete_days.daily_volume_id
),

scored as (
    select
        complete_days.daily_volume_id,
        complete_days.relation_name,
        complete_days.relation_layer,
        complete_days.event_column,
        complete_days.row_count,
        trailing_history.trailing_days,
        trailing_history.trailing_mean,
        trailing_history.trailing_stddev,
        case
            when
                trailing_history.trailing_days >= {{ var('volume_min_history_days', 14) }}
                and trailing_history.trailing_stddev > 0
                and trailing_history.trailing_mean >= {{ var('volume_min_trailing_mean', 5) }}
                then
                    (complete_days.row_count - trailing_history.trailing_mean)
                    / trailing_history.trailing_stddev
        end as volume_zscore,
        complete_days.event_date,
        as_of.as_of_at
    from complete_days
    inner join trailing_history
        on complete_days.daily_volume_id = trailing_history.daily_volume_id
    cross join as_of
),

final as (
    select
        daily_volume_id,
        relation_name,
        relation_layer,
        event_column,
        case
            when abs(volume_zscore) <= {{ var('volume_zscore_threshold', 3) }} then 'normal'
            when volume_zscore > 0 then 'spike'
            when volume_zscore < 0 then 'drop'
            else 'not_scored'
        end as volume_status,
        row_count,
        trailing_days,
        trailing_mean,
        trailing_stddev,
        volume_zscore,
        coalesce(
            abs(volume_zscore) > {{ var('volume_zscore_threshold', 3) }}, false
        ) as is_volume_anomaly,
        coalesce(
            abs(volume_zscore) > {{ var('volume_zscore_threshold', 3) }}
            and event_date > cast(
                {{ dbt.dateadd('day', -var('volume_alert_days', 7), 'as_of_at') }} as date
            ),
            false
        ) as is_volume_alert,
        event_date,
        as_of_at
    from scored
)

select * from final
