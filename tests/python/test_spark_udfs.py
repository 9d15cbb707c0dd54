"""The Python steps on Spark (cx_warehouse.spark_udfs) give what the DuckDB path gives.

A local Spark session (local[1]) registers the functions; each one is called from Spark SQL,
as the Spark-only SQL models call it, on a few hundred rows of generated data, and its output
is compared row by row with the cx_warehouse.python_models function the dbt Python model
calls on DuckDB. Spark's Arrow batches are kept small (maxRecordsPerBatch 64), so the rows of
one call cross several batches. Marked `spark` (Spark's start-up takes tens of seconds): run
with `make test-spark` (or `pytest -m spark tests/python/test_spark_udfs.py`).
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow as pa
import pytest

from cx_warehouse import build as recipe
from cx_warehouse import matching_eval, python_models

pytestmark = pytest.mark.spark
pytest.importorskip("pyspark", reason="the Spark tests need the spark extra (make install-spark)")

SCALE = 0.2
#: Chats whose messages are scored (a few hundred messages).
CHATS = 80
BATCH_ROWS = 64


@pytest.fixture(scope="module")
def spark(tmp_path_factory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    from cx_warehouse import spark_udfs

    # The executors' Python workers run this interpreter (the one cx_warehouse is installed in).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    folder = tmp_path_factory.mktemp("spark")
    session = (SparkSession.builder.master("local[1]").appName("cx-spark-udfs-test")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.warehouse.dir", str(folder / "warehouse"))
               .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={folder}")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    names = spark_udfs.register(session)
    assert session.conf.get("spark.sql.execution.arrow.maxRecordsPerBatch") == str(
        recipe_batch_rows())
    session.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(BATCH_ROWS))
    assert set(names) >= {"cx_chat_message_scores", "cx_customer_pairs_scored"}
    yield session
    session.stop()


def recipe_batch_rows() -> int:
    from cx_warehouse.lookup import project_var

    return int(project_var("python_model_batch_rows"))


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("raw")
    recipe.generate(folder / "raw", folder / "truth", SCALE, 42)
    return folder / "raw", folder / "truth"


def spark_rows(spark: Any, table: pa.Table, view: str, sql: str) -> list[dict]:
    """The rows of `sql` over `table` registered as the temp view `view`."""
    spark.createDataFrame(table.to_pandas()).createOrReplaceTempView(view)
    return spark.sql(sql).toArrow().to_pylist()


def by_key(rows: list[dict], key: str) -> dict[Any, dict]:
    keyed = {row[key]: row for row in rows}
    assert len(keyed) == len(rows), f"duplicate {key}"
    return keyed


#: Relative tolerance of numbers: the sentiment model scores a batch with one matrix product,
#: whose last bit can differ when the batches are cut differently (Spark's 64 rows, one table
#: here).
RELATIVE = 1e-12


def assert_same(spark_side: list[dict], duckdb_side: pa.Table, key: str,
                tolerance: float = RELATIVE, min_rows: int = 50) -> None:
    """Same keys, and per key the same values (numbers within `tolerance` relative)."""
    expected = by_key(duckdb_side.to_pylist(), key)
    got = by_key(spark_side, key)
    assert sorted(got) == sorted(expected)
    assert len(expected) >= min_rows, "too few rows to compare"
    for name, want in expected.items():
        row = got[name]
        assert sorted(row) == sorted(want), f"columns differ for {key} {name}"
        for column, value in want.items():
            assert close(row[column], value, tolerance), (key, name, column, row[column], value)


def close(got: Any, want: Any, tolerance: float) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        if math.isnan(want) or math.isnan(got):
            return math.isnan(want) and math.isnan(got)
        return got == want or abs(got - want) <= tolerance * max(abs(want), 1e-30)
    if isinstance(want, list) and isinstance(got, list):
        return len(got) == len(want) and all(close(g, w, tolerance) for g, w in zip(got, want))
    return got == want


def chat_messages(raw_dir: Path) -> pa.Table:
    rows, seen = [], set()
    for line in (raw_dir / "chats.jsonl").read_text().splitlines():
        try:
            chat = json.loads(line)
        except json.JSONDecodeError:  # the generator's broken lines (staging's broken_json)
            continue
        if not isinstance(chat, dict):
            continue
        chat_id = chat.get("id", chat.get("conversation_id"))
        if chat_id in seen:  # the generator's duplicate ids (staging's duplicate_id)
            continue
        seen.add(chat_id)
        if len(seen) > CHATS:
            break
        transcript = chat.get("transcript") or chat.get("messages") or []
        for index, message in enumerate(transcript):
            if not isinstance(message, dict):
                continue
            sender = message.get("sender")
            role = sender.get("role") if isinstance(sender, dict) else message.get("role")
            text = message.get("body", message.get("text"))
            rows.append({
                "conversation_id": str(chat_id),
                "message_id": f"{chat_id}-{index}",
                "message_index": index,
                "sender_role": str(role).upper() if role else None,
                "message_text_redacted": text if isinstance(text, str) else None,
            })
    return pa.Table.from_pylist(rows)


def test_message_scores_and_the_input_hash_match_duckdb(spark, raw):
    messages = chat_messages(raw[0]).select(["message_id", "message_text_redacted"])
    got = spark_rows(spark, messages, "messages", """
        select messages.message_id, scores.*
        from (select message_id, cx_chat_message_scores(message_text_redacted) as scores
              from messages) as messages
    """)
    assert_same(got, python_models.message_scores(messages), "message_id")

    version = python_models.scorer_version("enrichment")
    want = duckdb.sql(
        f"select message_id, {python_models.input_hash_sql(version, 'message_text_redacted')} "
        f"as scored_input_md5 from messages"
    ).to_arrow_table()
    hashed = spark.sql("""
        with code as (select cx_code_version('enrichment') as code_version)
        select messages.message_id,
            md5(code.code_version || chr(31) || coalesce(messages.message_text_redacted, chr(0)))
                as scored_input_md5
        from messages cross join code
    """).toArrow()
    assert_same(hashed.to_pylist(), want, "message_id")


def test_conversation_scores_match_duckdb(spark, raw):
    messages = chat_messages(raw[0])
    scores = python_models.message_scores(messages.select(["message_id",
                                                           "message_text_redacted"]))
    rows = duckdb.sql("""
        select messages.conversation_id, messages.message_index, messages.sender_role,
            messages.message_text_redacted, scores.sentiment_compound
        from messages left join scores on messages.message_id = scores.message_id
        order by messages.conversation_id, messages.message_index
    """).to_arrow_table()
    got = spark_rows(spark, rows, "conversation_messages", """
        with conversations as (
            select conversation_id, array_sort(collect_list(struct(message_index, sender_role,
                message_text_redacted, sentiment_compound))) as messages
            from conversation_messages group by conversation_id
        )
        select conversation_id, scores.*
        from (select conversation_id, cx_chat_conversation_scores(messages) as scores
              from conversations) as scored
    """)
    assert_same(got, python_models.conversation_scores(rows), "conversation_id")


def test_email_scores_match_duckdb(spark, raw):
    emails = duckdb.sql(
        f"select email_id, subject as subject_redacted, body as body_redacted "
        f"from read_csv('{raw[0] / 'emails.csv'}', all_varchar = true) where email_id is not null "
        f"qualify row_number() over (partition by email_id) = 1"
    ).to_arrow_table()
    got = spark_rows(spark, emails, "emails", """
        select email_id, scores.*
        from (select email_id, cx_email_scores(subject_redacted, body_redacted) as scores
              from emails) as scored
    """)
    assert_same(got, python_models.email_scores(emails), "email_id")


def test_ticket_scores_match_duckdb(spark, raw):
    tickets = duckdb.sql(
        f"select ticket_id, description as description_redacted "
        f"from '{raw[0] / 'tickets.parquet'}' where ticket_id is not null "
        f"qualify row_number() over (partition by ticket_id) = 1"
    ).to_arrow_table()
    got = spark_rows(spark, tickets, "tickets", """
        select ticket_id, scores.*
        from (select ticket_id, cx_ticket_scores(description_redacted) as scores
              from tickets) as scored
    """)
    assert_same(got, python_models.ticket_scores(tickets), "ticket_id")


def test_product_embeddings_match_duckdb(spark, raw):
    from cx_warehouse import embeddings

    available, why = embeddings.availability()
    if not available:
        pytest.skip(why)
    products = duckdb.sql(
        f"select product_id, product_name, category, subcategory, description "
        f"from '{raw[0] / 'products.parquet'}' where product_id is not null "
        f"qualify row_number() over (partition by product_id) = 1"
    ).to_arrow_table()
    got = spark_rows(spark, products, "products", """
        select product_id, embedded.*
        from (select product_id, cx_product_embedding(product_name, category, subcategory,
                  description) as embedded
              from products where cx_embeddings_available()) as scored
    """)
    want = embeddings.product_embeddings_table(products)
    vectors = {row["product_id"]: row.pop("embedding") for row in got}
    expected = dict(zip(want.column("product_id").to_pylist(),
                        want.column("embedding").to_pylist()))
    assert_same(got, want.drop_columns(["embedding"]), "product_id")
    # float32 vectors computed in batches of another composition (Spark's 64 rows, torch's
    # padding within a batch): equal to a few float32 roundings, not to the bit.
    for product_id, vector in expected.items():
        assert len(vectors[product_id]) == embeddings.DIMENSIONS
        worst = max(abs(got_value - want_value)
                    for got_value, want_value in zip(vectors[product_id], vector))
        assert worst < 1e-5, (product_id, worst)
    assert abs(sum(value * value for value in vectors[product_id]) - 1) < 1e-4


def test_customer_pairs_match_duckdb(spark, raw):
    records = matching_eval.generated_task(*raw).records
    assert records.num_rows >= 100
    seed, keep = 42, 0.05
    want = python_models.matching_pairs(records, seed=seed, keep_min_probability=keep)
    got = spark_rows(spark, records, "matching_records", f"""
        select * from cx_customer_pairs_scored(
            TABLE(select * from matching_records) WITH SINGLE PARTITION, {seed}, {keep})
    """)
    assert [list(row) for row in got[:1]] == [want.column_names]
    assert_same(got, want, "matching_pair_id", min_rows=20)
