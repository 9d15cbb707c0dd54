with

customer_matches as (
    select * from {{ ref('int_customer_matches_ranked') }}
),

incoming_customers as (
    select * from {{ ref('stg_crm__incoming_customers') }}
),

final as (
    select
        customer_matches.customer_match_id,
        customer_matches.incoming_id,
        customer_matches.customer_id,
        customer_matches.match_tier,
        customer_matches.blocking_rule,
        customer_matches.first_name_level,
        customer_matches.surname_level,
        customer_matches.email_level,
        customer_matches.phone_level,
        customer_matches.postal_code_level,
        customer_matches.company_name_level,
        customer_matches.candidate_rank,
        customer_matches.match_score,
        customer_matches.match_weight,
        customer_matches.first_name_similarity,
        customer_matches.surname_similarity,
        customer_matches.email_similarity,
        customer_matches.phone_similarity,
        customer_matches.postal_code_similarity,
        customer_matches.company_name_similarity,
        customer_matches.first_name_match_weight,
        customer_matches.surname_match_weight,
        customer_matches.email_match_weight,
        customer_matches.phone_match_weight,
        customer_matches.postal_code_match_weight,
        customer_matches.company_name_match_weight,
        customer_matches.is_best_candidate,
        customer_matches.is_linked,
        incoming_customers.received_at
    from customer_matches
    inner join incoming_customers
        on customer_matches.incoming_id = incoming_customers.incoming_id
)

select * from final
