{{ config(enabled=target.type == 'spark' and var('spark_disable_python_models', true),
    materialized='table') }}
{#- Spark only: int_tickets_scored.py as SQL. cx_ticket_scores is the same scoring
    (cx_warehouse.python_models.ticket_scores) registered by cx_warehouse.spark_udfs
    (DECISIONS.md, "The Python steps on Spark"). -#}
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

code as (
    select cx_code_version('enrichment') as code_version
),

scored as (
    select
        tickets.ticket_id,
        cx_ticket_scores(tickets.description_redacted) as scores,
        {{ scored_input_md5('code.code_version', 'tickets.description_redacted') }}
            as scored_input_md5
    from tickets
    cross join code
),

final as (
    select
        scored.ticket_id,
        scored.scores.*,
        scored.scored_input_md5
    from scored
)

select * from final
