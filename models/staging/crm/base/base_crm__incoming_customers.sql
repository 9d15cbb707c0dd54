{#- Ephemeral: types the raw incoming customer records and decides each row's reject_reason
    (null = valid). Invalid emails are not rejected here: incoming records are messy by nature
    and identity resolution copes (stg flags them with is_email_valid). -#}
with

incoming_customers as (
    select * from {{ source('crm', 'incoming_customers') }}
    where not {{ is_erased('crm.incoming_customers') }}
),

typed as (
    select
        {{ source_load('incoming_customers') }} as source_load,
        incoming_customers.file_row_number as source_row_number,
        {{ row_to_json('incoming_customers') }} as raw_record,
        nullif(trim(incoming_customers.incoming_id), '') as incoming_id,
        nullif(trim(incoming_customers.company_name), '') as company_name,
        nullif(trim(incoming_customers.contact_name), '') as contact_name,
        nullif(trim(incoming_customers.email), '') as email,
        nullif(trim(incoming_customers.phone), '') as phone,
        nullif(trim(incoming_customers.address_line1), '') as address_line1,
        nullif(trim(incoming_customers.city), '') as city,
        nullif(trim(incoming_customers.state), '') as state,
        nullif(trim(incoming_customers.postal_code), '') as postal_code,
        nullif(trim(incoming_customers.country), '') as country,
        nullif(trim(incoming_customers.industry), '') as industry,
        {#- Optional columns (an export may lack them): null when absent. -#}
        nullif(
            trim(
                {{ optional_source_column('crm', 'incoming_customers', 'first_name', text_type()) }}
            ),
            ''
        ) as first_name,
        nullif(
            trim(
                {{ optional_source_column('crm', 'incoming_customers', 'last_name', text_type()) }}
            ),
            ''
        ) as last_name,
        try_cast(
            {{ optional_source_column('crm', 'incoming_customers', 'birth_date', 'date') }} as date
        ) as birth_date,
        nullif(
            trim({{ optional_source_column('crm', 'incoming_customers', 'cpf', text_type()) }}),
            ''
        ) as cpf,
        try_cast(incoming_customers.received_at as timestamp) as received_at
    from incoming_customers
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('missing_required', "incoming_id is null or received_at is null
                or (email is null and phone is null and contact_name is null)"),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['incoming_id']) }} as reject_reason
    from checked
)

select * from final
