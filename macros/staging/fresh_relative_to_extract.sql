{% test fresh_relative_to_extract(model, column_name, warn_after_hours=72,
        error_after_hours=720) %}
{{ config(warn_if='>=1', error_if='>=2') }}

with

newest as (
    select max({{ parse_utc_timestamp(column_name) }}) as newest_at
    from {{ model }}
),

lag as (
    select
        newest.newest_at,
        {{ extracted_at() }} as extracted_at,
        {{ dbt.datediff('newest.newest_at', extracted_at(), 'hour') }} as lag_hours
    from newest
),

thresholds as (
    select 'warn' as level, {{ warn_after_hours }} as max_lag_hours
    union all
    select 'error' as level, {{ error_after_hours }} as max_lag_hours
),

final as (
    select
        thresholds.level,
        thresholds.max_lag_hours,
        lag.newest_at,
        lag.extracted_at,
        lag.lag_hours
    from thresholds
    cross join lag
    where lag.newest_at is null or lag.lag_hours > thresholds.max_lag_hours
)

select * from final
{% endtest %}
