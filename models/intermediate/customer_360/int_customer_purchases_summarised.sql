{#-
    One row per loyalty customer with at least one receipt up to the as-of instant: first and
    last purchase, lifetime spend (receipt totals, tax included), orders (receipts = store
    visits), average order value, visits per month since the first purchase, and the top three
    product categories by money spent on their lines (ties: category name). Receipts from the
    receipt core int_receipts_enriched, lines from int_receipt_items_enriched.
-#}
with

receipts as (
    select * from {{ ref('int_receipts_enriched') }}
    where customer_id is not null and transacted_at <= {{ as_of_at() }}
),

receipt_items as (
    select * from {{ ref('int_receipt_items_enriched') }}
    where customer_id is not null and transacted_at <= {{ as_of_at() }}
),

customer_receipts as (
    select
        customer_id,
        count(*) as order_count,
        count(distinct store_id) as store_count,
        sum(total) as lifetime_spend,
        min(transacted_at) as first_purchase_at,
        max(transacted_at) as last_purchase_at
    from receipts
    group by customer_id
),

category_spend as (
    select
        customer_id,
        category,
        row_number() over (
            partition by customer_id order by sum(line_total) desc, category
        ) as category_rank
    from receipt_items
    group by customer_id, category
),

top_categories as (
    select
        customer_id,
        {{ ordered_list('category', 'category_rank') }} as top_categories
    from category_spend
    where category_rank <= 3
    group by customer_id
),

final as (
    select
        customer_receipts.customer_id,
        top_categories.top_categories,
        customer_receipts.order_count,
        customer_receipts.store_count,
        cast(customer_receipts.lifetime_spend as decimal(14, 2)) as lifetime_spend,
        cast(customer_receipts.lifetime_spend / customer_receipts.order_count as decimal(12, 2))
            as average_order_value,
        -- Months since the first purchase (at least one, so a new customer's first week does
        -- not read as dozens of visits a month); 30.4375 = days in an average Gregorian month.
        -- The days as a double: a double on both engines (Spark divides decimals as decimals).
        customer_receipts.order_count / greatest(
            1.0,
            cast(
                {{ dbt.datediff('customer_receipts.first_purchase_at', as_of_at(), 'day') }}
                as double
            )
            / 30.4375
        ) as visits_per_month,
        {{ dbt.datediff('customer_receipts.last_purchase_at', as_of_at(), 'day') }}
            as recency_days,
        customer_receipts.first_purchase_at,
        customer_receipts.last_purchase_at
    from customer_receipts
    left outer join top_categories
        on customer_receipts.customer_id = top_categories.customer_id
)

select * from final
