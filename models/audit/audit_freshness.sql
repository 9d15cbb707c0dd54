{#-
    Freshness of every monitored relation on the data's own clock: the newest event at or
    before as-of (audit_daily_event_counts, i.e. the current landing folder), its lag behind
    as-of in hours, and whether that lag exceeds the relation's threshold (var
    freshness_warn_after_hours; null = not checked). A relation with no event at all is stale.
    The warn-severity test on is_stale raises it.
-#}
{%- set monitored = observability_monitored_relations() -%}

with

daily_event_counts as (
    select * from {{ ref('audit_daily_event_counts') }}
),

as_of as (
    select {{ as_of_at() }} as as_of_at
),

monitored_relations as (
    {%- for monitored_relation in monitored %}
        {%- set threshold = freshness_warn_after_hours(monitored_relation.relation) %}
        select
            '{{ monitored_relation.relation }}' as relation_name,
            '{{ monitored_relation.layer }}' as relation_layer,
            '{{ monitored_relation.event_column }}' as event_column,
            cast({{ 'null' if threshold is none else threshold }} as double)
                as warn_after_hours
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

newest_events as (
    select
        relation_name,
        max(latest_event_at) as latest_event_at
    from daily_event_counts
    group by relation_name
),

lags as (
    select
        monitored_relations.relation_name,
        monitored_relations.relation_layer,
        monitored_relations.event_column,
        monitored_relations.warn_after_hours,
        {{ dbt.datediff('newest_events.latest_event_at', 'as_of.as_of_at', 'second') }}
        / 3600.0 as lag_hours,
        newest_events.latest_event_at,
        as_of.as_of_at
    from monitored_relations
    cross join as_of
    left outer join newest_events
        on monitored_relations.relation_name = newest_events.relation_name
),

final as (
    select
        relation_name as monitored_relation_id,
        relation_layer,
        event_column,
        warn_after_hours,
        lag_hours,
        warn_after_hours is not null
        and (latest_event_at is null or lag_hours > warn_after_hours) as is_stale,
        latest_event_at,
        as_of_at
    from lags
)

select * from final
