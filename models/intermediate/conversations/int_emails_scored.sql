{{ config(enabled=target.type == 'spark' and var('spark_disable_python_models', true),
    materialized='table') }}
{#- Spark only: int_emails_scored.py as SQL. cx_email_scores is the same scoring
    (cx_warehouse.python_models.email_scores) registered by cx_warehouse.spark_udfs
    (DECISIONS.md, "The Python steps on Spark"). -#}
with

emails as (
    select * from {{ ref('stg_email__emails') }}
),

code as (
    select cx_code_version('enrichment') as code_version
),

scored as (
    select
        emails.email_id,
        cx_email_scores(emails.subject_redacted, emails.body_redacted) as scores,
        {{ scored_input_md5(
            'code.code_version',
            "concat_ws(chr(30), coalesce(md5(emails.subject_redacted), ''),"
            ~ " coalesce(md5(emails.body_redacted), ''))"
        ) }} as scored_input_md5
    from emails
    cross join code
),

final as (
    select
        scored.email_id,
        scored.scores.*,
        scored.scored_input_md5
    from scored
)

select * from final
