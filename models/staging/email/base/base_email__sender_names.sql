{#-
    Ephemeral, raw: for each sender address that belongs to a customer in the customer file,
    one regular expression of the customer's name words (several customers sharing an address
    give one pattern of all their words); base_email__emails replaces them with [NAME] in the
    subject and the body when it stores an email.
-#}
with

customers as (
    select
        lower(email) as sender_address,
        customer_name
    from {{ ref('base_support__customers') }}
    where reject_reason is null and email is not null
),

name_words as (
    select
        sender_address,
        {{ unnest_list(regex_extract_all(
            'customer_name', sql_string_literal(name_word_regex())
        )) }} as name_word
    from customers
),

final as (
    select
        sender_address,
        {{ sender_name_pattern('name_word') }} as sender_name_pattern,
        {{ distinct_list_agg('lower(name_word)') }} as sender_name_words
    from name_words
    where
        lower(name_word) not in (
            {%- for title in name_titles() %}
                '{{ title }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
    group by sender_address
)

select * from final
