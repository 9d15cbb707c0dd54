"""Sentiment (VADER) and intent cues per chat message, from the redacted text only.

A dbt Python model: the scoring lives in cx_warehouse.enrichment (tested by pytest and timed by
scripts/benchmark_enrichment.py); this model only hands it the staged messages in one batch.
Python models are materialized as tables (dbt-duckdb has no Python views).
"""

from cx_warehouse import enrichment


def model(dbt, session):
    dbt.config(materialized="table")
    messages = (
        dbt.ref("stg_chat__messages")
        .project("message_id, message_text_redacted")
        .order("message_id")
        .df()
    )
    return enrichment.message_scores_table(messages)
