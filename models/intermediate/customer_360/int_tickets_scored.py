"""VADER sentiment of the text the customer wrote when opening each ticket.

Reads only the redacted description (staging has replaced emails, phones, cards, CPF and CNPJ
with tokens) and scores it with the project's shared enrichment code
(cx_warehouse.enrichment: VADER plus failure/praise cues, forced-choice label), the same
scorer as the chat and email marts, so a "negative" ticket means what a negative email means.
Incremental: only tickets whose redacted description (or the scoring code) changed since the
last build are scored, in Arrow batches of bounded size (cx_warehouse.python_models).
"""

from cx_warehouse import python_models


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="ticket_id", on_schema_change="append_new_columns")
    version = python_models.scorer_version("enrichment")
    tickets = python_models.relation_sql(dbt.ref("stg_support__tickets"))
    keyed = (
        "select ticket_id, description_redacted, "
        f"{python_models.input_hash_sql(version, 'description_redacted')} "
        f"as {python_models.INPUT_HASH_COLUMN} from ({tickets}) as tickets"
    )
    return python_models.score_changed(dbt, session, keyed_sql=keyed, key="ticket_id",
                                       score=python_models.ticket_scores)
