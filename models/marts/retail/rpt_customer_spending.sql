{#-
    Per loyalty customer, product category and calendar month (the store's local date): money
    spent on the category's lines, units bought and visits (receipts with at least one line of
    the category), from the receipt-line core. Anonymous purchases are left out: they have no
    customer.
-#}
with

receipt_items as (
    select * from {{ ref('int_receipt_items_enriched') }}
    where customer_id is not null
),

monthly as (
    select
        customer_id,
        category as product_category,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as spend_month,
        sum(line_total) as spend,
        sum(discount) as discount,
        sum(quantity) as items,
        count(distinct receipt_id) as visits
    from receipt_items
    group by
        customer_id,
        category,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date)
),

final as (
    select
        {{ surrogate_key(['customer_id', 'product_category', 'spend_month']) }}
            as customer_spending_id,
        customer_id,
        product_category,
        {{ month_key('spend_month') }} as month,  -- noqa: RF04
        cast(spend as decimal(14, 2)) as spend,
        cast(discount as decimal(14, 2)) as discount,
        cast(items as integer) as items,
        cast(visits as integer) as visits,
        spend_month
    from monthly
)

select * from final
where {{ is_retained('spend_month', 'metrics') }}
