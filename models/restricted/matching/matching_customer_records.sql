{#-
    Restricted: one row per person record that identity resolution compares (every valid
    support customer and every valid incoming CRM record) with its matching keys, derived from
    the raw contact details in the vault. The keys are personal data, so this table stays in
    the restricted schema; matching_customer_pairs_scored reads it and publishes only ids and
    scores.
-#}
with

vault_support_customers as (
    select * from {{ ref('vault_support__customers') }}
),

support_customers as (
    select * from {{ ref('stg_support__customers') }}
),

support_companies as (
    select * from {{ ref('stg_support__companies') }}
),

vault_incoming_customers as (
    select * from {{ ref('vault_crm__incoming_customers') }}
),

incoming_customers as (
    select * from {{ ref('stg_crm__incoming_customers') }}
),

support_records as (
    select
        'support' as source_system,
        vault_support_customers.customer_id as source_record_id,
        vault_support_customers.customer_name as person_name,
        vault_support_customers.first_name as given_name,
        vault_support_customers.last_name as family_name,
        vault_support_customers.email,
        vault_support_customers.phone,
        vault_support_customers.address_line1,
        vault_support_customers.city,
        vault_support_customers.postal_code,
        vault_support_customers.birth_date,
        vault_support_customers.cpf as national_id,
        support_companies.company_name
    from vault_support_customers
    inner join support_customers
        on vault_support_customers.customer_id = support_customers.customer_id
    left outer join support_companies
        on support_customers.company_id = support_companies.company_id
),

incoming_records as (
    select
        'crm' as source_system,
        vault_incoming_customers.incoming_id as source_record_id,
        vault_incoming_customers.contact_name as person_name,
        vault_incoming_customers.first_name as given_name,
        vault_incoming_customers.last_name as family_name,
        vault_incoming_customers.email,
        vault_incoming_customers.phone,
        vault_incoming_customers.address_line1,
        incoming_customers.city,
        incoming_customers.postal_code,
        vault_incoming_customers.birth_date,
        vault_incoming_customers.cpf as national_id,
        incoming_customers.company_name
    from vault_incoming_customers
    inner join incoming_customers
        on vault_incoming_customers.incoming_id = incoming_customers.incoming_id
),

records as (
    select * from support_records
    union all
    select * from incoming_records
),

normalized as (
    select
        source_system,
        source_record_id,
        {{ normalize_person_name('person_name') }} as person_name_key,
        {{ normalize_person_name('given_name') }} as given_name_key,
        {{ normalize_person_name('family_name') }} as family_name_key,
        {{ email_match_key('email') }} as email_key,
        {{ email_local_key('email') }} as email_local,
        nullif({{ dbt.split_part(normalize_email('email'), "'@'", 2) }}, '') as email_domain,
        {{ phone_match_key('phone') }} as phone_key,
        {{ address_match_key('address_line1') }} as address_key,
        {{ normalize_person_name('city') }} as city_key,
        {{ postal_code_key('postal_code') }} as postal_code_key,
        cast(birth_date as {{ dbt.type_string() }}) as birth_date,
        {{ national_id_key('national_id') }} as national_id_key,
        {{ fold_accents(normalize_company_name('company_name')) }} as company_name_key
    from records
),

-- Name parts given separately win over the parts split from the full name.
final as (
    select
        {{ surrogate_key(['source_system', 'source_record_id']) }} as matching_record_id,
        source_system,
        source_record_id,
        coalesce(
            {{ dbt.split_part('given_name_key', "' '", 1) }},
            nullif({{ dbt.split_part('person_name_key', "' '", 1) }}, '')
        ) as first_name,
        coalesce(
            nullif({{ regex_extract('family_name_key', '[^ ]+$') }}, ''),
            nullif({{ regex_extract('person_name_key', '[^ ]+$') }}, '')
        ) as surname,
        email_key,
        email_local,
        email_domain,
        phone_key,
        address_key,
        city_key,
        postal_code_key,
        birth_date,
        national_id_key,
        company_name_key
    from normalized
)

select * from final
