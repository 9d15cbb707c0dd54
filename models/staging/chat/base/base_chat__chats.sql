{#-
    Ephemeral: one row per line of chats.jsonl. Parses the line, normalises schema v1 (flat) and
    v2 (nested, epoch-millisecond times) into one shape and decides the line's reject_reason
    (null = valid). The message list stays JSON here; base_chat__messages unnests it.
-#}
with

chats as (
    select * from {{ source('chat', 'chats') }}
),

parsed as (
    select
        chats.ordinality - 1 as source_row_number,
        chats.filename as source_file,
        chats.raw_line as raw_record,
        try_cast(chats.raw_line as json) as chat_json
    from chats
),

versioned as (
    select
        *,
        -- The record's own version, only when it is an integer 1 or 2 and the object has that
        -- version's id key (v1 conversation_id, v2 id); anything else is an unknown shape.
        case
            when
                json_type(chat_json) = 'OBJECT'
                and json_type(chat_json, '$.schema_version') in ('UBIGINT', 'BIGINT')
                then case
                    when
                        json_extract_string(chat_json, '$.schema_version') = '1'
                        and json_exists(chat_json, '$.conversation_id')
                        then 1
                    when
                        json_extract_string(chat_json, '$.schema_version') = '2'
                        and json_exists(chat_json, '$.id')
                        then 2
                end
        end as schema_version,
        -- The id, whatever the version (trimmed, null when blank): the quarantine's record_key.
        nullif(trim(coalesce(
            json_extract_string(chat_json, '$.conversation_id'),
            json_extract_string(chat_json, '$.id')
        )), '') as record_key
    from parsed
),

normalised as (
    select
        source_row_number,
        source_file,
        raw_record,
        record_key,
        schema_version,
        case schema_version
            when 1 then json_extract_string(chat_json, '$.conversation_id')
            when 2 then json_extract_string(chat_json, '$.id')
        end as conversation_id_text,
        case schema_version
            when 1 then json_extract_string(chat_json, '$.customer_id')
            when 2 then json_extract_string(chat_json, '$.customer.id')
        end as customer_id_text,
        case schema_version
            when 1 then json_extract_string(chat_json, '$.customer_email')
            when 2 then json_extract_string(chat_json, '$.customer.email')
        end as customer_email_text,
        case schema_version
            when 1 then json_extract_string(chat_json, '$.channel')
            when 2 then json_extract_string(chat_json, '$.meta.channel')
        end as channel_text,
        case schema_version
            when 2 then json_extract_string(chat_json, '$.customer.locale')
        end as locale_text,
        case schema_version
            when 2 then json_extract_string(chat_json, '$.meta.queue')
        end as queue_text,
        case schema_version
            when 2 then json_extract_string(chat_json, '$.meta.csat')
        end as csat_text,
        case schema_version
            when 1 then json_extract_string(chat_json, '$.started_at')
            when 2 then json_extract_string(chat_json, '$.meta.start_ts')
        end as started_at_text,
        case schema_version
            when 1 then json_extract_string(chat_json, '$.ended_at')
            when 2 then json_extract_string(chat_json, '$.meta.end_ts')
        end as ended_at_text,
        case schema_version
            when 1 then json_extract(chat_json, '$.messages')
            when 2 then json_extract(chat_json, '$.transcript')
        end as messages_json,
        case schema_version
            when 1 then json_extract_string(chat_json, '$.messages[*].role')
            when 2 then json_extract_string(chat_json, '$.transcript[*].sender.role')
        end as raw_sender_roles
    from versioned
),

typed as (
    select
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
            when json_type(messages_json) = 'ARRAY' then json_array_length(messages_json)
        end as message_count,
        (
            select count(*)
            from unnest(raw_sender_roles) as message_roles (sender_role)
            where upper(trim(message_roles.sender_role)) not in ('CUSTOMER', 'AGENT', 'BOT')
        ) as unknown_sender_role_count,
        -- v1 writes ISO 8601 text, v2 epoch milliseconds (UTC).
        case schema_version
            when 1 then {{ parse_utc_timestamp('started_at_text') }}
            when 2 then try(epoch_ms(try_cast(started_at_text as bigint)))
        end as started_at,
        case schema_version
            when 1 then {{ parse_utc_timestamp('ended_at_text') }}
            when 2 then try(epoch_ms(try_cast(ended_at_text as bigint)))
        end as ended_at
    from normalised
),

checked as (
    select
        *,
        {{ first_reject_reason([
            ('broken_json', "raw_record is null or json_valid(raw_record) is not true"),
            ('unknown_schema', "schema_version is null"),
            ('missing_required', "conversation_id is null or channel is null or channel = ''
                or started_at is null or coalesce(message_count, 0) = 0"),
            ('unknown_enum', "channel not in ('WEB', 'APP', 'WHATSAPP')
                or unknown_sender_role_count > 0"),
            ('future_timestamp', "started_at > " ~ extracted_at()),
        ]) }} as row_reject_reason
    from typed
),

final as (
    select
        *,
        {{ reject_reason_with_duplicates(['conversation_id']) }} as reject_reason
    from checked
)

select * from final
