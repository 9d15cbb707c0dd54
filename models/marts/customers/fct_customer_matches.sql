{#- The candidate-pair core int_customer_matches_ranked, published under a contract. -#}
with

customer_matches as (
    select * from {{ ref('int_customer_matches_ranked') }}
),

final as (
    select * from customer_matches
)

select * from final
