"""Publish the public schemas of the private warehouse into a read-only serving file.

DuckDB allows one writing process or many readers, never both. dbt therefore builds into its
private file (`CX_WAREHOUSE_PATH`) and BI tools read a separate serving file
(`CX_SERVING_PATH`, default data/marts.duckdb) that this module replaces atomically:

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

Names: a reader that opens data/marts.duckdb gets the catalog `marts`, which would make
`marts.fct_tickets` ambiguous (catalog `marts` or schema `marts`?). A public schema whose name
equals the serving file's catalog name is therefore published into the file's default schema
`main`; `marts.fct_tickets` then resolves to the catalog's default schema, and the same
two-part names as in the warehouse (`marts.fct_tickets`, `reference.holidays`,
`marts.lookup_receipts(...)`) work in the serving file.
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
INFO_TABLE = "serving_info"
TABLES_TABLE = "serving_tables"
#: Suffix of the temp file, which is also hidden: `.marts.duckdb.publishing`.
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
    (leading dots skipped), e.g. data/marts.duckdb -> marts."""
    parts = [part for part in path.name.split(".") if part]
    if not parts:
        raise PublishError(f"{path}: not a usable file name for a DuckDB database")
    return parts[0]


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
    `make build` that is the post-build checks (`dbt test --select tag:post_build`)."""
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
            log: Callable[[str], None] = print) -> PublishResult:
    """Copy `schemas` of the private `warehouse` into a new `serving` file and swap it in.

    Raises PublishError (the serving file is then untouched) when the warehouse is missing,
    a `make build` of it did not finish (unless force), a private schema is asked for, or the
    new file fails its checks.
    """
    started = time.perf_counter()
    warehouse, serving = Path(warehouse).resolve(), Path(serving).resolve()
    forbidden = sorted(set(schemas) & PRIVATE_SCHEMAS)
    if forbidden:
        raise PublishError(f"schemas {forbidden} are private (raw PII or internal layers) and "
                           "are never published; publish only "
                           f"{', '.join(PUBLIC_SCHEMAS)}")
    if not warehouse.is_file():
        raise PublishError(f"no warehouse at {warehouse}: run `make build` first, or point "
                           "--warehouse / CX_WAREHOUSE_PATH at the file dbt builds")
    if serving == warehouse:
        raise PublishError(f"the serving file must not be the warehouse itself ({serving}); "
                           "set CX_SERVING_PATH to another file, e.g. data/marts.duckdb")
    marker = in_progress_marker(warehouse)
    if marker.exists() and not force:
        raise PublishError(
            f"a `make build` of {warehouse} started and did not finish ({marker} exists), so "
            "the warehouse may be half rebuilt and is not published; run `make build` again "
            "(or publish it as it is with --force)"
        )
    serving.parent.mkdir(parents=True, exist_ok=True)
    catalog = catalog_name(serving)
    temp = temp_path(serving)
    if catalog_name(temp) != catalog:  # pragma: no cover - guaranteed by temp_path
        raise PublishError(f"temp file {temp} would open under another catalog name")
    published_at = dt.datetime.now(dt.timezone.utc)
    result = PublishResult(warehouse=warehouse, serving=serving, published_at=published_at)

    with _folder_lock(serving.parent):
        for leftover in (temp, wal_path(temp)):
            if _remove(leftover):
                log(f"removed {leftover.name}, left by an interrupted publish")
        try:
            _write(warehouse, temp, catalog, list(schemas), target_dir, result, log)
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


def _write(warehouse: Path, temp: Path, catalog: str, schemas: list[str],
           target_dir: Path | None, result: PublishResult,
           log: Callable[[str], None]) -> None:
    def serving_schema(schema: str) -> str:
        return "main" if schema == catalog else schema

    # Phase 1, the data. The session's own catalog is in-memory: a catalog named like a schema
    # ("marts") would make the two-part names inside the warehouse's views ambiguous while
    # they are materialised.
    connection = duckdb.connect(":memory:", config={"threads": os.cpu_count() or 2})
    try:
        connection.execute("set timezone = 'UTC'")
        connection.execute(f"attach {literal(warehouse)} as publish_source (read_only)")
        connection.execute(f"attach {literal(temp)} as publish_target")
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
        for schema in sorted({serving_schema(schema) for schema, _, _ in relations}):
            connection.execute(f"create schema if not exists publish_target.{quote(schema)}")
        reserved = {("main", INFO_TABLE), ("main", TABLES_TABLE)}
        for schema, name, kind in relations:
            target = f"publish_target.{quote(serving_schema(schema))}.{quote(name)}"
            if (serving_schema(schema), name) in reserved:
                raise PublishError(f"{schema}.{name} would overwrite the serving file's own "
                                   f"table main.{name}; rename the model")
            # A view is materialised: its SQL may read private schemas (e.g. the landing
            # manifest for as_of_at()), which the serving file does not have.
            connection.execute(f"create table {target} as select * from "
                               f"publish_source.{quote(schema)}.{quote(name)}")
            rows = connection.execute(f"select count(*) from {target}").fetchone()[0]
            result.relations.append(
                PublishedRelation(schema, name, serving_schema(schema), kind, rows))
            log(f"  {schema}.{name:<40} {rows:>10,} rows"
                + ("  (view, materialised)" if kind == "view" else ""))
        statements: dict[tuple[str, str], str] = {}
        if macros:
            with tempfile.TemporaryDirectory(prefix="cx-publish-") as scratch:
                statements = _macro_statements(connection, schemas, Path(scratch))
        connection.execute("detach publish_source")
        connection.execute("checkpoint publish_target")
        connection.execute("detach publish_target")
    finally:
        connection.close()

    # Phase 2, macros and the version tables, in a session that opens the new file directly
    # and so names it as a reader will (catalog `marts` for marts.duckdb). DuckDB binds a table
    # macro's body when it is created, so the body's two-part names (`marts.fct_receipts`) are
    # resolved here exactly as in a reader's session.
    connection = duckdb.connect(str(temp))
    try:
        connection.execute("set timezone = 'UTC'")
        for schema, name in macros:
            statement = statements.get((schema, name))
            if statement is None:
                raise PublishError(f"could not read the definition of macro {schema}.{name}")
            connection.execute(f"create macro {quote(serving_schema(schema))}.{quote(name)} "
                               + statement)
            result.relations.append(
                PublishedRelation(schema, name, serving_schema(schema), "table_macro", None))
            log(f"  {schema}.{name:<40} {'table macro':>15}")
        invocation_id, run_results_at = dbt_invocation(target_dir)
        connection.execute(
            f"create table main.{TABLES_TABLE} (source_schema varchar, relation_name varchar, "
            "serving_schema varchar, kind varchar, row_count bigint)"
        )
        connection.executemany(
            f"insert into main.{TABLES_TABLE} values (?, ?, ?, ?, ?)",
            [(relation.source_schema, relation.name, relation.serving_schema, relation.kind,
              relation.row_count) for relation in result.relations],
        )
        connection.execute(
            f"create table main.{INFO_TABLE} as select cast(? as timestamptz) as published_at, "
            "cast(? as varchar) as source_path, cast(? as varchar) as dbt_invocation_id, "
            "cast(? as varchar) as dbt_run_results_generated_at, "
            "cast(? as integer) as table_count, cast(? as bigint) as row_count, "
            "cast(? as varchar[]) as schemas",
            [result.published_at, str(warehouse), invocation_id, run_results_at,
             result.table_count, result.row_count, schemas],
        )
        connection.execute("checkpoint")
    finally:
        connection.close()
    if wal_path(temp).exists():
        raise PublishError(f"{wal_path(temp)} remained after closing the new serving file; "
                           "not swapping it in")


def _check(temp: Path, result: PublishResult) -> None:
    """Reopen the new file read-only, as a reader will, and check it before the swap."""
    connection = duckdb.connect(str(temp), read_only=True)
    try:
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
