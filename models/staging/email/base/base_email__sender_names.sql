{#-
    Ephemeral, raw: for each valid email whose sender address belongs to a customer in the
    customer file, one regular expression of the customer's name words; stg_email__emails
    replaces them with [NAME] in the subject and the body.
-#}
with

emails as (
    select
        email_id,
        lower(from_address) as from_address
    from {{ ref('base_email__emails') }}
    where reject_reason is null
),

customers as (
    select
        lower(email) as email,
        customer_name
    from {{ ref('base_support__customers') }}
    where reject_reason is null
),

sender_names as (
    select
        emails.email_id,
        customers.customer_name
    from emails
    inner join customers
        on emails.from_address = customers.email
),

name_words as (
    select
        email_id,
        unnest(regexp_extract_all(
            customer_name, {{ sql_string_literal(name_word_regex()) }}
        )) as name_word
    from sender_names
),

final as (
    select
        email_id,
        {{ sender_name_pattern('name_word') }} as sender_name_pattern
    from name_words
    where
        lower(name_word) not in (
            {%- for title in name_titles() %}
                '{{ title }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
    group by email_id
)

select * from final
