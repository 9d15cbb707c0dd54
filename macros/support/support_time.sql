{#-
    Time helpers of the support marts. Engine-specific time-zone and interval arithmetic is
    wrapped here (dispatched), so the models stay portable: DuckDB (ICU time zones) and Spark.
    All timestamps in the warehouse are UTC instants stored without a zone.
-#}

{#- The local wall-clock time in `timezone` (IANA name) of the UTC instant `expr`. -#}
{% macro support_utc_to_local(expr, timezone) -%}
    {{ return(adapter.dispatch('support_utc_to_local', 'cx_warehouse')(expr, timezone)) }}
{%- endmacro %}

{% macro duckdb__support_utc_to_local(expr, timezone) -%}
    timezone({{ timezone }}, timezone('UTC', cast({{ expr }} as timestamp)))
{%- endmacro %}

{% macro default__support_utc_to_local(expr, timezone) -%}
    from_utc_timestamp(cast({{ expr }} as timestamp), {{ timezone }})
{%- endmacro %}


{#-
    The UTC instant of the local wall-clock time `expr` in `timezone`. DST-correct: each local
    time is converted with the offset in force on its own date. A local time that does not
    exist (skipped by a spring-forward change) is moved forward by the engine's rule.
-#}
{% macro support_local_to_utc(expr, timezone) -%}
    {{ return(adapter.dispatch('support_local_to_utc', 'cx_warehouse')(expr, timezone)) }}
{%- endmacro %}

{% macro duckdb__support_local_to_utc(expr, timezone) -%}
    timezone('UTC', timezone({{ timezone }}, cast({{ expr }} as timestamp)))
{%- endmacro %}

{% macro default__support_local_to_utc(expr, timezone) -%}
    to_utc_timestamp(cast({{ expr }} as timestamp), {{ timezone }})
{%- endmacro %}


{#- Minutes (double, fractions kept to the microsecond) from start_expr to end_expr. -#}
{% macro support_minutes_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('support_minutes_between', 'cx_warehouse')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro duckdb__support_minutes_between(start_expr, end_expr) -%}
    (date_diff('microsecond', {{ start_expr }}, {{ end_expr }}) / 60000000.0)
{%- endmacro %}

{% macro default__support_minutes_between(start_expr, end_expr) -%}
    ((unix_micros(cast({{ end_expr }} as timestamp))
        - unix_micros(cast({{ start_expr }} as timestamp))) / 60000000.0)
{%- endmacro %}


{#- The timestamp `expr` plus `minutes` (a numeric expression; rounded to the microsecond). -#}
{% macro support_add_minutes(expr, minutes) -%}
    {{ return(adapter.dispatch('support_add_minutes', 'cx_warehouse')(expr, minutes)) }}
{%- endmacro %}

{% macro duckdb__support_add_minutes(expr, minutes) -%}
    ({{ expr }} + to_microseconds(cast(round(({{ minutes }}) * 60000000) as bigint)))
{%- endmacro %}

{% macro default__support_add_minutes(expr, minutes) -%}
    timestamp_micros(
        unix_micros(cast({{ expr }} as timestamp))
        + cast(round(({{ minutes }}) * 60000000) as bigint)
    )
{%- endmacro %}


{#- ISO day of week of a date: 1 = Monday ... 7 = Sunday. -#}
{% macro support_iso_day_of_week(expr) -%}
    {{ return(adapter.dispatch('support_iso_day_of_week', 'cx_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__support_iso_day_of_week(expr) -%}
    extract(isodow from {{ expr }})
{%- endmacro %}

{% macro spark__support_iso_day_of_week(expr) -%}
    extract(dayofweek_iso from {{ expr }})
{%- endmacro %}


{#-
    The reporting date of the UTC instant `expr`: its calendar date in the support desk's time
    zone, var('support_reporting_timezone'). Days and ISO weeks of every support report use it.
-#}
{% macro support_reporting_date(expr) -%}
    cast({{ cx_warehouse.support_utc_to_local(expr, support_reporting_timezone_literal()) }} as date)
{%- endmacro %}


{#- The reporting time zone as a SQL string literal. -#}
{% macro support_reporting_timezone_literal() -%}
    '{{ var("support_reporting_timezone") }}'
{%- endmacro %}


{#- The UTC instant at which the reporting date `date_expr` begins (local midnight). -#}
{% macro support_reporting_day_start(date_expr) -%}
    {{ cx_warehouse.support_local_to_utc(
        'cast(' ~ date_expr ~ ' as timestamp)', support_reporting_timezone_literal()
    ) }}
{%- endmacro %}


{#- Monday (date) of the ISO week of the date `date_expr`. -#}
{% macro support_iso_week_start(date_expr) -%}
    cast({{ dbt.date_trunc('week', date_expr) }} as date)
{%- endmacro %}


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
            '(select ' ~ support_iso_week_start('min(' ~ tickets_relation ~ '.created_date)')
                ~ ' from ' ~ tickets_relation ~ ')',
            dbt.dateadd('day', 7, support_iso_week_start(support_reporting_date(as_of_at())))
        ) }}
    ) as week_spine
{%- endmacro %}
