"""Sentiment (VADER), intent, technical-issue flag, key phrases and money amounts per email.

Reads only the redacted subject and body; greeting and sign-off lines are set aside before
scoring (cx_warehouse.enrichment.email_core_text).
"""

from cx_warehouse import enrichment


def model(dbt, session):
    dbt.config(materialized="table")
    emails = (
        dbt.ref("stg_email__emails")
        .project("email_id, subject_redacted, body_redacted")
        .order("email_id")
        .df()
    )
    return enrichment.email_scores_table(emails)
