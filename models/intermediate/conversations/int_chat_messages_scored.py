"""Sentiment (VADER) and intent cues per chat message, from the redacted text only.

A dbt Python model: the scoring lives in cx_warehouse.enrichment (tested by pytest and timed by
scripts/benchmark_enrichment.py). Incremental: only messages whose redacted text (or the
scoring code) changed since the last build are scored, in Arrow batches of bounded size
(cx_warehouse.python_models).
"""

from cx_warehouse import python_models


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="message_id", on_schema_change="append_new_columns")
    version = python_models.scorer_version("enrichment")
    messages = python_models.relation_sql(dbt.ref("stg_chat__messages"))
    keyed = (
        "select message_id, message_text_redacted, "
        f"{python_models.input_hash_sql(version, 'message_text_redacted')} "
        f"as {python_models.INPUT_HASH_COLUMN} from ({messages}) as messages"
    )
    return python_models.score_changed(
        dbt, session, keyed_sql=keyed, key="message_id",
        score=python_models.message_scores)
