{#- Support-report helpers (time helpers shared by all marts: macros/utils/reporting_time.sql). -#}

{#-
    One row per reporting ISO week (`week_start_date`, Monday in the reporting time zone) from
    the week of the first ticket of `tickets_relation` to the as-of week: the spine of the weekly
    support reports.
-#}
{% macro support_report_weeks(tickets_relation) -%}
    select cast(week_spine.date_week as date) as week_start_date
    from (
        {{ date_spine(
            'week',
            '(select ' ~ iso_week_start('min(' ~ tickets_relation ~ '.created_date)')
                ~ ' from ' ~ tickets_relation ~ ')',
            dbt.dateadd('day', 7, iso_week_start(reporting_date(as_of_at())))
        ) }}
    ) as week_spine
{%- endmacro %}
