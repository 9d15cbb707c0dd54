{#-
    Ephemeral, raw: for each valid conversation whose customer the customer file knows (by
    customer id or by email), one regular expression of the customer's name words;
    stg_chat__messages replaces them with [NAME] in every message of the conversation.
-#}
with

chats as (
    select
        conversation_id,
        customer_id,
        lower(customer_email) as customer_email
    from {{ ref('base_chat__chats') }}
    where reject_reason is null
),

customers as (
    select
        customer_id,
        lower(email) as email,
        customer_name
    from {{ ref('base_support__customers') }}
    where reject_reason is null
),

sender_names as (
    select
        chats.conversation_id,
        customers.customer_name
    from chats
    inner join customers
        on
            chats.customer_id = customers.customer_id
            or chats.customer_email = customers.email
),

name_words as (
    select
        conversation_id,
        {{ unnest_list(regex_extract_all(
            'customer_name', sql_string_literal(name_word_regex())
        )) }} as name_word
    from sender_names
),

final as (
    select
        conversation_id,
        {{ sender_name_pattern('name_word') }} as sender_name_pattern,
        {{ distinct_list_agg('lower(name_word)') }} as sender_name_words
    from name_words
    where
        lower(name_word) not in (
            {%- for title in name_titles() %}
                '{{ title }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
    group by conversation_id
)

select * from final
