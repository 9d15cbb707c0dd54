{#-
    The identity core: one row per customer identity with its golden record and every source
    id it unifies; dim_customer_identities publishes it and the customer-360 models can read
    it. The golden value of a field is the most frequent among the identity's records, then
    the most recent, then the smallest (a deterministic last tie-break); it is chosen on the
    hash or the masked value, so no raw personal data is read here.
-#}
with

records_resolved as (
    select * from {{ ref('int_customer_records_resolved') }}
),

support_customers as (
    select * from {{ ref('stg_support__customers') }}
),

support_companies as (
    select * from {{ ref('stg_support__companies') }}
),

incoming_customers as (
    select * from {{ ref('stg_crm__incoming_customers') }}
),

members as (
    select
        records_resolved.customer_identity_id,
        records_resolved.source_system,
        records_resolved.source_record_id,
        records_resolved.customer_id,
        records_resolved.resolution,
        records_resolved.match_score,
        records_resolved.recorded_at,
        support_customers.company_id,
        coalesce(
            support_customers.customer_name_masked, incoming_customers.contact_name_masked
        ) as name_masked,
        coalesce(support_customers.email_hash, incoming_customers.email_hash) as email_hash,
        coalesce(support_customers.email_masked, incoming_customers.email_masked) as email_masked,
        coalesce(support_customers.phone_hash, incoming_customers.phone_hash) as phone_hash,
        coalesce(support_customers.phone_masked, incoming_customers.phone_masked) as phone_masked,
        coalesce(support_companies.company_name, incoming_customers.company_name) as company_name,
        coalesce(
            {{ normalize_company_name('support_companies.company_name') }},
            incoming_customers.company_name_normalized
        ) as company_name_key,
        case
            when
                incoming_customers.city is not null
                or incoming_customers.state is not null
                or incoming_customers.country is not null
                then {{ dbt.concat([
                    "coalesce(incoming_customers.city, '')", "'|'",
                    "coalesce(incoming_customers.state, '')", "'|'",
                    "coalesce(incoming_customers.country, '')",
                ]) }}
        end as location_key
    from records_resolved
    left outer join support_customers
        on
            records_resolved.source_system = 'support'
            and records_resolved.source_record_id = support_customers.customer_id
    left outer join support_companies
        on support_customers.company_id = support_companies.company_id
    left outer join incoming_customers
        on
            records_resolved.source_system = 'crm'
            and records_resolved.source_record_id = incoming_customers.incoming_id
),

member_values as (
    select
        customer_identity_id,
        'name' as field_name,
        name_masked as value_key,
        name_masked as display_value,
        recorded_at
    from members
    union all
    select
        customer_identity_id,
        'email' as field_name,
        email_hash as value_key,
        email_masked as display_value,
        recorded_at
    from members
    union all
    select
        customer_identity_id,
        'phone' as field_name,
        phone_hash as value_key,
        phone_masked as display_value,
        recorded_at
    from members
    union all
    select
        customer_identity_id,
        'company' as field_name,
        company_name_key as value_key,
        company_name as display_value,
        recorded_at
    from members
    union all
    select
        customer_identity_id,
        'location' as field_name,
        location_key as value_key,
        location_key as display_value,
        recorded_at
    from members
),

value_frequencies as (
    select
        customer_identity_id,
        field_name,
        value_key,
        count(*) as record_count,
        max(recorded_at) as last_recorded_at
    from member_values
    where value_key is not null
    group by customer_identity_id, field_name, value_key
),

value_frequencies_ranked as (
    select
        customer_identity_id,
        field_name,
        value_key,
        row_number() over (
            partition by customer_identity_id, field_name
            order by record_count desc, last_recorded_at desc, value_key asc
        ) as value_rank
    from value_frequencies
),

-- The value to show for a chosen key comes from the most recent record that has the key.
golden_values_ranked as (
    select
        value_frequencies_ranked.customer_identity_id,
        value_frequencies_ranked.field_name,
        value_frequencies_ranked.value_key,
        member_values.display_value,
        row_number() over (
            partition by
                value_frequencies_ranked.customer_identity_id,
                value_frequencies_ranked.field_name
            order by member_values.recorded_at desc, member_values.display_value asc
        ) as display_rank
    from value_frequencies_ranked
    inner join member_values
        on
            value_frequencies_ranked.customer_identity_id = member_values.customer_identity_id
            and value_frequencies_ranked.field_name = member_values.field_name
            and value_frequencies_ranked.value_key = member_values.value_key
    where value_frequencies_ranked.value_rank = 1
),

golden_records as (
    select
        customer_identity_id,
        max(case when field_name = 'name' then display_value end) as display_name_masked,
        max(case when field_name = 'email' then value_key end) as email_hash,
        max(case when field_name = 'email' then display_value end) as email_masked,
        max(case when field_name = 'phone' then value_key end) as phone_hash,
        max(case when field_name = 'phone' then display_value end) as phone_masked,
        max(case when field_name = 'company' then display_value end) as company_name,
        max(case when field_name = 'location' then display_value end) as location_key
    from golden_values_ranked
    where display_rank = 1
    group by customer_identity_id
),

identities as (
    select
        customer_identity_id,
        max(customer_id) as customer_id,
        max(company_id) as company_id,
        {{ sorted_distinct_list(
            "case when source_system = 'support' then source_record_id end"
        ) }} as support_customer_ids,
        {{ sorted_distinct_list(
            "case when source_system = 'crm' then source_record_id end"
        ) }} as incoming_ids,
        {{ sorted_distinct_list('email_hash') }} as email_hashes,
        {{ sorted_distinct_list('phone_hash') }} as phone_hashes,
        count(*) as source_record_count,
        sum(case when resolution = 'linked' then 1 else 0 end) as linked_incoming_count,
        min(match_score) as min_link_score,
        min(recorded_at) as first_recorded_at,
        max(recorded_at) as last_recorded_at
    from members
    group by customer_identity_id
),

final as (
    select
        identities.customer_identity_id,
        identities.customer_id,
        identities.company_id,
        golden_records.display_name_masked,
        golden_records.email_hash,
        golden_records.email_masked,
        golden_records.phone_hash,
        golden_records.phone_masked,
        golden_records.company_name,
        nullif({{ dbt.split_part('golden_records.location_key', "'|'", 1) }}, '') as city,
        nullif({{ dbt.split_part('golden_records.location_key', "'|'", 2) }}, '') as state,
        nullif({{ dbt.split_part('golden_records.location_key', "'|'", 3) }}, '') as country,
        identities.support_customer_ids,
        identities.incoming_ids,
        identities.email_hashes,
        identities.phone_hashes,
        cast(identities.source_record_count as integer) as source_record_count,
        cast(identities.linked_incoming_count as integer) as linked_incoming_count,
        identities.min_link_score,
        identities.customer_id is null as is_new_customer,
        identities.first_recorded_at,
        identities.last_recorded_at
    from identities
    left outer join golden_records
        on identities.customer_identity_id = golden_records.customer_identity_id
)

select * from final
