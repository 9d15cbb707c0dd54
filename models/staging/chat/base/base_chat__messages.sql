{#-
    Ephemeral: one row per message of every valid conversation, unnested from the message list
    of base_chat__chats and normalised from schema v1 / v2. The text is still raw here;
    stg_chat__messages redacts it.
-#}
with

valid_chats as (
    select
        source_load,
        conversation_id,
        schema_version,
        messages_json
    from {{ ref('base_chat__chats') }}
    where reject_reason is null
),

unnested as (
    select
        valid_chats.source_load,
        valid_chats.conversation_id,
        valid_chats.schema_version,
        -- 0-based position in the conversation's list: stable across rebuilds.
        {{ json_array_elements('valid_chats.messages_json', 'message_json', 'message_index') }}
    from valid_chats
),

{#- Where each message field lives in each schema version. -#}
{%- set message_paths = {
    'sender_role_text': {1: '$.role', 2: '$.sender.role'},
    'sender_id_text': {1: '$.agent_id', 2: '$.sender.id'},
    'sent_at_text': {1: '$.sent_at', 2: '$.ts'},
    'message_text': {1: '$.text', 2: '$.body'},
} %}

normalised as (
    select
        source_load,
        conversation_id,
        message_index,
        {% for column_name, paths in message_paths.items() -%}
            {{ json_field_by_version('message_json', 'schema_version', paths) }}
                as {{ column_name }},
        {% endfor -%}
        schema_version
    from unnested
),

final as (
    select
        conversation_id || '-' || cast(message_index as {{ text_type() }}) as message_id,
        source_load,
        conversation_id,
        -- bigint on both engines (Spark's posexplode numbers with int).
        cast(message_index as bigint) as message_index,
        upper(trim(sender_role_text)) as sender_role,
        -- v1 has an agent_id field; v2's sender id is the agent only on agent messages.
        case
            when schema_version = 1 then nullif(trim(sender_id_text), '')
            when upper(trim(sender_role_text)) = 'AGENT' then nullif(trim(sender_id_text), '')
        end as agent_id,
        message_text,
        case schema_version
            when 1 then {{ parse_utc_timestamp('sent_at_text') }}
            when 2 then {{ epoch_ms_to_timestamp('sent_at_text') }}
        end as sent_at
    from normalised
)

select * from final
