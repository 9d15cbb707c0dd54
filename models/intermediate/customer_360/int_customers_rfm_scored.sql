{#-
    RFM scores of every customer with a purchase, as of the as-of instant: recency (last
    purchase), frequency (orders) and monetary value (lifetime spend), each a quintile 1-5
    (5 = most recent / most frequent / biggest spender). Quintile = 1 + floor(5 x (rank - 1) / n)
    with rank() over the score's metric, ties broken by the two other metrics (recency by
    frequency then money; frequency by money then recency; money by frequency then recency);
    customers equal on all three share the rank, so they always get the same score and the
    result never depends on an id. Segment from the recency and frequency scores (rfm_segment).
-#}
with

customer_purchases as (
    select * from {{ ref('int_customer_purchases_summarised') }}
),

ranked as (
    select
        *,
        count(*) over () as customer_count,
        rank() over (order by last_purchase_at, order_count, lifetime_spend) as recency_rank,
        rank() over (order by order_count, lifetime_spend, last_purchase_at) as frequency_rank,
        rank() over (order by lifetime_spend, order_count, last_purchase_at) as monetary_rank
    from customer_purchases
),

scored as (
    select
        *,
        {{ rfm_quintile_score('recency_rank', 'customer_count') }} as rfm_recency_score,
        {{ rfm_quintile_score('frequency_rank', 'customer_count') }} as rfm_frequency_score,
        {{ rfm_quintile_score('monetary_rank', 'customer_count') }} as rfm_monetary_score
    from ranked
),

final as (
    select
        customer_id,
        {{ rfm_segment('rfm_recency_score', 'rfm_frequency_score') }} as rfm_segment,
        cast(rfm_recency_score as {{ dbt.type_string() }})
        || cast(rfm_frequency_score as {{ dbt.type_string() }})
        || cast(rfm_monetary_score as {{ dbt.type_string() }}) as rfm_cell,
        top_categories,
        order_count,
        store_count,
        lifetime_spend,
        average_order_value,
        visits_per_month,
        recency_days,
        rfm_recency_score,
        rfm_frequency_score,
        rfm_monetary_score,
        first_purchase_at,
        last_purchase_at
    from scored
)

select * from final
