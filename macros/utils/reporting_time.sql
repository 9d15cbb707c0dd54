{#-
    Time helpers of the whole warehouse. All timestamps are UTC instants stored without a zone;
    every day and week bucket of a report is a reporting day or week: the calendar date in the
    reporting time zone, var('reporting_timezone'). Engine-specific time-zone and interval
    arithmetic is wrapped here in dispatched macros, so the models stay portable.
-#}

{% macro utc_to_local(expr, timezone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'cx_warehouse')(expr, timezone)) }}
{%- endmacro %}

{% macro duckdb__utc_to_local(expr, timezone) -%}
    timezone({{ timezone }}, timezone('UTC', cast({{ expr }} as timestamp)))
{%- endmacro %}


{% macro local_to_utc(expr, timezone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'cx_warehouse')(expr, timezone)) }}
{%- endmacro %}

{% macro duckdb__local_to_utc(expr, timezone) -%}
    timezone('UTC', timezone({{ timezone }}, cast({{ expr }} as timestamp)))
{%- endmacro %}


{% macro minutes_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('minutes_between', 'cx_warehouse')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro duckdb__minutes_between(start_expr, end_expr) -%}
    (date_diff('microsecond', {{ start_expr }}, {{ end_expr }}) / 60000000.0)
{%- endmacro %}


{% macro add_minutes(expr, minutes) -%}
    {{ return(adapter.dispatch('add_minutes', 'cx_warehouse')(expr, minutes)) }}
{%- endmacro %}

{% macro duckdb__add_minutes(expr, minutes) -%}
    ({{ expr }} + to_microseconds(cast(round(({{ minutes }}) * 60000000) as bigint)))
{%- endmacro %}


{% macro iso_day_of_week(expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'cx_warehouse')(expr)) }}
{%- endmacro %}

{% macro duckdb__iso_day_of_week(expr) -%}
    extract(isodow from {{ expr }})
{%- endmacro %}


{% macro reporting_date(expr) -%}
    cast({{ cx_warehouse.utc_to_local(expr, reporting_timezone_literal()) }} as date)
{%- endmacro %}


{% macro reporting_timezone_literal() -%}
    '{{ var("reporting_timezone") }}'
{%- endmacro %}


{% macro reporting_day_start(date_expr) -%}
    {{ cx_warehouse.local_to_utc(
        'cast(' ~ date_expr ~ ' as timestamp)', reporting_timezone_literal()
    ) }}
{%- endmacro %}


{% macro iso_week_start(date_expr) -%}
    cast({{ dbt.date_trunc('week', date_expr) }} as date)
{%- endmacro %}


{% macro iso_week_key(date_expr) -%}
    {{ return(adapter.dispatch('iso_week_key', 'cx_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro duckdb__iso_week_key(date_expr) -%}
    strftime(cast({{ date_expr }} as date), '%G-W%V')
{%- endmacro %}


{% macro month_key(date_expr) -%}
    {{ return(adapter.dispatch('month_key', 'cx_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro duckdb__month_key(date_expr) -%}
    strftime(cast({{ date_expr }} as date), '%Y-%m')
{%- endmacro %}
