"""The Python steps on Apache Spark: the scoring of the six dbt Python models as SQL functions.

dbt-spark runs Python models only on Databricks, so on open-source Spark each Python model has
a Spark-only SQL model of the same name (same columns, same tests) that calls the functions
`register(spark)` adds to the session (DECISIONS.md, "The Python steps on Spark"). Every
function is vectorised: Spark hands it Arrow batches of at most
spark.sql.execution.arrow.maxRecordsPerBatch rows (var python_model_batch_rows) on the
executors' Python workers, and it calls the same cx_warehouse.python_models function the
DuckDB model calls on the same rows, so both engines compute one implementation. Nothing is
collected to the driver.

Functions (arguments are columns; every one returns a struct of the model's columns except
its key and scored_input_md5, unless said otherwise):
- cx_code_version(scorer) -> string: python_models.scorer_version ('enrichment',
  'embeddings'), the code version inside scored_input_md5.
- cx_chat_message_scores(message_text_redacted)
- cx_chat_conversation_scores(messages): `messages` is one conversation's
  array<struct<message_index, sender_role, message_text_redacted, sentiment_compound>>.
- cx_email_scores(subject_redacted, body_redacted)
- cx_ticket_scores(description_redacted)
- cx_embeddings_available() -> boolean: whether the embeddings extra is installed (checked
  when the functions are registered); without it the embeddings model is built empty.
- cx_product_embedding(product_name, category, subcategory, description): the MiniLM model is
  loaded once per executor Python worker (Spark reuses its workers) and only when a batch has
  rows.
- cx_customer_pairs_scored(TABLE(records) WITH SINGLE PARTITION, seed, keep_min_probability):
  a table function: every matching record goes to one executor task, which runs the same
  Splink scoring (on a private in-memory DuckDB) as the DuckDB build.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import pyarrow as pa

from cx_warehouse import python_models

LOGGER = logging.getLogger("cx_warehouse.spark_udfs")

#: Arrow type -> Spark SQL type of the columns the scorers return.
_SPARK_TYPES = {
    pa.string(): "string",
    pa.float64(): "double",
    pa.float32(): "float",
    pa.bool_(): "boolean",
    pa.int64(): "bigint",
    pa.int32(): "int",
}


def spark_type(arrow_type: pa.DataType) -> str:
    """The Spark SQL type (DDL) of an Arrow type the scorers use."""
    if pa.types.is_list(arrow_type) or pa.types.is_fixed_size_list(arrow_type):
        return f"array<{spark_type(arrow_type.value_type)}>"
    if arrow_type not in _SPARK_TYPES:
        raise TypeError(f"no Spark type for the Arrow type {arrow_type}")
    return _SPARK_TYPES[arrow_type]


def spark_struct(schema: pa.Schema, without: tuple[str, ...] = ()) -> str:
    """`struct<...>` DDL of the fields of `schema` not in `without`."""
    return "struct<" + ", ".join(f"{field.name}: {spark_type(field.type)}"
                                 for field in schema if field.name not in without) + ">"


def _plain(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One Arrow array, with fixed-size lists as lists (Spark's arrays have no fixed size)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_fixed_size_list(array.type):
        array = array.cast(pa.list_(array.type.value_type))
    return array


def _as_struct(scored: pa.Table, without: tuple[str, ...]) -> pa.Array:
    names = [name for name in scored.column_names if name not in without]
    return pa.StructArray.from_arrays([_plain(scored.column(name)) for name in names],
                                      names=names)


def _row_ids(length: int) -> pa.Array:
    return pa.array([str(position) for position in range(length)], pa.string())


def _aligned(scored: pa.Table, key: str, length: int) -> pa.Table:
    """The scored rows in input order: `key` holds each input row's position (_row_ids)."""
    import pyarrow.compute as pc

    positions = pc.index_in(_row_ids(length), value_set=_plain(scored.column(key)))
    if positions.null_count:
        raise ValueError(f"a scorer returned no row for some input rows ({key})")
    return scored.take(positions)


