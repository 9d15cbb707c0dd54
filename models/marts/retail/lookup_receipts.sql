{#-
    Fuzzy multi-field receipt lookup for BI tools and scripts/lookup_receipts.py, as a DuckDB
    table macro (dbt-duckdb's table_function materialization). Every argument is optional and
    named:

        select * from marts.lookup_receipts(
            store := 'Shadysde', on_date := date '2026-03-10', amount := 40
        )

    store          store name, typo-tolerant (similarity >= min_store_similarity)
    on_date        the day the customer remembers; receipts within +- days of it
    amount         the total the customer remembers; receipts within +- amount_window of it
    card           last four digits of the card: an exact filter, not scored
    products       words describing what was bought, matched to product names, categories
                   and subcategories (typo-tolerant); a receipt must match at least one
    product_ids    product ids from a semantic product search (dim_product_embeddings); a
                   receipt must contain at least one
    days, amount_window, min_store_similarity, max_results: the tolerances and the page size
                   (defaults: vars lookup_default_*)

    Score (docs/design/customers.md, "Receipt lookup"): a weighted mean over the criteria given
    of store similarity, date closeness 1 - |days off| / (days + 1), amount closeness
    1 - |total - amount| / amount_window and the share of product words matched, weighted by
    the vars lookup_store_weight, lookup_date_weight, lookup_amount_weight and
    lookup_product_weight; ties go to the closer date, then the closer amount, then receipt_id.
-#}
{{ config(
    materialized='table_function',
    parameters=[
        'store := null',
        'on_date := null',
        'amount := null',
        'card := null',
        'products := null',
        'product_ids := null',
        'days := ' ~ var('lookup_default_days'),
        'amount_window := ' ~ var('lookup_default_amount_window'),
        'min_store_similarity := ' ~ var('lookup_default_min_store_similarity'),
        'max_results := ' ~ var('lookup_default_max_results'),
    ],
) }}

with

stores as (
    select * from {{ ref('dim_stores').include(database=false) }}
),

-- The date, amount and card filters are applied right at the scan (the macro's arguments
-- are constants there), so DuckDB reads only the receipts they let through.
receipts as (
    select * from {{ ref('fct_receipts').include(database=false) }}
    where
        (
            on_date is null
            or transaction_date between cast(on_date as date) - cast(days as integer)
            and cast(on_date as date) + cast(days as integer)
        )
        and (
            amount is null
            or abs(total - cast(amount as decimal(12, 2)))
            <= cast(amount_window as decimal(12, 2))
        )
        and (
            nullif(trim(cast(card as varchar)), '') is null
            or card_last4 = trim(cast(card as varchar))
        )
),

-- Lines are read only when products are asked for, and only within the date window: the
-- serving file stores them sorted by store and date, so zone maps skip the other row groups.
receipt_items as (
    select * from {{ ref('fct_receipt_items').include(database=false) }}
    where
        -- `products`, `product_ids` and `on_date` are the macro's arguments, not columns.
        (products is not null or product_ids is not null)  -- noqa: RF03
        and (
            on_date is null  -- noqa: RF03
            or transaction_date between cast(on_date as date) - cast(days as integer)
            and cast(on_date as date) + cast(days as integer)
        )
),

catalogue as (
    select * from {{ ref('dim_products').include(database=false) }}
),

criteria as (
    select
        nullif(trim({{ fold_accents('cast(store as varchar)') }}), '') as store_query,
        cast(on_date as date) as around_date,
        cast(amount as decimal(12, 2)) as around_amount,
        nullif(trim({{ regex_replace_all(
            fold_accents('cast(products as varchar)'), '[^a-z0-9]+', ' '
        ) }}), '') as product_query,
        cast(product_ids as varchar[]) as semantic_product_ids,
        cast(days as integer) as date_window_days,
        cast(amount_window as decimal(12, 2)) as amount_window,
        cast(min_store_similarity as double) as min_store_similarity
),

product_words as (
    select distinct query_words.product_word
    from (
        select unnest(string_split(criteria.product_query, ' ')) as product_word
        from criteria
    ) as query_words
    where length(query_words.product_word) >= {{ var('lookup_product_word_min_length') }}
),

product_tokens as (
    select
        catalogue.product_id,
        unnest(string_split(
            {{ regex_replace_all(
                fold_accents(
                    "catalogue.product_name || ' ' || catalogue.product_category || ' '"
                    ~ " || coalesce(catalogue.product_subcategory, '')"
                ),
                '[^a-z0-9]+',
                ' '
            ) }},
            ' '
        )) as token
    from catalogue
    -- `products` is the macro's argument, not a column: skip the catalogue when it is null.
    where products is not null  -- noqa: RF03
),

-- A word matches a product when it equals one of the product's words, or (words of at least
-- lookup_product_word_fuzzy_min_length letters) is within Jaro-Winkler
-- lookup_product_word_min_similarity of one: 'gruyere', 'chedar', 'sourdogh'.
word_products as (
    select distinct
        product_words.product_word,
        product_tokens.product_id
    from product_words
    inner join product_tokens
        on
            product_words.product_word = product_tokens.token
            or (
                length(product_words.product_word)
                >= {{ var('lookup_product_word_fuzzy_min_length') }}
                and jaro_winkler_similarity(product_tokens.token, product_words.product_word)
                >= {{ var('lookup_product_word_min_similarity') }}
            )
    union all
    select
        '(semantic)' as product_word,
        semantic.product_id
    from (
        select unnest(criteria.semantic_product_ids) as product_id
        from criteria
    ) as semantic
),

product_criteria as (
    select
        (select count(*) from product_words)
        + case
            when len(coalesce(criteria.semantic_product_ids, [])) > 0 then 1 else 0
        end as criteria_count
    from criteria
),

candidate_stores as (
    select
        stores.store_id,
        case
            when criteria.store_query is not null
                then greatest(
                    jaro_winkler_similarity(
                        criteria.store_query, {{ fold_accents('stores.store_name') }}
                    ),
                    1.0 - levenshtein(criteria.store_query, {{ fold_accents('stores.store_name') }})
                    / greatest(length(criteria.store_query), length(stores.store_name))
                )
        end as store_score,
        criteria.store_query is null as is_any_store,
        criteria.min_store_similarity
    from stores
    cross join criteria
),

-- A mistyped name is often close to several stores ('Shadyside', 'Shadyside II'); the store
-- evidence of a receipt is its store's similarity relative to the best-matching store's, so the
-- page is not shared with receipts of stores the name fits less well.
store_evidence as (
    select
        candidate_stores.store_id,
        candidate_stores.store_score,
        case
            when candidate_stores.store_score is not null
                then greatest(
                    0.0,
                    1.0 - (
                        max(candidate_stores.store_score) over ()
                        - candidate_stores.store_score
                    ) / {{ var('lookup_store_score_margin') }}
                )
        end as store_evidence
    from candidate_stores
    where
        candidate_stores.is_any_store
        or candidate_stores.store_score >= candidate_stores.min_store_similarity
),

candidate_receipts as (
    select
        receipts.receipt_id,
        receipts.store_name,
        receipts.city,
        receipts.payment_method,
        receipts.card_last4,
        receipts.categories,
        receipts.item_count,
        receipts.total,
        receipts.customer_id,
        receipts.transaction_date,
        receipts.transaction_local_at,
        store_evidence.store_score,
        store_evidence.store_evidence,
        abs(date_diff('day', criteria.around_date, receipts.transaction_date)) as days_off,
        abs(receipts.total - criteria.around_amount) as amount_off,
        criteria.date_window_days,
        criteria.amount_window
    from receipts
    inner join store_evidence
        on receipts.store_id = store_evidence.store_id
    cross join criteria
),

receipt_product_hits as (
    select
        receipt_items.receipt_id,
        count(distinct word_products.product_word) as matched_words,
        list_sort(list_distinct(list(receipt_items.product_name))) as matched_products
    from receipt_items
    inner join word_products
        on receipt_items.product_id = word_products.product_id
    where receipt_items.receipt_id in (select candidate_receipts.receipt_id from candidate_receipts)
    group by receipt_items.receipt_id
),

scored as (
    select
        candidate_receipts.*,
        receipt_product_hits.matched_products,
        case
            when product_criteria.criteria_count > 0
                then
                    coalesce(receipt_product_hits.matched_words, 0)
                    / product_criteria.criteria_count
        end as product_score,
        -- Closeness of the date and of the total: a Gaussian kernel whose tolerance (days,
        -- amount_window) is two standard deviations, so a day or a few dollars off costs
        -- little and the window's edge much. A total right to the cent scores 1, any other at
        -- most lookup_inexact_amount_share.
        case
            when candidate_receipts.days_off is not null
                then exp(-0.5 * power(
                    candidate_receipts.days_off
                    / greatest(candidate_receipts.date_window_days / 2.0, 0.5), 2
                ))
        end as date_score,
        case
            when candidate_receipts.amount_off < 0.005 then 1.0
            when candidate_receipts.amount_off is not null
                then {{ var('lookup_inexact_amount_share') }} * exp(-0.5 * power(
                    candidate_receipts.amount_off
                    / greatest(candidate_receipts.amount_window / 2.0, 0.005), 2
                ))
        end as amount_score
    from candidate_receipts
    cross join product_criteria
    left outer join receipt_product_hits
        on candidate_receipts.receipt_id = receipt_product_hits.receipt_id
    where product_criteria.criteria_count = 0 or receipt_product_hits.matched_words > 0
),

weighted as (
    select
        *,
        -- Weighted geometric mean: the evidence of each criterion multiplies (a receipt far
        -- off on one criterion cannot make up for it on another), floored at 1e-6;
        -- a criterion not given counts 0 with weight 0.
        {{ var('lookup_store_weight') }} * case
            when store_evidence is not null then ln(greatest(store_evidence, 1e-6)) else 0
        end
        + {{ var('lookup_date_weight') }} * case
            when date_score is not null then ln(greatest(date_score, 1e-6)) else 0
        end
        + {{ var('lookup_amount_weight') }} * case
            when amount_score is not null then ln(greatest(amount_score, 1e-6)) else 0
        end
        + {{ var('lookup_product_weight') }} * case
            when product_score is not null then ln(greatest(product_score, 1e-6)) else 0
        end as weighted_log_score_sum,
        {{ var('lookup_store_weight') }} * case when store_score is not null then 1 else 0 end
        + {{ var('lookup_date_weight') }} * case when date_score is not null then 1 else 0 end
        + {{ var('lookup_amount_weight') }}
        * case when amount_score is not null then 1 else 0 end
        + {{ var('lookup_product_weight') }}
        * case when product_score is not null then 1 else 0 end as weight_sum
    from scored
),

ranked as (
    select
        *,
        coalesce(exp(weighted_log_score_sum / nullif(weight_sum, 0)), 1.0) as lookup_score,
        count(*) over () as candidate_count
    from weighted
),

final as (
    select
        row_number() over (
            order by
                lookup_score desc,
                days_off asc nulls last,
                amount_off asc nulls last,
                receipt_id asc
        ) as lookup_rank,
        receipt_id,
        store_name,
        city,
        transaction_local_at,
        total,
        payment_method,
        card_last4,
        item_count,
        categories,
        matched_products,
        customer_id,
        round(lookup_score, 4) as lookup_score,
        round(store_score, 4) as store_score,
        round(date_score, 4) as date_score,
        round(amount_score, 4) as amount_score,
        round(product_score, 4) as product_score,
        candidate_count
    from ranked
)

select * from final
where lookup_rank <= max_results
order by lookup_rank
