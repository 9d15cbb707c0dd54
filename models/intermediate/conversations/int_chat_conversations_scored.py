"""Intent, technical-issue flag, key phrases and sentiment (start, end, overall) per chat.

Reads the redacted messages and their VADER scores (int_chat_messages_scored); the
aggregation rules are in cx_warehouse.enrichment.enrich_conversations. Incremental: only the
conversations whose messages (index, sender, redacted text) or scoring code changed since the
last build are scored, a bounded number of whole conversations at a time
(cx_warehouse.python_models).
"""

from cx_warehouse import python_models


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="conversation_id", on_schema_change="append_new_columns")
    version = python_models.scorer_version("enrichment")
    messages = python_models.relation_sql(dbt.ref("stg_chat__messages"))
    scores = python_models.relation_sql(dbt.ref("int_chat_messages_scored"))
    content = ("string_agg(concat_ws(chr(30), message_index, sender_role, "
               "coalesce(md5(message_text_redacted), '')), chr(29) order by message_index)")
    keyed = (
        f"select conversation_id, {python_models.input_hash_sql(version, content)} "
        f"as {python_models.INPUT_HASH_COLUMN} from ({messages}) as messages "
        "group by conversation_id"
    )

    def rows(changed: str) -> str:
        return (
            "select messages.conversation_id, messages.message_index, messages.sender_role, "
            "messages.message_text_redacted, scores.sentiment_compound, "
            f"changed.{python_models.INPUT_HASH_COLUMN} "
            f"from ({messages}) as messages "
            f"inner join ({changed}) as changed "
            "on messages.conversation_id = changed.conversation_id "
            f"left outer join ({scores}) as scores on messages.message_id = scores.message_id "
            "order by messages.conversation_id, messages.message_index"
        )

    return python_models.score_changed(
        dbt, session, keyed_sql=keyed, key="conversation_id", rows_sql=rows,
        group_column="conversation_id",
        score=python_models.conversation_scores)
