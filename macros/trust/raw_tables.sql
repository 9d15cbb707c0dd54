{#-
    The raw tables of the warehouse, read from the source YAML: every source table whose `meta`
    names the model that stages it (`staged_by`). Its `meta` is the one place that says what
    the row accounting (audit.source_reconciliation), the right to erasure (erasure_rules) and
    quarantine need; see docs/raw_source_contract.md, "Adding a raw table". Source definitions
    are known only when models run (`graph` is empty while dbt parses), so this is empty at
    parse time.
-#}
{% macro raw_tables() -%}
    {%- set tables = [] -%}
    {%- for node in graph.get('sources', {}).values() | sort(attribute='unique_id') -%}
        {%- if node.meta.get('staged_by') -%}
            {%- do tables.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(tables) -}}
{%- endmacro %}