# ------------------------------------------------------------------------------------------
# One function per model: Arrow arrays in (one batch), one struct per input row out
# ------------------------------------------------------------------------------------------

def chat_message_scores(texts: pa.Array) -> pa.Array:
    """cx_chat_message_scores: python_models.message_scores of one batch of messages."""
    rows = pa.table({"message_id": _row_ids(len(texts)), "message_text_redacted": _plain(texts)})
    scored = python_models.message_scores(rows)
    return _as_struct(_aligned(scored, "message_id", len(texts)), ("message_id",))


def chat_conversation_scores(messages: pa.Array) -> pa.Array:
    """cx_chat_conversation_scores: python_models.conversation_scores of one batch of
    conversations, each an array of its messages."""
    import pyarrow.compute as pc

    messages = _plain(messages)
    flat = messages.flatten()
    parents = pc.list_parent_indices(messages)
    rows = pa.table({
        "conversation_id": pc.cast(parents, pa.string()),
        "message_index": flat.field("message_index"),
        "sender_role": flat.field("sender_role"),
        "message_text_redacted": flat.field("message_text_redacted"),
        "sentiment_compound": flat.field("sentiment_compound").cast(pa.float64()),
    })
    scored = python_models.conversation_scores(rows)
    if scored.num_rows != len(messages):
        raise ValueError("cx_chat_conversation_scores: every conversation needs at least one "
                         "message (an empty array has none to score)")
    return _as_struct(_aligned(scored, "conversation_id", len(messages)), ("conversation_id",))


def email_scores(subjects: pa.Array, bodies: pa.Array) -> pa.Array:
    """cx_email_scores: python_models.email_scores of one batch of emails."""
    rows = pa.table({"email_id": _row_ids(len(subjects)), "subject_redacted": _plain(subjects),
                     "body_redacted": _plain(bodies)})
    scored = python_models.email_scores(rows)
    return _as_struct(_aligned(scored, "email_id", len(subjects)), ("email_id",))


def ticket_scores(descriptions: pa.Array) -> pa.Array:
    """cx_ticket_scores: python_models.ticket_scores of one batch of ticket descriptions."""
    rows = pa.table({"ticket_id": _row_ids(len(descriptions)),
                     "description_redacted": _plain(descriptions)})
    scored = python_models.ticket_scores(rows)
    return _as_struct(_aligned(scored, "ticket_id", len(descriptions)), ("ticket_id",))


def product_embedding(names: pa.Array, categories: pa.Array, subcategories: pa.Array,
                      descriptions: pa.Array) -> pa.Array:
    """cx_product_embedding: embeddings.product_embeddings_table of one batch of products."""
    from cx_warehouse import embeddings

    rows = pa.table({"product_id": _row_ids(len(names)), "product_name": _plain(names),
                     "category": _plain(categories), "subcategory": _plain(subcategories),
                     "description": _plain(descriptions)})
    if rows.num_rows == 0:
        return _as_struct(embeddings.empty_table(), ("product_id",))
    scored = embeddings.product_embeddings_table(rows)
    return _as_struct(_aligned(scored, "product_id", len(names)), ("product_id",))


def code_versions(scorers: pa.Array) -> pa.Array:
    """cx_code_version: the code version of each scorer named."""
    versions: dict[str, str] = {}
    out = []
    for scorer in _plain(scorers).to_pylist():
        if scorer not in versions:
            versions[scorer] = python_models.scorer_version(scorer)
        out.append(versions[scorer])
    return pa.array(out, pa.string())


# ------------------------------------------------------------------------------------------
# Return types
# ------------------------------------------------------------------------------------------

