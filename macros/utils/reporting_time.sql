{#-
    Time helpers of the whole warehouse. All timestamps are UTC instants stored without a zone;
    every day and week bucket of a report is a reporting day or week: the calendar date in the
    reporting time zone, var('reporting_timezone'). Engine-specific time-zone and interval
    arithmetic is wrapped here in dispatched macros, so the models stay portable.
-#}

{#- The local wall-clock time in `timezone` (IANA name) of the UTC instant `expr`. -#}
{% macro utc_to_local(expr, timezone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'cx_warehouse')(expr, timezone)) }}
{%- endmacro %}

{% macro duckdb__utc_to_local(expr, timezone) -%}
    timezone({{ timezone }}, timezone('UTC', cast({{ expr }} as timestamp)))
{%- endmacro %}


{#-
    The UTC instant of the local wall-clock time `expr` in `timezone`. DST-correct: each local
    time is converted with the offset in force on its own date. A local time that does not
    exist (skipped by a spring-forward change) is moved forward by the engine's rule.
-#}
{% macro local_to_utc(expr, timezone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'cx_warehouse')(expr, timezone)) }}
{%- endmacro %}

{% macro duckdb__local_to_utc(expr, timezone) -%}
    timezone('UTC', timezone({{ timezone }}, cast({{ expr }} as timestamp)))
{%- endmacro %}


{#- Minutes (double, fractions kept to the microsecond) from start_expr to end_expr. -#}
{% macro minutes_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('minutes_between', 'cx_warehouse')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro duckdb__minutes_between(start_expr, end_expr) -%}
    (date_diff('microsecond', {{ start_expr }}, {{ end_expr }}) / 60000000.0)
{%- endmacro %}


{#- The timestamp `expr` plus `minutes` (a numeric expression; rounded to the microsecond). -#}
{% macro add_minutes(expr, minutes) -%}
    {{ return(adapter.dispatch('add_minutes', 'cx_warehouse')(expr, minutes)) }}
{%- endmacro %}

{% macro duckdb__add_minutes(expr, minutes) -%}
    ({{ expr }} + to_microseconds(cast(round(({{ minutes }}) * 60000000) as bigint)))
{%- endmacro %}


{#- ISO day of week of a date: 1 = Monday ... 7 = Sunday. -#}
{% macro iso_day_of_week(expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'cx_warehouse')(expr)) }}
{%- endmacro %}

{% macro duckdb__iso_day_of_week(expr) -%}
    extract(isodow from {{ expr }})
{%- endmacro %}


{#-
    The reporting date of the UTC instant `expr`: its calendar date in the support desk's time
    zone, var('reporting_timezone'). Every day and week bucket in the warehouse uses it.
-#}
{% macro reporting_date(expr) -%}
    cast({{ cx_warehouse.utc_to_local(expr, reporting_timezone_literal()) }} as date)
{%- endmacro %}


{#- The reporting time zone as a SQL string literal. -#}
{% macro reporting_timezone_literal() -%}
    '{{ var("reporting_timezone") }}'
{%- endmacro %}


{#- The UTC instant at which the reporting date `date_expr` begins (local midnight). -#}
{% macro reporting_day_start(date_expr) -%}
    {{ cx_warehouse.local_to_utc(
        'cast(' ~ date_expr ~ ' as timestamp)', reporting_timezone_literal()
    ) }}
{%- endmacro %}


{#- Monday (date) of the ISO week of the date `date_expr`. -#}
{% macro iso_week_start(date_expr) -%}
    cast({{ dbt.date_trunc('week', date_expr) }} as date)
{%- endmacro %}


{#- The readable ISO-week key of a date, e.g. '2026-W09' (ISO year, two-digit ISO week). -#}
{% macro iso_week_key(date_expr) -%}
    {{ return(adapter.dispatch('iso_week_key', 'cx_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro duckdb__iso_week_key(date_expr) -%}
    strftime(cast({{ date_expr }} as date), '%G-W%V')
{%- endmacro %}


{#- The readable month key of a date, e.g. '2026-03'. -#}
{% macro month_key(date_expr) -%}
    {{ return(adapter.dispatch('month_key', 'cx_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro duckdb__month_key(date_expr) -%}
    strftime(cast({{ date_expr }} as date), '%Y-%m')
{%- endmacro %}
