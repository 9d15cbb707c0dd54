{#- Ephemeral: types the raw tickets and decides each row's reject_reason (null = valid). -#}
with

tickets as (
    select * from {{ source('support', 'tickets') }}
    where not {{ is_erased('support.tickets') }}
),

valid_companies as (
    select
        company_id,
        contract_start_date
    from {{ ref('base_support__companies') }}
    where reject_reason is null
),

valid_customers as (
    select customer_id from {{ ref('base_support__customers') }}
    where reject_reason is null
),

valid_agents as (
    select agent_id from {{ ref('base_support__agents') }}
    where reject_reason is null
),

typed as (
    select
        {{ source_load('tickets') }} as source_load,
        tickets.file_row_number as source_row_number,
        {{ row_to_json('tickets') }} as raw_record,
        nullif(trim(tickets.ticket_id), '') as ticket_id,
        nullif(trim(tickets.company_id), '') as company_id,
        nullif(trim(tickets.customer_id), '') as customer_id,
        nullif(trim(tickets.agent_id), '') as agent_id,
        nullif(upper(trim(tickets.status)), '') as status,
        nullif(upper(trim(tickets.priority)), '') as priority,
        nullif(upper(trim(tickets.category)), '') as category,
        nullif(upper(trim(tickets.subcategory)), '') as subcategory,
        nullif(upper(trim(tickets.channel)), '') as channel,
        nullif(trim(tickets.subject), '') as subject,
        nullif(trim(tickets.description), '') as description,
        nullif(trim(tickets.tags), '') as tags,
        try_cast(tickets.csat_score as integer) as csat_score,
        try_cast(tickets.nps_score as integer) as nps_score,
        try_cast(tickets.resolution_time_hours as double) as source_resolution_hours,
        try_cast(tickets.first_response_time_minutes as double)
            as source_first_response_minutes,
        try_cast(tickets.sla_breached as boolean) as is_source_sla_breached,
        try_cast(tickets.created_at as timestamp) as created_at,
        try_cast(tickets.updated_at as timestamp) as updated_at
    from tickets
),

checked as (
    select
        typed.*,
        {{ first_reject_reason([
            ('missing_required', "typed.ticket_id is null or typed.company_id is null
                or typed.customer_id is null or typed.status is null or typed.priority is null
                or typed.category is null or typed.channel is null or typed.created_at is null"),
            ('unknown_enum', "typed.status not in ('OPEN', 'IN_PROGRESS', 'PENDING_CUSTOMER',
                    'RESOLVED', 'CLOSED', 'CANCELLED')
                or typed.priority not in ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')
                or typed.category not in ('TECHNICAL', 'FINANCIAL', 'COMMERCIAL', 'COMPLAINT',
                    'INFORMATION')
                or typed.channel not in ('EMAIL', 'PHONE', 'CHAT', 'WHATSAPP', 'PORTAL')"),
            ('future_timestamp', "typed.created_at > " ~ extracted_at()
                ~ " or typed.updated_at > " ~ extracted_at()),
            ('timestamp_before_parent',
                "typed.created_at < cast(valid_companies.contract_start_date as timestamp)"),
            ('orphan_fk', "valid_companies.company_id is null
                or valid_customers.customer_id is null
                or (typed.agent_id is not null and valid_agents.agent_id is null)"),
        ]) }} as row_reject_reason
    from typed
    left outer join valid_companies
        on typed.company_id = valid_companies.company_id
    left outer join valid_customers
        on typed.customer_id = valid_customers.customer_id
    left outer join valid_agents
        on typed.agent_id = valid_agents.agent_id
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['ticket_id']) }} as reject_reason
    from checked
)

select * from final
