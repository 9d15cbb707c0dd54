{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    post_hook="{{ erase_stored_rows('chat.chats', column_map={'raw_line': 'raw_record'}) }}",
) }}
{#-
    Restricted, incremental (append by load): one row per line of the chats.jsonl files of the
    loads not read yet; a conversation id already valid in an earlier load makes a later copy
    duplicate_id. The raw line is kept (rejected rows show it in quarantine; a later erasure
    request finds a person's conversations by it, post-hook). Parses the line, normalises schema v1 (flat) and
    v2 (nested, epoch-millisecond times) into one shape and decides the line's reject_reason
    (null = valid). The message list stays JSON here; base_chat__messages unnests it.
-#}
with

chats_read as (
    select
        *,
        {{ source_load('chats_read') }} as source_load,
        -- Numbered before the erasure filter, so a row keeps its number when a request
        -- later removes an earlier row of its file.
        {{ file_row_number_from_ordinality('chats_read') }} as source_row_number
    from {{ source('chat', 'chats') }} as chats_read
    where {{ new_loads_only(source_load('chats_read')) }}
),

chats as (
    select * from chats_read
    where not {{ is_erased('chat.chats') }}
),

parsed as (
    select
        chats.source_load,
        chats.source_row_number,
        chats.filename as source_file,
        chats.raw_line as raw_record,
        {{ json_parse('chats.raw_line') }} as chat_json
    from chats
),

versioned as (
    select
        *,
        -- The record's own version, only when it is an integer 1 or 2 and the object has that
        -- version's id key (v1 conversation_id, v2 id); anything else is an unknown shape.
        case
            when
                {{ json_kind_is('chat_json', 'object') }}
                and {{ json_kind_is('chat_json', 'integer', '$.schema_version') }}
                then case
                    when
                        {{ json_extract_path('chat_json', '$.schema_version') }} = '1'
                        and {{ json_has_path('chat_json', '$.conversation_id') }}
                        then 1
                    when
                        {{ json_extract_path('chat_json', '$.schema_version') }} = '2'
                        and {{ json_has_path('chat_json', '$.id') }}
                        then 2
                end
        end as schema_version,
        -- The id, whatever the version (trimmed, null when blank): the quarantine's record_key.
        nullif(trim(coalesce(
            {{ json_extract_path('chat_json', '$.conversation_id') }},
            {{ json_extract_path('chat_json', '$.id') }}
        )), '') as record_key
    from parsed
),

{#- Where each field lives in each schema version: a new version is a new key here. -#}
{%- set conversation_paths = {
    'conversation_id_text': {1: '$.conversation_id', 2: '$.id'},
    'customer_id_text': {1: '$.customer_id', 2: '$.customer.id'},
    'customer_email_text': {1: '$.customer_email', 2: '$.customer.email'},
    'channel_text': {1: '$.channel', 2: '$.meta.channel'},
    'locale_text': {2: '$.customer.locale'},
    'queue_text': {2: '$.meta.queue'},
    'csat_text': {2: '$.meta.csat'},
    'started_at_text': {1: '$.started_at', 2: '$.meta.start_ts'},
    'ended_at_text': {1: '$.ended_at', 2: '$.meta.end_ts'},
    'raw_sender_roles': {1: '$.messages[*].role', 2: '$.transcript[*].sender.role'},
} %}

normalised as (
    select
        source_load,
        source_row_number,
        source_file,
        raw_record,
        record_key,
        schema_version,
        {% for column_name, paths in conversation_paths.items() -%}
            {{ json_field_by_version('chat_json', 'schema_version', paths) }} as {{ column_name }},
        {% endfor -%}
        {{ json_field_by_version('chat_json', 'schema_version',
            {1: '$.messages', 2: '$.transcript'}, as_text=false) }} as messages_json
    from versioned
),

typed as (
    select
        source_load,
        source_row_number,
        source_file,
        raw_record,
        record_key,
        schema_version,
        messages_json,
        nullif(trim(conversation_id_text), '') as conversation_id,
        nullif(trim(customer_id_text), '') as customer_id,
        nullif(trim(customer_email_text), '') as customer_email,
        upper(trim(channel_text)) as channel,
        nullif(trim(locale_text), '') as customer_locale,
        nullif(trim(queue_text), '') as queue_name,
        try_cast(csat_text as integer) as csat_score,
        case
            when {{ json_kind_is('messages_json', 'array') }}
                then {{ json_array_size('messages_json') }}
        end as message_count,
        {{ count_in_list('raw_sender_roles', 'sender_role',
            "upper(trim(sender_role)) not in ('CUSTOMER', 'AGENT', 'BOT')") }}
            as unknown_sender_role_count,
        -- v1 writes ISO 8601 text, v2 epoch milliseconds (UTC).
        case schema_version
            when 1 then {{ parse_utc_timestamp('started_at_text') }}
            when 2 then {{ epoch_ms_to_timestamp('started_at_text') }}
        end as started_at,
        case schema_version
            when 1 then {{ parse_utc_timestamp('ended_at_text') }}
            when 2 then {{ epoch_ms_to_timestamp('ended_at_text') }}
        end as ended_at
    from normalised
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('broken_json', "raw_record is null or " ~ json_is_valid('raw_record') ~ " is not true"),
            ('unknown_schema', "schema_version is null"),
            ('missing_required', "conversation_id is null or channel is null or channel = ''
                or started_at is null or coalesce(message_count, 0) = 0"),
            ('unknown_enum', "channel not in ('WEB', 'APP', 'WHATSAPP')
                or unknown_sender_role_count > 0"),
            ('future_timestamp', "started_at > " ~ extracted_at()),
            ('oversized_text', is_oversized_text(text_lists=[
                json_extract_path('messages_json', '$[*].text'),
                json_extract_path('messages_json', '$[*].body'),
            ])),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['conversation_id'], existing=this) }} as reject_reason
    from checked
)

select * from final
