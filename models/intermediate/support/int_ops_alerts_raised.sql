{#-
    One row per alert raised per day for the support operations desk. Each row names the
    metric, the threshold (a var), the observed value, the baseline it was compared with and the
    period it describes. Days are reporting days (var reporting_timezone).
    - sla_breach_rate (critical): share of the SLA outcomes decided that day (a clock stopped
      within target, or a target passed) that were breaches, raised when the share is above
      ops_alert_sla_breach_rate with confidence: the one-sided Wilson score lower bound of the
      share (z = ops_alert_confidence_z) must be above it, so that on a quiet day one breach
      among five outcomes is not an alert, while a day with many breaches is.
    - volume_spike (critical): tickets created that day more than ops_alert_volume_spike_ratio
      above the average of the same weekday in the ops_alert_baseline_weeks weeks before, by
      more than ops_alert_confidence_z Poisson standard deviations of that raised level.
    - open_queue (warning): tickets open at the end of the day above ops_alert_open_queue_size.
    - negative_sentiment_spike (warning): per contact channel and complete reporting ISO week
      (int_contact_sentiment_weeks_aggregated), a negative share more than
      ops_alert_negative_sentiment_ratio above the trailing four weeks' share; raised on the
      week's last day.
    fct_ops_alerts publishes it.
-#}
{%- set baseline_weeks = var('ops_alert_baseline_weeks') -%}
with

sla_events as (
    select * from {{ ref('int_ticket_sla_clocks_measured') }}
),

backlog_days as (
    select * from {{ ref('int_ticket_backlog_days_aggregated') }}
),

sentiment_trends as (
    select * from {{ ref('int_contact_sentiment_weeks_aggregated') }}
),

-- SLA breach rate ---------------------------------------------------------------------------
sla_outcomes as (
    select
        {{ reporting_date(
            'case when sla_events.is_sla_breached then sla_events.sla_due_at'
            ~ ' else sla_events.sla_stopped_at end'
        ) }} as alert_date,
        sla_events.is_sla_breached
    from sla_events
    where sla_events.is_sla_breached or not sla_events.is_active_sla
),

sla_daily as (
    select
        sla_outcomes.alert_date,
        count(*) as decided_count,
        count(case when sla_outcomes.is_sla_breached then 1 end) as breached_count
    from sla_outcomes
    group by sla_outcomes.alert_date
),

sla_daily_bounds as (
    select
        sla_daily.*,
        cast(sla_daily.breached_count as double) / sla_daily.decided_count as breach_rate,
        {%- set z = var('ops_alert_confidence_z') %}
        (
            cast(sla_daily.breached_count as double) / sla_daily.decided_count
            + {{ z }} * {{ z }} / (2.0 * sla_daily.decided_count)
            - {{ z }} * sqrt(
                cast(sla_daily.breached_count as double)
                * (sla_daily.decided_count - sla_daily.breached_count)
                / power(sla_daily.decided_count, 3)
                + {{ z }} * {{ z }} / (4.0 * power(sla_daily.decided_count, 2))
            )
        ) / (1 + {{ z }} * {{ z }} / sla_daily.decided_count) as breach_rate_lower_bound
    from sla_daily
),

-- daily volume and open queue ---------------------------------------------------------------
daily_totals as (
    select
        backlog_days.backlog_date,
        max(backlog_days.day_end_at) as day_end_at,
        cast(sum(backlog_days.created_ticket_count) as bigint) as created_ticket_count,
        cast(sum(backlog_days.open_ticket_count) as bigint) as open_ticket_count
    from backlog_days
    group by backlog_days.backlog_date
),

daily_baselines as (
    select
        daily_totals.*,
        {{ reporting_day_start('daily_totals.backlog_date') }} as day_start_at,
        -- the same weekday of the baseline weeks before (the day spine has no gaps)
        sum(daily_totals.created_ticket_count) over same_weekday_baseline
            as baseline_created_ticket_count,
        count(*) over same_weekday_baseline as baseline_day_count
    from daily_totals
    window same_weekday_baseline as (
        partition by {{ iso_day_of_week('daily_totals.backlog_date') }}
        order by daily_totals.backlog_date
        rows between {{ baseline_weeks }} preceding and 1 preceding
    )
),

alerts as (
    select
        'sla_breach_rate' as alert_type,
        'critical' as severity,
        'all' as alert_scope,
        'share of SLA outcomes decided that day that were breaches' as metric_name,
        cast({{ var('ops_alert_sla_breach_rate') }} as double) as threshold_value,
        sla_daily_bounds.breach_rate as observed_value,
        cast(null as double) as baseline_value,
        sla_daily_bounds.alert_date,
        daily_baselines.day_start_at as period_start_at,
        daily_baselines.day_end_at as period_end_at
    from sla_daily_bounds
    inner join daily_baselines
        on sla_daily_bounds.alert_date = daily_baselines.backlog_date
    where sla_daily_bounds.breach_rate_lower_bound > {{ var('ops_alert_sla_breach_rate') }}

    union all

    select
        'volume_spike' as alert_type,
        'critical' as severity,
        'all' as alert_scope,
        'tickets created that day vs the same weekday of the {{ baseline_weeks }} weeks before'
            as metric_name,
        cast({{ var('ops_alert_volume_spike_ratio') }} as double) as threshold_value,
        cast(daily_baselines.created_ticket_count as double) as observed_value,
        daily_baselines.baseline_created_ticket_count / {{ baseline_weeks }}.0 as baseline_value,
        daily_baselines.backlog_date as alert_date,
        daily_baselines.day_start_at as period_start_at,
        daily_baselines.day_end_at as period_end_at
    from daily_baselines
    where
        daily_baselines.baseline_day_count = {{ baseline_weeks }}
        and daily_baselines.baseline_created_ticket_count > 0
        -- above the raised baseline by more than z of its Poisson standard deviations, so a
        -- quiet desk's 6 tickets against a baseline of 3 is no spike, 12 is
        and daily_baselines.created_ticket_count
        > (1 + {{ var('ops_alert_volume_spike_ratio') }})
        * daily_baselines.baseline_created_ticket_count / {{ baseline_weeks }}.0
        + {{ var('ops_alert_confidence_z') }} * sqrt(
            (1 + {{ var('ops_alert_volume_spike_ratio') }})
            * daily_baselines.baseline_created_ticket_count / {{ baseline_weeks }}.0
        )

    union all

    select
        'open_queue' as alert_type,
        'warning' as severity,
        'all' as alert_scope,
        'tickets open at the end of the day' as metric_name,
        cast({{ var('ops_alert_open_queue_size') }} as double) as threshold_value,
        cast(daily_baselines.open_ticket_count as double) as observed_value,
        cast(null as double) as baseline_value,
        daily_baselines.backlog_date as alert_date,
        daily_baselines.day_start_at as period_start_at,
        daily_baselines.day_end_at as period_end_at
    from daily_baselines
    where daily_baselines.open_ticket_count > {{ var('ops_alert_open_queue_size') }}

    union all

    select
        'negative_sentiment_spike' as alert_type,
        'warning' as severity,
        sentiment_trends.channel as alert_scope,
        'share of contacts with negative sentiment that week vs the 4 weeks before'
            as metric_name,
        cast({{ var('ops_alert_negative_sentiment_ratio') }} as double) as threshold_value,
        cast(sentiment_trends.negative_share as double) as observed_value,
        cast(sentiment_trends.trailing_4w_negative_share as double) as baseline_value,
        cast({{ dbt.dateadd('day', 6, 'sentiment_trends.week_start_date') }} as date)
            as alert_date,
        {{ reporting_day_start('sentiment_trends.week_start_date') }} as period_start_at,
        {{ reporting_day_start(dbt.dateadd('day', 7, 'sentiment_trends.week_start_date')) }}
            as period_end_at
    from sentiment_trends
    where
        sentiment_trends.has_complete_trailing_4w
        and sentiment_trends.trailing_4w_negative_share > 0
        and sentiment_trends.negative_share
        > (1 + {{ var('ops_alert_negative_sentiment_ratio') }})
        * sentiment_trends.trailing_4w_negative_share
),

final as (
    select
        {{ surrogate_key(['alert_type', 'alert_scope', 'alert_date']) }} as alert_id,
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
    from alerts
)

select * from final
