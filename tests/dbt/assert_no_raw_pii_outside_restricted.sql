{#-
    Fails on any raw PII pattern in a public table or view: the hits audit_pii_scan found (it
    scans every text column of every relation outside the restricted and quarantine schemas,
    new ones included, reading only what changed where a relation's stored loads cannot
    change). One row per relation, column and kind of hit. Runs after the whole build (tag
    post_build), right after audit_pii_scan.
-#}
{{ config(tags=['post_build'], severity='error') }}

select
    relation_name,
    column_name,
    pii_kind,
    sum(matching_cells) as matching_rows
from {{ ref('audit_pii_scan') }}
where pii_kind is not null
group by relation_name, column_name, pii_kind
