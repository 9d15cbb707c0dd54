{{ config(enabled=target.type == 'spark' and var('spark_disable_python_models', true),
    materialized='table') }}
{#- Spark only: matching_customer_pairs_scored.py as SQL. cx_customer_pairs_scored is a table
    function registered by cx_warehouse.spark_udfs: the matching records go to one executor
    task (with single partition), which scores them with the same Splink model
    (cx_warehouse.python_models.matching_pairs) on a private in-memory DuckDB. The model is
    trained on every record at once, so it is not split further (DECISIONS.md, "The Python
    steps on Spark"). -#}
with

records as (
    select * from {{ ref('matching_customer_records') }}
),

pairs as (
    select * from cx_customer_pairs_scored(
        table(select * from records) with single partition,
        {{ var('customer_match_seed') }},
        {{ var('customer_match_keep_min_score') }}
    )
),

final as (
    select * from pairs
)

select * from final
