"""Intent, technical-issue flag, key phrases and sentiment (start, end, overall) per chat.

Reads the redacted messages and their VADER scores (int_chat_messages_scored); the
aggregation rules are in cx_warehouse.enrichment.enrich_conversations.
"""

from cx_warehouse import enrichment


def model(dbt, session):
    dbt.config(materialized="table")
    messages = (
        dbt.ref("stg_chat__messages")
        .project("message_id, conversation_id, message_index, sender_role, message_text_redacted")
        .df()
    )
    scores = dbt.ref("int_chat_messages_scored").project("message_id, sentiment_compound").df()
    scored = messages.merge(scores, on="message_id", how="left", validate="one_to_one")
    return enrichment.conversation_scores_table(scored)
