{#-
    The chat dead-letter table: select_quarantined_rows' columns, where raw_record is the line
    exactly as read (not re-serialised, so broken JSON is kept as it was), plus the file.
-#}
with

chats as (
    select * from {{ ref('base_chat__chats') }}
),

final as (
    select
        {{ source_row_id('chats') }} as quarantined_row_id,
        'chats' as source_table,
        record_key,
        reject_reason,
        raw_record,
        source_load,
        source_row_number,
        source_file
    from chats
    where reject_reason is not null
)

select * from final
