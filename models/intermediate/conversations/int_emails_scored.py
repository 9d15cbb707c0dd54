"""Sentiment (VADER), intent, technical-issue flag, key phrases and money amounts per email.

Reads only the redacted subject and body; greeting and sign-off lines are set aside before
scoring (cx_warehouse.enrichment.email_core_text). Incremental: only emails whose redacted
subject or body (or the scoring code) changed since the last build are scored, in Arrow
batches of bounded size (cx_warehouse.python_models).
"""

from cx_warehouse import python_models


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="email_id", on_schema_change="append_new_columns")
    version = python_models.scorer_version("enrichment")
    emails = python_models.relation_sql(dbt.ref("stg_email__emails"))
    content = ("concat_ws(chr(30), coalesce(md5(subject_redacted), ''), "
               "coalesce(md5(body_redacted), ''))")
    keyed = (
        "select email_id, subject_redacted, body_redacted, "
        f"{python_models.input_hash_sql(version, content)} "
        f"as {python_models.INPUT_HASH_COLUMN} from ({emails}) as emails"
    )
    return python_models.score_changed(
        dbt, session, keyed_sql=keyed, key="email_id",
        score=python_models.email_scores)
