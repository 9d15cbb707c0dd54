{#-
    Every raw row is staged, quarantined or erased (a right-to-erasure request matched it;
    receipts are de-identified instead, so they stay staged). One row per raw table; the data
    test on unaccounted_rows fails the build when a row went missing (or was counted twice).
    This audit model reads the sources directly on purpose: it checks staging, so it must not
    trust staging's own counts (DECISIONS.md, "Row accounting").
-#}
{%- set raw_tables = [
    ('support', 'companies', 'stg_support__companies', 'quarantine_support__companies'),
    ('support', 'customers', 'stg_support__customers', 'quarantine_support__customers'),
    ('support', 'agents', 'stg_support__agents', 'quarantine_support__agents'),
    ('support', 'tickets', 'stg_support__tickets', 'quarantine_support__tickets'),
    ('support', 'ticket_interactions', 'stg_support__ticket_interactions',
        'quarantine_support__ticket_interactions'),
    ('retail', 'stores', 'stg_retail__stores', 'quarantine_retail__stores'),
    ('retail', 'products', 'stg_retail__products', 'quarantine_retail__products'),
    ('retail', 'receipts', 'stg_retail__receipts', 'quarantine_retail__receipts'),
    ('retail', 'receipt_items', 'stg_retail__receipt_items', 'quarantine_retail__receipt_items'),
    ('chat', 'chats', 'stg_chat__conversations', 'quarantine_chat__chats'),
    ('email', 'emails', 'stg_email__emails', 'quarantine_email__emails'),
    ('crm', 'incoming_customers', 'stg_crm__incoming_customers',
        'quarantine_crm__incoming_customers'),
] -%}

with

{% for source_name, table_name, staged_model, quarantine_model in raw_tables %}
    {{ table_name }}_counts as (
        select
            '{{ source_name }}' as source_name,
            '{{ table_name }}' as table_name,
            '{{ staged_model }}' as staged_model,
            '{{ quarantine_model }}' as quarantine_model,
            (select count(*) from {{ source(source_name, table_name) }}) as raw_rows,
            (select count(*) from {{ ref(staged_model) }}) as staged_rows,
            (select count(*) from {{ ref(quarantine_model) }}) as quarantined_rows,
            -- Raw rows of people with an erasure request: dropped before staging (is_erased).
            {% if source_name ~ '.' ~ table_name in erasure_rules()
                and source_name ~ '.' ~ table_name not in erasure_deidentified_columns() -%}
                (
                    select count(*) from {{ source(source_name, table_name) }}
                    where {{ is_erased(source_name ~ '.' ~ table_name) }}
                )
            {%- else -%}
                0
            {%- endif %} as erased_rows
    ),

{% endfor %}
all_counts as (
    {% for source_name, table_name, staged_model, quarantine_model in raw_tables %}
        select * from {{ table_name }}_counts
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_name || '.' || table_name as raw_table_id,
        source_name,
        table_name,
        staged_model,
        quarantine_model,
        raw_rows,
        staged_rows,
        quarantined_rows,
        erased_rows,
        raw_rows - staged_rows - quarantined_rows - erased_rows as unaccounted_rows
    from all_counts
)

select * from final
