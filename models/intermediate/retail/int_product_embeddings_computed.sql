{{ config(enabled=target.type == 'spark' and var('spark_disable_python_models', true),
    materialized='table') }}
{#- Spark only: int_product_embeddings_computed.py as SQL. cx_product_embedding is the same
    MiniLM embedding (cx_warehouse.embeddings.product_embeddings_table) registered by
    cx_warehouse.spark_udfs, the model loaded once per executor Python worker. Without the
    embeddings extra (cx_embeddings_available() false) the table is built empty, as on DuckDB
    (DECISIONS.md, "The Python steps on Spark"). -#}
with

products as (
    select * from {{ ref('stg_retail__products') }}
),

code as (
    select
        cx_code_version('embeddings') as code_version,
        cx_embeddings_available() as is_available
),

products_to_embed as (
    select
        products.product_id,
        products.product_name,
        products.category,
        products.subcategory,
        products.description,
        {{ scored_input_md5(
            'code.code_version',
            "concat_ws(chr(30), coalesce(products.product_name, chr(0)),"
            ~ " coalesce(products.category, chr(0)), coalesce(products.subcategory, chr(0)),"
            ~ " coalesce(products.description, chr(0)))"
        ) }} as scored_input_md5
    from products
    cross join code
    where code.is_available
),

embedded as (
    select
        products_to_embed.product_id,
        cx_product_embedding(
            products_to_embed.product_name,
            products_to_embed.category,
            products_to_embed.subcategory,
            products_to_embed.description
        ) as embedding,
        products_to_embed.scored_input_md5
    from products_to_embed
),

final as (
    select
        embedded.product_id,
        embedded.embedding.*,
        embedded.scored_input_md5
    from embedded
)

select * from final
