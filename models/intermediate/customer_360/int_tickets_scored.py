"""VADER sentiment of the text the customer wrote when opening each ticket.

Reads only the redacted description (staging has replaced emails, phones, cards, CPF and CNPJ
with tokens) and scores it with the project's shared enrichment code
(cx_warehouse.enrichment: VADER plus failure/praise cues, forced-choice label), the same
scorer as the chat and email marts, so a "negative" ticket means what a negative email means.
"""

import pandas as pd

from cx_warehouse import enrichment


def model(dbt, session):
    dbt.config(materialized="table")
    tickets = (
        dbt.ref("stg_support__tickets")
        .project("ticket_id, description_redacted")
        .order("ticket_id")
        .df()
    )
    compound, evidence = enrichment.sentiment_scores(tickets["description_redacted"].tolist())
    return pd.DataFrame(
        {
            "ticket_id": tickets["ticket_id"].astype(str),
            "sentiment_label": pd.Series(enrichment.sentiment_label(compound), dtype=object),
            "sentiment_compound": compound.astype(float),
            "sentiment_confidence": enrichment.sentiment_confidence(compound, evidence=evidence).astype(float),
        }
    )
