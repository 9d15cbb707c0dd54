{#-
    Every raw row is staged, quarantined or erased (a right-to-erasure request matched it;
    receipts are de-identified instead, so they stay staged). One row per raw table; the data
    test on unaccounted_rows fails the build when a row went missing (or was counted twice).
    This audit model reads the sources directly on purpose: it checks staging, so it must not
    trust staging's own counts (DECISIONS.md, "Row accounting").
-#}
{#- The raw tables and their staging/quarantine models come from the source YAML's `meta`
    (raw_tables(): staged_by, quarantined_by, erasure). dbt learns a model's parents while it
    parses, before source definitions are known, so the models are also named in the hints
    below; a raw table whose models are missing here stops the build with dbt's own message
    giving the line to add (docs/raw_source_contract.md, "Adding a raw table"). -#}
-- depends_on: {{ ref('base_landing__erasure_subjects') }}
-- depends_on: {{ ref('stg_support__companies') }}
-- depends_on: {{ ref('quarantine_support__companies') }}
-- depends_on: {{ ref('stg_support__customers') }}
-- depends_on: {{ ref('quarantine_support__customers') }}
-- depends_on: {{ ref('stg_support__agents') }}
-- depends_on: {{ ref('quarantine_support__agents') }}
-- depends_on: {{ ref('stg_support__tickets') }}
-- depends_on: {{ ref('quarantine_support__tickets') }}
-- depends_on: {{ ref('stg_support__ticket_interactions') }}
-- depends_on: {{ ref('quarantine_support__ticket_interactions') }}
-- depends_on: {{ ref('stg_retail__stores') }}
-- depends_on: {{ ref('quarantine_retail__stores') }}
-- depends_on: {{ ref('stg_retail__products') }}
-- depends_on: {{ ref('quarantine_retail__products') }}
-- depends_on: {{ ref('stg_retail__receipts') }}
-- depends_on: {{ ref('quarantine_retail__receipts') }}
-- depends_on: {{ ref('stg_retail__receipt_items') }}
-- depends_on: {{ ref('quarantine_retail__receipt_items') }}
-- depends_on: {{ ref('stg_chat__conversations') }}
-- depends_on: {{ ref('quarantine_chat__chats') }}
-- depends_on: {{ ref('stg_email__emails') }}
-- depends_on: {{ ref('quarantine_email__emails') }}
-- depends_on: {{ ref('stg_crm__incoming_customers') }}
-- depends_on: {{ ref('quarantine_crm__incoming_customers') }}
{%- set raw_tables = cx_warehouse.raw_tables() %}
{%- set erasure_rules = cx_warehouse.erasure_rules() %}
{%- set deidentified = cx_warehouse.erasure_deidentified_columns() %}

with

{% for node in raw_tables %}
    {%- set raw_table_id = node.source_name ~ '.' ~ node.name %}
    {{ node.name }}_counts as (
        select
            '{{ node.source_name }}' as source_name,
            '{{ node.name }}' as table_name,
            '{{ node.meta.staged_by }}' as staged_model,
            '{{ node.meta.quarantined_by }}' as quarantine_model,
            (select count(*) from {{ source(node.source_name, node.name) }}) as raw_rows,
            (select count(*) from {{ ref(node.meta.staged_by) }}) as staged_rows,
            (select count(*) from {{ ref(node.meta.quarantined_by) }}) as quarantined_rows,
            -- Raw rows of people with an erasure request: dropped before staging (is_erased).
            {% if raw_table_id in erasure_rules and raw_table_id not in deidentified -%}
                (
                    select count(*) from {{ source(node.source_name, node.name) }}
                    where {{ is_erased(raw_table_id) }}
                )
            {%- else -%}
                0
            {%- endif %} as erased_rows
    ),

{% endfor %}
all_counts as (
    {% for node in raw_tables %}
        select * from {{ node.name }}_counts
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
