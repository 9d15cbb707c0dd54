{#-
    One row per scored candidate pair (incoming CRM record, existing customer) with its tier,
    its rank among the incoming record's candidates and whether it links the record to the
    customer: only the best candidate, and only at tier high or above (an incoming record
    describes one person, so it joins at most one identity), and when the incoming record
    reached the CRM. fct_customer_matches publishes it as is.
-#}
with

pairs_scored as (
    select * from {{ ref('matching_customer_pairs_scored') }}
),

incoming_customers as (
    select * from {{ ref('stg_crm__incoming_customers') }}
),

ranked as (
    select
        pairs_scored.*,
        incoming_customers.received_at,
        -- bigint on both engines (Spark's row_number is an int).
        cast(row_number() over (
            partition by pairs_scored.incoming_id
            order by
                pairs_scored.match_probability desc,
                pairs_scored.match_weight desc,
                pairs_scored.customer_id asc
        ) as bigint) as candidate_rank
    from pairs_scored
    inner join incoming_customers
        on pairs_scored.incoming_id = incoming_customers.incoming_id
),

final as (
    select
        {{ surrogate_key(['incoming_id', 'customer_id']) }} as customer_match_id,
        incoming_id,
        customer_id,
        {{ customer_match_tier('match_probability') }} as match_tier,
        blocking_rule,
        first_name_level,
        surname_level,
        email_level,
        phone_level,
        address_level,
        city_level,
        postal_code_level,
        birth_date_level,
        national_id_level,
        company_name_level,
        candidate_rank,
        match_probability as match_score,
        match_weight,
        first_name_similarity,
        surname_similarity,
        email_similarity,
        phone_similarity,
        address_similarity,
        city_similarity,
        postal_code_similarity,
        birth_date_similarity,
        national_id_similarity,
        company_name_similarity,
        first_name_match_weight,
        surname_match_weight,
        email_match_weight,
        phone_match_weight,
        address_match_weight,
        city_match_weight,
        postal_code_match_weight,
        birth_date_match_weight,
        national_id_match_weight,
        company_name_match_weight,
        candidate_rank = 1 as is_best_candidate,
        coalesce(
            candidate_rank = 1
            and match_probability >= {{ var('customer_match_tier_high') }},
            false
        ) as is_linked,
        received_at
    from ranked
)

select * from final
