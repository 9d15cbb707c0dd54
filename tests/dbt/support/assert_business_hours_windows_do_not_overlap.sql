{#-
    The business-minutes clock adds up window lengths, so the windows of one schedule and
    weekday must not overlap (the seed's unique key does not prevent it). Returns the
    overlapping pairs.
-#}
with

business_hours as (
    select * from {{ ref('business_hours') }}
),

final as (
    select
        business_hours.schedule_id,
        business_hours.day_of_week,
        business_hours.start_minute,
        business_hours.end_minute,
        later_windows.start_minute as overlapping_start_minute
    from business_hours
    inner join business_hours as later_windows
        on
            business_hours.schedule_id = later_windows.schedule_id
            and business_hours.day_of_week = later_windows.day_of_week
            and business_hours.start_minute < later_windows.start_minute
            and business_hours.end_minute > later_windows.start_minute
)

select * from final
