{#-
    Volume anomalies: each complete reporting day of each event stream (audit_daily_volumes up
    to as-of; the zero-filled relations only: the weekly and as-of snapshot grains are left
    out, their counts are kept history that a rebuild cannot reproduce) against
    a same-weekday baseline, the same weekday in the var volume_baseline_weeks weeks before it
    (volumes follow the week: Saturdays are not Tuesdays): mean, sample standard deviation,
    z-score. No z-score with fewer than var volume_min_baseline_days such days, a constant
    baseline (standard deviation 0), or a baseline mean below var volume_min_trailing_mean rows
    a day (at a few rows a day, |z| > 3 is ordinary: 3 records on a day that averages 0.3 is
    z = 5.9). A day is an anomaly when it is both unusual (|z| above var
    volume_zscore_threshold) and large (at least var volume_min_ratio times its baseline mean,
    or at most its inverse); an anomaly among the last var volume_alert_days days before as-of
    is an alert (the warn-severity test on is_volume_alert).
-#}
{%- set threshold = var('volume_zscore_threshold') %}
{%- set min_ratio = var('volume_min_ratio') %}
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
        daily_volumes.is_zero_filled
        and daily_volumes.is_complete_day
        and {{ reporting_day_is_complete('daily_volumes.event_date', 'as_of.as_of_at') }}
),

baseline as (
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
                'day', -7 * var('volume_baseline_weeks'), 'complete_days.event_date') }}
            <= history_days.event_date
            and {{ iso_day_of_week('complete_days.event_date') }}
            = {{ iso_day_of_week('history_days.event_date') }}
    group by complete_days.daily_volume_id
),

scored as (
    select
        complete_days.daily_volume_id,
        complete_days.relation_name,
        complete_days.relation_layer,
        complete_days.event_column,
        complete_days.row_count,
        baseline.trailing_days,
        baseline.trailing_mean,
        baseline.trailing_stddev,
        case
            when
                baseline.trailing_days >= {{ var('volume_min_baseline_days') }}
                and baseline.trailing_stddev > 0
                and baseline.trailing_mean >= {{ var('volume_min_trailing_mean') }}
                then
                    (complete_days.row_count - baseline.trailing_mean)
                    / baseline.trailing_stddev
        end as volume_zscore,
        complete_days.event_date,
        as_of.as_of_at
    from complete_days
    inner join baseline
        on complete_days.daily_volume_id = baseline.daily_volume_id
    cross join as_of
),

classified as (
    select
        *,
        coalesce(
            abs(volume_zscore) > {{ threshold }}
            and (
                row_count >= {{ min_ratio }} * trailing_mean
                or row_count * {{ min_ratio }} <= trailing_mean
            ),
            false
        ) as is_volume_anomaly
    from scored
),

final as (
    select
        daily_volume_id,
        relation_name,
        relation_layer,
        event_column,
        case
            when volume_zscore is null then 'not_scored'
            when not is_volume_anomaly then 'normal'
            when volume_zscore > 0 then 'spike'
            else 'drop'
        end as volume_status,
        row_count,
        trailing_days,
        trailing_mean,
        trailing_stddev,
        volume_zscore,
        is_volume_anomaly,
        is_volume_anomaly and event_date > {{ dbt.dateadd(
            'day', -var('volume_alert_days'), reporting_date('as_of_at')) }}
            as is_volume_alert,
        event_date,
        as_of_at
    from classified
)

select * from final
