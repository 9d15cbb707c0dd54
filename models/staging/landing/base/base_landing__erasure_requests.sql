{#- Ephemeral: the erasure request log, typed. A missing file is no requests on dev and ci
    only (erasure_requests_file_exists). Read by the restricted request log and by
    base_landing__erasure_subjects; never published. -#}
{{ config(materialized='ephemeral') }}
-- depends_on: {{ source('landing', 'erasure_requests') }}
{{ erasure_requests_sql() }}
