{#-
    Today's view of the daily volumes: per monitored relation (macro
    observability_monitored_relations) and reporting day (the project's one reporting time zone,
    var reporting_timezone, as every day bucket in the warehouse), the rows whose event time
    falls on that day, as the current landing folder has them. Events after as-of are not
    counted. A day is complete once as-of has reached its last second
    (reporting_day_is_complete). audit_daily_volumes keeps these counts as history;
    audit_freshness reads the newest event per relation from here.
-#}
{%- set monitored = observability_monitored_relations() -%}

with

{% for monitored_relation in monitored %}
    {{ monitored_relation.relation }} as (
        select * from {{ ref(monitored_relation.relation) }}
    ),

{% endfor %}
as_of as (
    select {{ as_of_at() }} as as_of_at
),

events as (
    {%- for monitored_relation in monitored %}
        {%- set event = monitored_relation.relation ~ '.' ~ monitored_relation.event_column %}
        select
            '{{ monitored_relation.relation }}' as relation_name,
            '{{ monitored_relation.layer }}' as relation_layer,
            '{{ monitored_relation.event_column }}' as event_column,
            {{ monitored_relation.fill_missing_days }} as is_zero_filled,
            cast({{ event }} as timestamp) as event_at,
            {% if monitored_relation.get('event_is_date') -%}
                cast({{ event }} as date)
            {%- else -%}
                {{ reporting_date('cast(' ~ event ~ ' as timestamp)') }}
            {%- endif %} as event_date
        from {{ monitored_relation.relation }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

events_until_as_of as (
    select
        events.relation_name,
        events.relation_layer,
        events.event_column,
        events.is_zero_filled,
        events.event_at,
        events.event_date
    from events
    cross join as_of
    where events.event_at <= as_of.as_of_at
),

counted_days as (
    select
        relation_name,
        event_date,
        count(*) as row_count,
        max(event_at) as latest_event_at
    from events_until_as_of
    group by relation_name, event_date
),

relation_ranges as (
    select
        relation_name,
        relation_layer,
        event_column,
        is_zero_filled,
        min(event_date) as first_event_date
    from events_until_as_of
    group by relation_name, relation_layer, event_column, is_zero_filled
),

calendar as (
    {{ date_spine(
        'day',
        '(select min(first_event_date) from relation_ranges)',
        '(select ' ~ dbt.dateadd('day', 1, reporting_date('as_of_at')) ~ ' from as_of)',
    ) | indent(4) }}
),

relation_days as (
    select
        relation_ranges.relation_name,
        relation_ranges.relation_layer,
        relation_ranges.event_column,
        relation_ranges.is_zero_filled,
        calendar.date_day as event_date
    from relation_ranges
    inner join calendar
        on relation_ranges.first_event_date <= calendar.date_day
    left outer join counted_days
        on
            relation_ranges.relation_name = counted_days.relation_name
            and calendar.date_day = counted_days.event_date
    where relation_ranges.is_zero_filled or counted_days.event_date is not null
),

final as (
    select
        {{ surrogate_key(['relation_days.relation_name', 'relation_days.event_date']) }}
            as daily_volume_id,
        relation_days.relation_name,
        relation_days.relation_layer,
        relation_days.event_column,
        coalesce(counted_days.row_count, 0) as row_count,
        relation_days.is_zero_filled,
        {{ reporting_day_is_complete('relation_days.event_date', 'as_of.as_of_at') }}
            as is_complete_day,
        relation_days.event_date,
        counted_days.latest_event_at,
        as_of.as_of_at as counted_as_of_at
    from relation_days
    cross join as_of
    left outer join counted_days
        on
            relation_days.relation_name = counted_days.relation_name
            and relation_days.event_date = counted_days.event_date
)

select * from final