def _schemas() -> dict[str, str]:
    """The struct DDL each function returns, from the scorers' own output of no rows."""
    from cx_warehouse import embeddings, enrichment

    empty = {
        "message": pa.table({"message_id": pa.array([], pa.string()),
                             "message_text_redacted": pa.array([], pa.string())}),
        "email": pa.table({"email_id": pa.array([], pa.string()),
                           "subject_redacted": pa.array([], pa.string()),
                           "body_redacted": pa.array([], pa.string())}),
        "ticket": pa.table({"ticket_id": pa.array([], pa.string()),
                            "description_redacted": pa.array([], pa.string())}),
    }
    conversation = enrichment.conversation_scores_table(pa.table({
        "conversation_id": pa.array([], pa.string()), "message_index": pa.array([], pa.int64()),
        "sender_role": pa.array([], pa.string()),
        "message_text_redacted": pa.array([], pa.string()),
        "sentiment_compound": pa.array([], pa.float64())}).to_pandas())
    return {
        "cx_chat_message_scores": spark_struct(
            python_models.message_scores(empty["message"]).schema, ("message_id",)),
        "cx_chat_conversation_scores": spark_struct(conversation.schema, ("conversation_id",)),
        "cx_email_scores": spark_struct(
            python_models.email_scores(empty["email"]).schema, ("email_id",)),
        "cx_ticket_scores": spark_struct(
            python_models.ticket_scores(empty["ticket"]).schema, ("ticket_id",)),
        "cx_product_embedding": spark_struct(embeddings.schema(), ("product_id",)),
    }


def matching_pairs_schema() -> pa.Schema:
    """The columns of matching_customer_pairs_scored (what the DuckDB model returns)."""
    from cx_warehouse.matching import _empty_result

    return python_models.with_pair_id(_empty_result()).schema


class CustomerPairsScored:
    """cx_customer_pairs_scored: collects the batches of matching_customer_records of its
    (single) partition, then scores them with python_models.matching_pairs."""

    def __init__(self) -> None:
        self.batches: list[pa.RecordBatch] = []
        self.seed: int | None = None
        self.keep: float | None = None

    def eval(self, records: pa.RecordBatch, seed: pa.Array, keep: pa.Array) -> Any:
        self.batches.append(records)
        if self.seed is None and len(seed):
            self.seed, self.keep = int(seed[0].as_py()), float(keep[0].as_py())
        return iter(())

    def terminate(self) -> Any:
        if not self.batches or self.seed is None:
            return
        records = pa.Table.from_batches(self.batches)
        pairs = python_models.matching_pairs(records, seed=self.seed,
                                             keep_min_probability=self.keep, log=LOGGER.info)
        schema = matching_pairs_schema()
        yield pairs.select(schema.names).cast(schema)


# ------------------------------------------------------------------------------------------
# Registration
# ------------------------------------------------------------------------------------------

def _batch_rows() -> int:
    from cx_warehouse.lookup import project_var

    return int(project_var("python_model_batch_rows"))


def register(spark: Any) -> list[str]:
    """Register the functions in the session `spark`; returns their names.

    Also sets spark.sql.execution.arrow.maxRecordsPerBatch to var python_model_batch_rows
    (unless the session already sets it), the most rows a Python worker holds at a time.
    """
    from pyspark.sql.functions import arrow_udf, arrow_udtf, udf

    from cx_warehouse import embeddings

    if spark.conf.get("spark.sql.execution.arrow.maxRecordsPerBatch", None) in (None, "10000"):
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(_batch_rows()))
    available, why = embeddings.availability()
    if not available:
        LOGGER.warning(f"int_product_embeddings_computed will be built empty: {why}")
    types = _schemas()
    scalar: dict[str, Callable[..., pa.Array]] = {
        "cx_chat_message_scores": chat_message_scores,
        "cx_chat_conversation_scores": chat_conversation_scores,
        "cx_email_scores": email_scores,
        "cx_ticket_scores": ticket_scores,
        "cx_product_embedding": product_embedding,
    }
    for name, function in scalar.items():
        spark.udf.register(name, arrow_udf(function, types[name]))
    spark.udf.register("cx_code_version", arrow_udf(code_versions, "string"))
    spark.udf.register("cx_embeddings_available",
                       udf(lambda: available, "boolean"))
    pairs_type = spark_struct(matching_pairs_schema())[len("struct<"):-1]
    spark.udtf.register("cx_customer_pairs_scored",
                        arrow_udtf(CustomerPairsScored, returnType=pairs_type))
    return [*scalar, "cx_code_version", "cx_embeddings_available", "cx_customer_pairs_scored"]
