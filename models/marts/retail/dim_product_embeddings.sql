{#- The public, contracted face of int_product_embeddings_computed (a dbt Python model). -#}
with

product_embeddings as (
    select * from {{ ref('int_product_embeddings_computed') }}
),

final as (
    select
        product_embeddings.product_id,
        product_embeddings.embedding_model,
        product_embeddings.embedded_text_md5,
        product_embeddings.embedding
    from product_embeddings
)

select * from final
