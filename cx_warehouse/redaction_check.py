"""How many of a known sender's own names survive in the public redacted chat and email text.

Measured against the generator's customer file (the raw ``customers.parquet``: the names it
planted), independently of the warehouse's redaction SQL: for every chat message of a
conversation whose customer is a known customer (by customer id, or by email hash) and every
email whose sender address is a known customer's, does any word of 3+ letters of that
customer's name (titles left out) still appear, case-insensitively as a whole word, in the
redacted text of the public staging schema?
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-]){2,}")
TITLES = frozenset({"mrs", "miss", "sra", "srta", "phd", "dds", "dvm", "iii"})


def name_words(name: str | None) -> list[str]:
    return [word for word in NAME_WORD.findall(name or "") if word.lower() not in TITLES]


def _remaining(frame: pd.DataFrame, text_columns: list[str]) -> pd.DataFrame:
    """The rows of (customer_name, texts...) whose text still holds a name word."""
    hits = []
    for row in frame.itertuples(index=False):
        words = name_words(row.customer_name)
        if not words:
            hits.append(False)
            continue
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)",
                             re.IGNORECASE)
        hits.append(any(pattern.search(getattr(row, column) or "") for column in text_columns))
    return frame[pd.Series(hits, index=frame.index, dtype=bool)]


def measure(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> dict:
    """{'chat_messages': n, 'chat_messages_with_name': k, 'emails': ..., 'examples': [...]}."""
    customers = pd.read_parquet(Path(raw_dir) / "customers.parquet",
                                columns=["customer_id", "customer_name"])
    con.register("planted_customers", customers)
    messages = con.execute("""
        with known as (
            select conversations.conversation_id, vault.customer_id
            from staging.stg_chat__conversations as conversations
            inner join restricted.vault_support__customers as vault
                on conversations.customer_id = vault.customer_id
                or conversations.customer_email_hash = vault.email_hash
        )
        select distinct messages.message_id, planted.customer_name,
               messages.message_text_redacted
        from staging.stg_chat__messages as messages
        inner join known on messages.conversation_id = known.conversation_id
        inner join planted_customers as planted on known.customer_id = planted.customer_id
    """).df()
    emails = con.execute("""
        select distinct emails.email_id, planted.customer_name, emails.subject_redacted,
               emails.body_redacted
        from staging.stg_email__emails as emails
        inner join restricted.vault_support__customers as vault
            on emails.from_email_hash = vault.email_hash
        inner join planted_customers as planted on vault.customer_id = planted.customer_id
    """).df()
    con.unregister("planted_customers")
    left_messages = _remaining(messages, ["message_text_redacted"])
    left_emails = _remaining(emails, ["subject_redacted", "body_redacted"])
    # One text can pair with two customers (a shared email): count texts, not pairs.
    return {
        "chat_messages": int(messages["message_id"].nunique()),
        "chat_messages_with_name": int(left_messages["message_id"].nunique()),
        "emails": int(emails["email_id"].nunique()),
        "emails_with_name": int(left_emails["email_id"].nunique()),
        "examples": (left_messages["message_text_redacted"].head(3).tolist()
                     + left_emails["body_redacted"].head(2).tolist()),
    }
