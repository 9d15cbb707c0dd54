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

final as (
    {{ select_sender_name_patterns('customers', 'sender_address') }}
)

select * from final
