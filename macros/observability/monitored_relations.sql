{% macro observability_monitored_relations() -%}
    {{- return([
        {'relation': 'stg_support__tickets', 'layer': 'source',
            'event_column': 'created_at', 'fill_missing_days': true},
        {'relation': 'stg_support__ticket_interactions', 'layer': 'source',
            'event_column': 'interaction_at', 'fill_missing_days': true},
        {'relation': 'stg_retail__receipts', 'layer': 'source',
            'event_column': 'transacted_at', 'fill_missing_days': true},
        {'relation': 'stg_chat__conversations', 'layer': 'source',
            'event_column': 'started_at', 'fill_missing_days': true},
        {'relation': 'stg_chat__messages', 'layer': 'source',
            'event_column': 'sent_at', 'fill_missing_days': true},
        {'relation': 'stg_email__emails', 'layer': 'source',
            'event_column': 'received_at', 'fill_missing_days': true},
        {'relation': 'stg_crm__incoming_customers', 'layer': 'source',
            'event_column': 'received_at', 'fill_missing_days': true},
        {'relation': 'fct_tickets', 'layer': 'fact',
            'event_column': 'created_at', 'fill_missing_days': true},
        {'relation': 'fct_sla_events', 'layer': 'fact',
            'event_column': 'sla_started_at', 'fill_missing_days': true},
        {'relation': 'fct_ticket_backlog_daily', 'layer': 'fact',
            'event_column': 'backlog_date', 'fill_missing_days': true,
            'event_is_date': true},
        {'relation': 'fct_agent_performance', 'layer': 'fact',
            'event_column': 'week_start_date', 'fill_missing_days': false,
            'event_is_date': true},
        {'relation': 'fct_ops_alerts', 'layer': 'fact',
            'event_column': 'alert_date', 'fill_missing_days': true,
            'event_is_date': true},
        {'relation': 'fct_chat_conversations', 'layer': 'fact',
            'event_column': 'started_at', 'fill_missing_days': true},
        {'relation': 'fct_chat_messages', 'layer': 'fact',
            'event_column': 'sent_at', 'fill_missing_days': true},
        {'relation': 'fct_emails', 'layer': 'fact',
            'event_column': 'received_at', 'fill_missing_days': true},
        {'relation': 'fct_customer_risk_signals', 'layer': 'fact',
            'event_column': 'as_of_at', 'fill_missing_days': false},
        {'relation': 'fct_customer_matches', 'layer': 'fact',
            'event_column': 'received_at', 'fill_missing_days': true},
        {'relation': 'fct_company_health', 'layer': 'fact',
            'event_column': 'as_of_at', 'fill_missing_days': false},
        {'relation': 'fct_receipts', 'layer': 'fact',
            'event_column': 'transacted_at', 'fill_missing_days': true},
        {'relation': 'fct_receipt_items', 'layer': 'fact',
            'event_column': 'transacted_at', 'fill_missing_days': true},
    ]) -}}
{%- endmacro %}


{% macro freshness_warn_after_hours(relation) -%}
    {%- set thresholds = var('freshness_warn_after_hours', {}) -%}
    {%- if relation in thresholds -%}
        {{- return(thresholds[relation]) -}}
    {%- endif -%}
    {{- return(thresholds.get('default', 48)) -}}
{%- endmacro %}


{% macro reporting_day_is_complete(date_expr, as_of_expr) -%}
    {{ dbt.dateadd('second', -1, cx_warehouse.reporting_day_start(
        dbt.dateadd('day', 1, date_expr))) }} <= {{ as_of_expr }}
{%- endmacro %}
