{#- Restricted, incremental (append by load): types the raw ticket interactions of the loads
    not read yet and decides each row's reject_reason (null = valid); a later erasure request
    deletes stored rows (post-hook). The raw record is kept for rejected rows only. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ erase_stored_rows('support.ticket_interactions') }}",
) }}
{%- set ticket_statuses = "('OPEN', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'RESOLVED', 'CLOSED',
    'CANCELLED')" -%}
{%- set ticket_priorities = "('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')" -%}
with

ticket_interactions as (
    select interactions_read.*
    from {{ source('support', 'ticket_interactions') }} as interactions_read
    where
        {{ new_loads_only(source_load('interactions_read')) }}
        and not {{ is_erased('support.ticket_interactions') }}
),

valid_tickets as (
    select
        ticket_id,
        created_at
    from {{ ref('base_support__tickets') }}
    where reject_reason is null
),

typed as (
    select
        {{ source_load('ticket_interactions') }} as source_load,
        ticket_interactions.file_row_number as source_row_number,
        {{ raw_row('ticket_interactions') }} as raw_record,
        nullif(trim(ticket_interactions.interaction_id), '') as interaction_id,
        nullif(trim(ticket_interactions.ticket_id), '') as ticket_id,
        nullif(trim(ticket_interactions.author_id), '') as author_id,
        nullif(trim(ticket_interactions.new_agent_id), '') as new_agent_id,
        nullif(upper(trim(ticket_interactions.author_type)), '') as author_type,
        nullif(upper(trim(ticket_interactions.interaction_type)), '') as interaction_type,
        nullif(upper(trim(ticket_interactions.new_status)), '') as new_status,
        nullif(upper(trim(ticket_interactions.new_priority)), '') as new_priority,
        nullif(trim(ticket_interactions.message), '') as message,
        try_cast(ticket_interactions.interaction_at as timestamp) as interaction_at
    from ticket_interactions
),

checked as (
    select
        typed.*,
        {{ first_reject_reason([
            ('missing_required', "typed.interaction_id is null or typed.ticket_id is null
                or typed.interaction_at is null or typed.author_type is null
                or typed.interaction_type is null"),
            ('unknown_enum', "typed.author_type not in ('CUSTOMER', 'AGENT', 'SYSTEM')
                or typed.interaction_type not in ('CREATED', 'REPLY', 'NOTE', 'STATUS_CHANGE',
                    'ASSIGNMENT', 'PRIORITY_CHANGE')
                or typed.new_status not in " ~ ticket_statuses ~ "
                or typed.new_priority not in " ~ ticket_priorities),
            ('future_timestamp', "typed.interaction_at > " ~ extracted_at()),
            ('timestamp_before_parent', "typed.interaction_at < valid_tickets.created_at"),
            ('orphan_fk', "valid_tickets.ticket_id is null"),
        ]) }} as row_reject_reason
    from typed
    left outer join valid_tickets
        on typed.ticket_id = valid_tickets.ticket_id
),

decided as (
    select
        *,
        {{ reject_reason_with_duplicates(['interaction_id'], existing=this) }} as reject_reason
    from checked
),

final as (
    select
        {{ star_replace('raw_record', 'case when reject_reason is not null then '
            ~ raw_row_json('raw_record') ~ ' end') }}
    from decided
)

select * from final
