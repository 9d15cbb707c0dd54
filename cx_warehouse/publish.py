"""Publish the public schemas of the private warehouse into a read-only serving file.

DuckDB allows one writing process or many readers, never both. dbt therefore builds into its
private file (`CX_WAREHOUSE_PATH`) and BI tools read a separate serving file
(`CX_SERVING_PATH`, default data/serving.duckdb) that this module replaces atomically:

1. take an exclusive lock on the serving file's folder (one publish at a time) and remove what a
   killed publish left behind (the hidden temp file and its .wal);
2. open the private warehouse READ-ONLY and write a new hidden temp file next to the serving
   file (same folder, so the same file system): every table of the public schemas (marts,
   reference, audit) is copied with CREATE TABLE AS, views are materialised as tables, table
   macros are re-created with their parameters and defaults, and two tables describe the
   version (`serving_info`, `serving_tables`);
3. checkpoint and close it (no .wal may remain), reopen it read-only and check it (row counts,
   every macro callable), fsync it, make it read-only;
4. os.replace() it over the serving file and fsync the folder.

A reader that opens the serving file sees the old or the new version, never a half-written one:
rename(2) swaps the directory entry in one step, and a reader that already has the old file open
keeps reading the old inode until it disconnects. Private schemas (restricted, quarantine,
staging, intermediate) are never read, so no raw PII can reach the serving file, not even in
its free blocks.

Names: every public schema keeps its name (`marts`, `reference`, `audit`), and the table macro's
body names its tables by schema and table only, so `marts.fct_tickets` and
`marts.lookup_receipts(...)` resolve in whatever catalog the file is opened or attached as
(`duckdb.connect('x/serving.duckdb')`, `ATTACH ... AS bi; USE bi`). The one exception DuckDB
imposes: a file whose catalog name equals one of those schemas (`marts.duckdb`) makes
`marts.x` ambiguous, so such a serving path is refused with the fix.

Storage version: the new file is written with `STORAGE_VERSION` (default
DEFAULT_STORAGE_VERSION, the oldest DuckDB 1.4 LTS reads; `--storage-version` or
CX_SERVING_STORAGE_VERSION), so the DuckDB CLI, the Python and Node clients and BI drivers that
bundle DuckDB 1.4 or newer open it. `serving_info` records it and the oldest client that reads
it.

Layout for lookups: the big tables are written sorted (CLUSTER_KEYS: receipts and their lines
by store and date, customer-keyed tables by customer), so DuckDB's zone maps (min/max per row
group) skip the row groups a lookup's filters exclude, and INDEXES adds ART indexes where a
point lookup on another key pays (a customer's receipts).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import duckdb

#: The schemas BI tools may read. Nothing in them holds raw PII (the post-build scan checks).
PUBLIC_SCHEMAS: tuple[str, ...] = ("marts", "reference", "audit")
#: Schemas that must never be published: raw PII, rejected raw rows, internal layers.
PRIVATE_SCHEMAS: frozenset[str] = frozenset({"restricted", "quarantine", "staging",
                                             "intermediate"})
#: Schemas and catalogs DuckDB reserves: a serving file may not open under these names.
RESERVED_CATALOGS: frozenset[str] = frozenset({"main", "memory", "system", "temp"})
#: The storage version the serving file is written with: the oldest that DuckDB 1.4 LTS, the
#: oldest client line we support, reads (DECISIONS.md, "Serving BI tools").
DEFAULT_STORAGE_VERSION = "v1.4.0"
STORAGE_VERSION_VARIABLE = "CX_SERVING_STORAGE_VERSION"
#: The oldest client that runs everything in a file of a storage version, where it is not the
#: version itself: DuckDB 1.4.0 and 1.4.1 read the tables of a v1.4.0 file written by 2.0 but
#: fail on its table macro ("Table with name final does not exist": a macro body with CTEs);
#: 1.4.2 runs it (tried with 1.4.0 to 1.4.5).
OLDEST_CLIENT: dict[str, str] = {"v1.4.0": "1.4.2"}


def min_client_version(storage_version: str) -> str:
    """The oldest DuckDB release that opens a file of `storage_version` and runs its macros."""
    if storage_version == "latest":
        return duckdb.__version__
    return OLDEST_CLIENT.get(storage_version, storage_version.lstrip("v"))
#: Sort order of the big tables in the serving file (zone maps prune on the leading keys).
CLUSTER_KEYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("marts", "fct_receipts"): ("store_id", "transaction_date", "transaction_local_at",
                                "receipt_id"),
    ("marts", "fct_receipt_items"): ("store_id", "transaction_date", "receipt_id",
                                     "line_number"),
    ("marts", "dim_customers"): ("customer_id",),
    ("marts", "rpt_customer_spending"): ("customer_id",),
    ("marts", "fct_customer_risk_signals"): ("customer_id",),
}
#: ART indexes of the serving file: (schema, table, column). A customer's receipts are spread
#: over every store and day of the store-sorted receipts table, so zone maps cannot find them.
INDEXES: tuple[tuple[str, str, str], ...] = (
    ("marts", "fct_receipts", "customer_id"),
)
INFO_SCHEMA = "main"
INFO_TABLE = "serving_info"
TABLES_TABLE = "serving_tables"
#: Suffix of the temp file, which is also hidden: `.serving.duckdb.publishing`.
TEMP_SUFFIX = ".publishing"


class PublishError(RuntimeError):
    """The publish could not be done; the serving file was left as it was."""


@dataclass(frozen=True)
class PublishedRelation:
    source_schema: str
    name: str
    serving_schema: str
    kind: str  # "table", "view" (materialised as a table) or "table_macro"
    row_count: int | None

    @property
    def serving_name(self) -> str:
        return f"{self.serving_schema}.{self.name}"


@dataclass
class PublishResult:
    warehouse: Path
    serving: Path
    published_at: dt.datetime
    storage_version: str = DEFAULT_STORAGE_VERSION
    min_client_version: str = ""
    seconds: float = 0.0
    relations: list[PublishedRelation] = field(default_factory=list)

    @property
    def table_count(self) -> int:
        return sum(1 for relation in self.relations if relation.kind != "table_macro")

    @property
    def row_count(self) -> int:
        return sum(relation.row_count or 0 for relation in self.relations)


def catalog_name(path: Path) -> str:
    """The catalog name DuckDB gives a database file it opens: the file name up to its first dot
    (leading dots skipped), e.g. data/serving.duckdb -> serving."""
    parts = [part for part in path.name.split(".") if part]
    if not parts:
        raise PublishError(f"{path}: not a usable file name for a DuckDB database")
    return parts[0]


def check_catalog_name(serving: Path, schemas: Sequence[str]) -> str:
    """The catalog name `serving` opens under, refused when it would clash with a schema inside
    it (DuckDB then calls `marts.x` ambiguous) or with a name DuckDB reserves."""
    catalog = catalog_name(serving)
    clashes = set(schemas) | {INFO_SCHEMA}
    if catalog in clashes or catalog in RESERVED_CATALOGS:
        raise PublishError(
            f"serving path {serving}: DuckDB opens it as catalog {catalog!r}, which clashes with "
            f"the schema {catalog!r} inside it or a catalog name DuckDB reserves; set "
            "CX_SERVING_PATH (or --serving) to a file with another name, e.g. "
            "data/serving.duckdb")
    return catalog


def normalise_storage_version(value: str | None) -> str:
    """`v1.4.0`, `1.4` or `latest` -> the form ATTACH takes (`v1.4.0`, `latest`)."""
    text = (value or DEFAULT_STORAGE_VERSION).strip().lower()
    if text == "latest":
        return text
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        raise PublishError(
            f"storage version {value!r} is not a DuckDB release: give one like "
            f"{DEFAULT_STORAGE_VERSION} (--storage-version or {STORAGE_VERSION_VARIABLE}), or "
            "latest")
    return f"v{match.group(1)}.{match.group(2)}.{match.group(3) or 0}"


def temp_path(serving: Path) -> Path:
    """The hidden temp file a publish writes before the swap (same folder, same catalog name)."""
    return serving.with_name(f".{serving.name}{TEMP_SUFFIX}")


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def in_progress_marker(warehouse: Path) -> Path:
    """`make build` creates this before dbt starts and removes it when the build and its tests
    passed; while it exists the private warehouse may be half rebuilt and is not published."""
    return warehouse.with_name(warehouse.name + ".build-in-progress")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def dbt_invocation(target_dir: Path | None) -> tuple[str | None, str | None]:
    """(invocation_id, generated_at) of the last dbt command's run_results.json, if any. In
    `make build` that is the post-build checks (`dbt build --select tag:post_build`)."""
    if target_dir is None:
        return None, None
    try:
        metadata = json.loads((target_dir / "run_results.json").read_text())["metadata"]
        return metadata.get("invocation_id"), metadata.get("generated_at")
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Exclusive advisory lock on the serving folder: one publish at a time. The kernel drops it
    when the process dies, so a killed publish never blocks the next one."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _macro_statements(connection: duckdb.DuckDBPyConnection, schemas: Sequence[str],
                      scratch_dir: Path) -> dict[tuple[str, str], str]:
    """What follows `CREATE MACRO schema.name` for the source's macros in `schemas`: the
    parameters with their defaults and the body.

    duckdb_functions() gives a macro's body and parameter names but not the defaults, so the
    catalogue (definitions only, no data) is copied into an in-memory scratch database, reduced
    to the public macros, and exported; EXPORT DATABASE writes the complete statements.
    """
    connection.execute("attach ':memory:' as publish_scratch")
    try:
        connection.execute("copy from database publish_source to publish_scratch (schema)")
        objects = connection.execute(
            "select 'table', schema_name, table_name from duckdb_tables() "
            "where database_name = 'publish_scratch' "
            "union all select 'view', schema_name, view_name from duckdb_views() "
            "where database_name = 'publish_scratch' and not internal "
            "union all select 'sequence', schema_name, sequence_name from duckdb_sequences() "
            "where database_name = 'publish_scratch'"
        ).fetchall()
        for kind, schema, name in objects:
            connection.execute(f"drop {kind} if exists publish_scratch.{quote(schema)}."
                               f"{quote(name)} cascade")
        private = connection.execute(
            "select schema_name from duckdb_schemas() where database_name = 'publish_scratch' "
            "and not internal and schema_name <> 'main' and schema_name not in "
            f"({', '.join('?' for _ in schemas)})", list(schemas),
        ).fetchall()
        for (schema,) in private:
            connection.execute(f"drop schema publish_scratch.{quote(schema)} cascade")
        connection.execute(f"export database publish_scratch to {literal(scratch_dir)}")
    finally:
        connection.execute("detach publish_scratch")
    exported = (scratch_dir / "schema.sql").read_text()
    # EXPORT DATABASE writes one statement per line block, each starting a line with CREATE.
    pattern = re.compile(r'^CREATE MACRO ("?)([^\s."]+)\1\.("?)([^\s("]+)\3 ', re.MULTILINE)
    creates = [match.start() for match in re.finditer(r"^CREATE ", exported, re.MULTILINE)]
    statements: dict[tuple[str, str], str] = {}
    for match in pattern.finditer(exported):
        end = next((start for start in creates if start > match.start()), len(exported))
        # Keep what follows the name: the parameters with their defaults and the body.
        statements[(match.group(2), match.group(4))] = exported[match.end():end].strip()
    return statements


def publish(warehouse: Path, serving: Path, *, schemas: Sequence[str] = PUBLIC_SCHEMAS,
            target_dir: Path | None = None, force: bool = False,
            storage_version: str | None = None,
            log: Callable[[str], None] = print) -> PublishResult:
    """Copy `schemas` of the private `warehouse` into a new `serving` file and swap it in.

    Raises PublishError (the serving file is then untouched) when the warehouse is missing,
    a `make build` of it did not finish (unless force), a private schema is asked for, the
    serving file's name would clash with a schema in it, the storage version is unknown, or
    the new file fails its checks. `storage_version` (default: $CX_SERVING_STORAGE_VERSION,
    else DEFAULT_STORAGE_VERSION) is the DuckDB storage format of the new file.
    """
    started = time.perf_counter()
    warehouse, serving = Path(warehouse).resolve(), Path(serving).resolve()
    forbidden = sorted(set(schemas) & PRIVATE_SCHEMAS)
    if forbidden:
        raise PublishError(f"schemas {forbidden} are private (raw PII or internal layers) and "
                           "are never published; publish only "
                           f"{', '.join(PUBLIC_SCHEMAS)}")
    check_catalog_name(serving, schemas)
    version = normalise_storage_version(
        storage_version or os.environ.get(STORAGE_VERSION_VARIABLE) or None)
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}: run `make build` first, or point "
                           "--warehouse / CX_WAREHOUSE_PATH at the file dbt builds")
    if serving == warehouse:
        raise PublishError(f"the serving file must not be the warehouse itself ({serving}); "
                           "set CX_SERVING_PATH to another file, e.g. data/serving.duckdb")
    marker = in_progress_marker(warehouse)
    if marker.exists() and not force:
        raise PublishError(
            f"a `make build` of {warehouse} started and did not finish ({marker} exists), so "
            "the warehouse may be half rebuilt and is not published; run `make build` again "
            "(or publish it as it is with --force)"
        )
    serving.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(serving)
    published_at = dt.datetime.now(dt.timezone.utc)
    result = PublishResult(warehouse=warehouse, serving=serving, published_at=published_at,
                           storage_version=version,
                           min_client_version=min_client_version(version))

    with _folder_lock(serving.parent):
        for leftover in (temp, wal_path(temp)):
            if _remove(leftover):
                log(f"removed {leftover.name}, left by an interrupted publish")
        try:
            _write(warehouse, temp, list(schemas), target_dir, result, log)
            _check(temp, result)
        except BaseException as error:
            _remove(temp)
            _remove(wal_path(temp))
            if isinstance(error, duckdb.Error):
                hint = ("; is a dbt build still writing it? publish when it has finished"
                        if "lock" in str(error).lower() else "")
                raise PublishError(f"publishing {warehouse} failed: {error}{hint}") from error
            raise
        _fsync(temp)
        os.chmod(temp, 0o444)  # a BI tool cannot open it read-write by mistake
        stale_wal = wal_path(serving)
        if _remove(stale_wal):
            # Only a process that opened the serving file read-write writes one; replaying it
            # against the new file would be wrong, and its changes die with the old file.
            log(f"warning: removed {stale_wal.name}: some process opened {serving.name} "
                "read-write; BI tools must connect read-only")
        os.replace(temp, serving)
        _fsync(serving.parent)

    result.seconds = time.perf_counter() - started
    return result


def _write(warehouse: Path, temp: Path, schemas: list[str], target_dir: Path | None,
           result: PublishResult, log: Callable[[str], None]) -> None:
    # Phase 1, the data. The session's own catalog is in-memory, and the new file is attached
    # with the storage version older clients read.
    connection = duckdb.connect(":memory:", config={"threads": os.cpu_count() or 2})
    try:
        connection.execute("set timezone = 'UTC'")
        connection.execute(f"attach {literal(warehouse)} as publish_source (read_only)")
        try:
            connection.execute(f"attach {literal(temp)} as publish_target "
                               f"(storage_version '{result.storage_version}')")
        except duckdb.Error as error:
            raise PublishError(
                f"storage version {result.storage_version!r}: {str(error).splitlines()[0]}; "
                f"give a DuckDB release this duckdb ({duckdb.__version__}) can write, e.g. "
                f"{DEFAULT_STORAGE_VERSION} ({STORAGE_VERSION_VARIABLE} or --storage-version)"
            ) from error
        placeholders = ", ".join("?" for _ in schemas)
        relations = connection.execute(
            "select schema_name, table_name, 'table' from duckdb_tables() "
            f"where database_name = 'publish_source' and schema_name in ({placeholders}) "
            "union all select schema_name, view_name, 'view' from duckdb_views() "
            f"where database_name = 'publish_source' and schema_name in ({placeholders}) "
            "and not internal order by 1, 2",
            schemas + schemas,
        ).fetchall()
        macros = connection.execute(
            "select schema_name, function_name from duckdb_functions() "
            "where database_name = 'publish_source' and function_type in "
            f"('macro', 'table_macro') and schema_name in ({placeholders}) "
            "and not internal order by 1, 2", schemas,
        ).fetchall()
        missing = sorted(set(schemas) - {schema for schema, _, _ in relations})
        if missing:
            raise PublishError(f"the warehouse {warehouse} has no relation in schema(s) "
                               f"{missing}: was it built (`make build`)?")
        for schema in sorted({schema for schema, _, _ in relations}):
            connection.execute(f"create schema if not exists publish_target.{quote(schema)}")
        reserved = {(INFO_SCHEMA, INFO_TABLE), (INFO_SCHEMA, TABLES_TABLE)}
        for schema, name, kind in relations:
            target = f"publish_target.{quote(schema)}.{quote(name)}"
            if (schema, name) in reserved:
                raise PublishError(f"{schema}.{name} would overwrite the serving file's own "
                                   f"table {INFO_SCHEMA}.{name}; rename the model")
            # A view is materialised: its SQL may read private schemas (e.g. the landing
            # manifest for as_of_at()), which the serving file does not have.
            keys = CLUSTER_KEYS.get((schema, name), ())
            order = f" order by {', '.join(quote(key) for key in keys)}" if keys else ""
            try:
                connection.execute(f"create table {target} as select * from "
                                   f"publish_source.{quote(schema)}.{quote(name)}{order}")
            except duckdb.BinderException as error:
                raise PublishError(f"{schema}.{name}: cannot sort by {', '.join(keys)} "
                                   f"({str(error).splitlines()[0]}); update CLUSTER_KEYS in "
                                   "cx_warehouse/publish.py") from error
            rows = connection.execute(f"select count(*) from {target}").fetchone()[0]
            result.relations.append(
                PublishedRelation(schema, name, schema, kind, rows))
            log(f"  {schema}.{name:<40} {rows:>10,} rows"
                + ("  (view, materialised)" if kind == "view" else "")
                + (f"  sorted by {', '.join(keys)}" if keys else ""))
        published = {(schema, name) for schema, name, _ in relations}
        for schema, name, column in INDEXES:
            if (schema, name) not in published:
                continue
            index = f"{name}__{column}__idx"
            connection.execute(f"create index {quote(index)} on publish_target.{quote(schema)}."
                               f"{quote(name)} ({quote(column)})")
            log(f"  {schema}.{name:<40} {'index on ' + column:>20}")
        statements: dict[tuple[str, str], str] = {}
        if macros:
            with tempfile.TemporaryDirectory(prefix="cx-publish-") as scratch:
                statements = _macro_statements(connection, schemas, Path(scratch))
        connection.execute("detach publish_source")

        # Phase 2, macros and the version tables. DuckDB binds a table macro's body when it is
        # created: with the new file as the session's current catalog the body's two-part
        # names (`marts.fct_receipts`) resolve to its schemas and are stored without a catalog,
        # so they resolve again under whatever name a reader opens the file.
        connection.execute("use publish_target")
        for schema, name in macros:
            statement = statements.get((schema, name))
            if statement is None:
                raise PublishError(f"could not read the definition of macro {schema}.{name}")
            connection.execute(f"create macro {quote(schema)}.{quote(name)} " + statement)
            result.relations.append(
                PublishedRelation(schema, name, schema, "table_macro", None))
            log(f"  {schema}.{name:<40} {'table macro':>15}")
        invocation_id, run_results_at = dbt_invocation(target_dir)
        connection.execute(
            f"create table {INFO_SCHEMA}.{TABLES_TABLE} (source_schema varchar, "
            "relation_name varchar, serving_schema varchar, kind varchar, row_count bigint)"
        )
        connection.executemany(
            f"insert into {INFO_SCHEMA}.{TABLES_TABLE} values (?, ?, ?, ?, ?)",
            [(relation.source_schema, relation.name, relation.serving_schema, relation.kind,
              relation.row_count) for relation in result.relations],
        )
        # No absolute path of the build machine: the warehouse's file name only.
        connection.execute(
            f"create table {INFO_SCHEMA}.{INFO_TABLE} as select "
            "cast(? as timestamptz) as published_at, cast(? as varchar) as source_file, "
            "cast(? as varchar) as dbt_invocation_id, "
            "cast(? as varchar) as dbt_run_results_generated_at, "
            "cast(? as integer) as table_count, cast(? as bigint) as row_count, "
            "cast(? as varchar[]) as schemas, cast(? as varchar) as storage_version, "
            "cast(? as varchar) as min_client_version, cast(? as varchar) as written_by_duckdb",
            [result.published_at, warehouse.name, invocation_id, run_results_at,
             result.table_count, result.row_count, schemas, result.storage_version,
             result.min_client_version, duckdb.__version__],
        )
        connection.execute("use memory")
        connection.execute("checkpoint publish_target")
        connection.execute("detach publish_target")
    finally:
        connection.close()
    if wal_path(temp).exists():
        raise PublishError(f"{wal_path(temp)} remained after closing the new serving file; "
                           "not swapping it in")


def _check(temp: Path, result: PublishResult) -> None:
    """Reopen the new file read-only, as a reader will, and check it before the swap."""
    connection = duckdb.connect(str(temp), read_only=True)
    try:
        written = connection.execute(
            "select tags['storage_version'] from duckdb_databases() "
            "where database_name = current_database()").fetchone()[0] or ""
        if result.storage_version != "latest" and not written.startswith(result.storage_version):
            raise PublishError(f"the new serving file has storage version {written!r}, "
                               f"{result.storage_version!r} was asked for")
        for relation in result.relations:
            if relation.kind == "table_macro":
                # Binding the macro resolves every relation it reads, under the reader's names.
                connection.execute(f"select * from {quote(relation.source_schema)}."
                                   f"{quote(relation.name)}() limit 0").fetchall()
                continue
            rows = connection.execute(
                f"select count(*) from {quote(relation.source_schema)}.{quote(relation.name)}"
            ).fetchone()[0]
            if rows != relation.row_count:
                raise PublishError(f"{relation.serving_name}: {rows} rows in the new file, "
                                   f"{relation.row_count} copied")
    except duckdb.Error as error:
        raise PublishError(f"the new serving file failed its check: {error}") from error
    finally:
        connection.close()
