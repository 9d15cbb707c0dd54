{#- Support-report helpers; the time helpers of every mart: macros/utils/reporting_time.sql. -#}

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


{% macro support_ticket_outcome_aggregates(tickets_relation) -%}
        count(*) as ticket_count,
        count({{ tickets_relation }}.resolution_minutes) as resolved_ticket_count,
        avg({{ tickets_relation }}.first_response_business_minutes)
            as avg_first_response_business_minutes,
        avg({{ tickets_relation }}.resolution_minutes) / 60.0 as avg_resolution_hours,
        count(case when not {{ tickets_relation }}.is_first_response_sla_breached then 1 end)
            as first_response_sla_met_count,
        count(case when not {{ tickets_relation }}.is_resolution_sla_breached then 1 end)
            as resolution_sla_met_count,
        avg({{ tickets_relation }}.csat_score) as avg_csat_score,
        count({{ tickets_relation }}.csat_score) as csat_rating_count,
        cast(sum({{ tickets_relation }}.agent_reply_count) as bigint) as agent_reply_count,
        cast(sum({{ tickets_relation }}.cost_to_serve) as decimal(14, 2)) as total_cost_to_serve
{%- endmacro %}


{% macro support_ticket_outcome_rates(monthly_relation) -%}
    cast({{ monthly_relation }}.first_response_sla_met_count as double)
    / {{ monthly_relation }}.ticket_count as first_response_sla_attainment_rate,
    cast({{ monthly_relation }}.resolution_sla_met_count as double)
    / {{ monthly_relation }}.ticket_count as resolution_sla_attainment_rate,
    cast(
        {{ monthly_relation }}.total_cost_to_serve / {{ monthly_relation }}.ticket_count
        as decimal(12, 2)
    ) as cost_per_ticket
{%- endmacro %}
