{#- Ephemeral: types the raw customers and decides each row's reject_reason (null = valid). -#}
with

customers as (
    select * from {{ source('support', 'customers') }}
    where not {{ is_erased('support.customers') }}
),

valid_companies as (
    select company_id from {{ ref('base_support__companies') }}
    where reject_reason is null
),

typed as (
    select
        {{ source_load('customers') }} as source_load,
        customers.file_row_number as source_row_number,
        {{ row_to_json('customers') }} as raw_record,
        nullif(trim(customers.customer_id), '') as customer_id,
        nullif(trim(customers.company_id), '') as company_id,
        nullif(trim(customers.customer_name), '') as customer_name,
        nullif(trim(customers.email), '') as email,
        nullif(trim(customers.phone), '') as phone,
        nullif(trim(customers.cpf), '') as cpf,
        nullif(upper(trim(customers.role)), '') as role,  -- noqa: RF04
        try_cast(customers.birth_date as date) as birth_date,
        {#- Optional columns (an export may lack them): null when absent. -#}
        nullif(
            trim({{ optional_source_column('support', 'customers', 'first_name', text_type()) }}),
            ''
        ) as first_name,
        nullif(
            trim({{ optional_source_column('support', 'customers', 'last_name', text_type()) }}),
            ''
        ) as last_name,
        nullif(
            trim({{ optional_source_column(
                'support', 'customers', 'address_line1', text_type()
            ) }}),
            ''
        ) as address_line1,
        nullif(
            trim({{ optional_source_column('support', 'customers', 'city', text_type()) }}),
            ''
        ) as city,
        nullif(
            trim({{ optional_source_column('support', 'customers', 'postal_code', text_type()) }}),
            ''
        ) as postal_code,
        try_cast(customers.created_at as timestamp) as created_at
    from customers
),

checked as (
    select
        typed.*,
        {{ first_reject_reason([
            ('missing_required', "typed.customer_id is null or typed.company_id is null
                or typed.customer_name is null or typed.email is null
                or typed.created_at is null"),
            ('unknown_enum', "typed.role not in ('OWNER', 'MANAGER', 'FINANCE', 'OPERATOR', 'IT')"),
            ('invalid_email', "not " ~ is_valid_email('typed.email')),
            ('future_timestamp', "typed.created_at > " ~ extracted_at()),
            ('orphan_fk', "valid_companies.company_id is null"),
        ]) }} as row_reject_reason
    from typed
    left outer join valid_companies
        on typed.company_id = valid_companies.company_id
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['customer_id']) }} as reject_reason
    from checked
)

select * from final
