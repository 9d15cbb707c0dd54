{#- The identity core int_customer_identities_unified, published under a contract. -#}
with

identities as (
    select * from {{ ref('int_customer_identities_unified') }}
),

final as (
    select * from identities
)

select * from final
