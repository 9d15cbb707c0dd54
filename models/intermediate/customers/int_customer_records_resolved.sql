{#-
    One row per person record (every valid support customer and incoming CRM record) with the
    customer identity it belongs to. A support customer anchors its own identity; an incoming
    record joins the identity of the customer it is linked to (int_customer_matches_ranked,
    best candidate at tier high or above), otherwise it anchors a new identity of its own.
-#}
{{ config(materialized='table') }}
with

support_customers as (
    select * from {{ ref('stg_support__customers') }}
),

incoming_customers as (
    select * from {{ ref('stg_crm__incoming_customers') }}
),

customer_matches as (
    select * from {{ ref('int_customer_matches_ranked') }}
    where is_linked
),

support_records as (
    select
        'support' as source_system,
        customer_id as source_record_id,
        customer_id,
        'existing_customer' as resolution,
        cast(null as double) as match_score,
        created_at as recorded_at
    from support_customers
),

incoming_records as (
    select
        'crm' as source_system,
        incoming_customers.incoming_id as source_record_id,
        customer_matches.customer_id,
        case
            when customer_matches.customer_id is not null then 'linked'
            else 'new_identity'
        end as resolution,
        customer_matches.match_score,
        incoming_customers.received_at as recorded_at
    from incoming_customers
    left outer join customer_matches
        on incoming_customers.incoming_id = customer_matches.incoming_id
),

records as (
    select * from support_records
    union all
    select * from incoming_records
),

final as (
    select
        {{ surrogate_key(['source_system', 'source_record_id']) }} as customer_record_id,
        case
            when customer_id is not null
                then {{ surrogate_key(["'support'", 'customer_id']) }}
            else {{ surrogate_key(['source_system', 'source_record_id']) }}
        end as customer_identity_id,
        source_system,
        source_record_id,
        customer_id,
        resolution,
        match_score,
        recorded_at
    from records
)

select * from final
