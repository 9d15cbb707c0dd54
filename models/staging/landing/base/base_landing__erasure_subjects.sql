{#- Ephemeral: every key a request erases, one row per (request, key type, normalised value).
    A request names a customer id, an email or both; the raw customer rows it names (by id or
    email, valid or not) add their id, email, phone and CPF; their raw tickets add the ticket
    ids and their raw receipts the card numbers. Keys are matched by is_erased(). -#}
{{ config(materialized='ephemeral') }}
-- depends_on: {{ ref('base_landing__erasure_requests') }}
-- depends_on: {{ source('support', 'customers') }}
-- depends_on: {{ source('support', 'tickets') }}
-- depends_on: {{ source('retail', 'receipts') }}
{{ erasure_subjects_sql() }}
