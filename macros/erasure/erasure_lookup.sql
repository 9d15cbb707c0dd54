{#- The erasure lookup as SQL text (the models base_landing__erasure_requests and
    base_landing__erasure_subjects are these queries): the incremental models' erasure hooks
    inline it, because a hook cannot read an ephemeral model and the lookup is never stored. -#}
{% macro erasure_requests_sql() -%}
with

erasure_requests as (
    {% if cx_warehouse.erasure_requests_file_exists() -%}
        select * from {{ source('landing', 'erasure_requests') }}
    {%- else -%}
        select
            cast(null as {{ cx_warehouse.text_type() }}) as request_id,
            cast(null as {{ cx_warehouse.text_type() }}) as customer_id,
            cast(null as {{ cx_warehouse.text_type() }}) as email,
            cast(null as {{ cx_warehouse.text_type() }}) as requested_at,
            cast(null as {{ cx_warehouse.text_type() }}) as filename,
            cast(null as bigint) as ordinality  -- noqa: RF04
        where false
    {%- endif %}
),

numbered as (
    select
        *,
        {{ cx_warehouse.source_load('erasure_requests') }} as source_load,
        {{ cx_warehouse.file_row_number_from_ordinality('erasure_requests') }} + 1
            as file_row_ordinal
    from erasure_requests
),

typed as (
    select
        erasure_requests.source_load,
        cast(erasure_requests.file_row_ordinal as bigint) as source_row_number,
        -- A request without an id is still honoured; its id is its row in the file.
        coalesce(
            {{ cx_warehouse.nullif_blank('erasure_requests.request_id') }},
            'row:' || cast(erasure_requests.file_row_ordinal as {{ cx_warehouse.text_type() }})
        ) as request_id,
        {{ cx_warehouse.erasure_key('customer_id', 'erasure_requests.customer_id') }} as customer_id,
        {{ cx_warehouse.erasure_key('email', 'erasure_requests.email') }} as email,
        {{ cx_warehouse.nullif_blank('erasure_requests.email') }} as email_as_received,
        {{ cx_warehouse.parse_utc_timestamp('erasure_requests.requested_at') }} as requested_at
    from numbered as erasure_requests
),

-- The file is cumulative: every daily load carries the requests so far. One row per request,
-- from the newest load that has it.
ranked as (
    select
        *,
        row_number() over (
            partition by request_id order by source_load desc, source_row_number
        ) as load_rank
    from typed
),

final as (
    select
        source_row_number,
        request_id,
        customer_id,
        email,
        email_as_received,
        requested_at
    from ranked
    where load_rank = 1
)

select * from final
{%- endmacro %}


{% macro erasure_subjects_sql() -%}
with

erasure_requests as (
    {{ cx_warehouse.erasure_requests_sql() | indent(4) }}
),

customers as (
    select
        {{ cx_warehouse.erasure_key('customer_id', 'customer_id') }} as customer_id,
        {{ cx_warehouse.erasure_key('email', 'email') }} as email,
        {{ cx_warehouse.erasure_key('phone', 'phone') }} as phone,
        {{ cx_warehouse.erasure_key('cpf', 'cpf') }} as cpf
    from {{ source('support', 'customers') }}
),

tickets as (
    select
        {{ cx_warehouse.erasure_key('ticket_id', 'ticket_id') }} as ticket_id,
        {{ cx_warehouse.erasure_key('customer_id', 'customer_id') }} as customer_id
    from {{ source('support', 'tickets') }}
),

receipts as (
    select
        {{ cx_warehouse.erasure_key('customer_id', 'customer_id') }} as customer_id,
        {{ cx_warehouse.erasure_key('card', 'card_number') }} as card
    from {{ source('retail', 'receipts') }}
),

named_customers as (
    select
        erasure_requests.request_id,
        customers.customer_id,
        customers.email,
        customers.phone,
        customers.cpf
    from erasure_requests
    inner join customers
        on
            erasure_requests.customer_id = customers.customer_id
            or erasure_requests.email = customers.email
),

customer_ids as (
    select
        request_id,
        customer_id
    from erasure_requests
    union
    select
        request_id,
        customer_id
    from named_customers
),

keys as (
    select
        request_id,
        'customer_id' as key_type,
        customer_id as key_value
    from customer_ids
    union all
    select
        request_id,
        'email' as key_type,
        email as key_value
    from erasure_requests
    union all
    select
        request_id,
        'email' as key_type,
        email as key_value
    from named_customers
    union all
    select
        request_id,
        'phone' as key_type,
        phone as key_value
    from named_customers
    union all
    select
        request_id,
        'cpf' as key_type,
        cpf as key_value
    from named_customers
    union all
    select
        customer_ids.request_id,
        'ticket_id' as key_type,
        tickets.ticket_id as key_value
    from customer_ids
    inner join tickets
        on customer_ids.customer_id = tickets.customer_id
    union all
    select
        customer_ids.request_id,
        'card' as key_type,
        receipts.card as key_value
    from customer_ids
    inner join receipts
        on customer_ids.customer_id = receipts.customer_id
),

final as (
    select distinct
        request_id,
        key_type,
        key_value
    from keys
    where key_value is not null
)

select * from final
{%- endmacro %}
