with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

final as (
    select * from tickets
)

select * from final
