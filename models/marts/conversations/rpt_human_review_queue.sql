{#-
    What needs a person: every chat conversation and email inside the curated retention window
    whose automatic labels are not trusted (needs_human_review of the contacts core
    int_contacts_unioned; the rule: macros/conversations/human_review.sql), oldest first
    (queue_position 1 = waited longest). A view, so it always reflects the core it reads; a
    table on Spark, whose serving export reads the tables' Parquet files (a view has none).
-#}
{{ config(materialized=('table' if target.type == 'spark' else 'view')) }}
with

contacts as (
    select * from {{ ref('int_contacts_unioned') }}
    where
        contact_type in ('chat', 'email')
        and needs_human_review
        and {{ is_retained('contact_at', 'curated') }}
),

as_of as (
    select {{ as_of_at() }} as as_of_at
),

aged as (
    select
        contacts.*,
        {{ dbt.datediff('contacts.contact_at', 'as_of.as_of_at', 'minute') }}
            as waiting_minutes
    from contacts
    cross join as_of
),

final as (
    select
        contact_id as review_item_id,
        contact_type as source_type,
        source_id,
        customer_id,
        channel,
        intent,
        sentiment_label,
        suggested_queue,
        -- Why the item is here: one or more reasons, comma-separated.
        human_review_reasons as review_reasons,
        -- bigint on both engines (Spark's row_number is an int)
        cast(row_number() over (order by contact_at, contact_type, source_id) as bigint)
            as queue_position,
        intent_confidence,
        sentiment_confidence,
        round(cast(waiting_minutes as double) / 60, 1) as waiting_hours,
        contact_at as queued_at
    from aged
)

select * from final
order by queue_position
