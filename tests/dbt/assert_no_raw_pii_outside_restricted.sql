{#-
    Scans every text column of every table and view outside the restricted and quarantine
    schemas for email, phone, card, CPF and CNPJ patterns (the same regexes redact_pii_text
    uses). Any hit fails. Runs after the whole build (tag post_build) so it covers every model,
    including ones added later, without listing them.
    Rows already scanned are skipped (macro pii_scan_changed_rows): a row whose text values were
    already scanned clean by the same patterns (its md5 is in restricted.pii_scan_clean_rows) is
    not scanned again; every other row, of every relation, is. A rebuilt table with the same
    content is therefore not re-scanned, and a new or changed row always is.
-#}
{{ config(tags=['post_build'], severity='error') }}

{%- set findings = pii_scan_changed_rows(
    ['restricted', 'quarantine', 'information_schema', 'pg_catalog']
) %}

select
    relation_name,
    column_name,
    pii_kind,
    matching_rows
from {{ findings }}
