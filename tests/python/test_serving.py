"""The serving file: BI tools read while dbt writes (issue 6), and crash safety.

Two layers of tests:

* fast ones on a small hand-made warehouse (no dbt): what `cx_warehouse.publish` copies and
  what it never copies (private schemas, not even in the file's free blocks), views and table
  macros working in the serving file, refusals, a reader process that keeps opening the
  serving file while it is republished many times, and a publish killed half-way;
* the helpers of the end-to-end test of a daily run (tests/python/test_incremental.py): the
  real `make build` once per daily load with a reader process looping over the serving file,
  builds killed with SIGKILL at the KILL_POINTS below and a publish killed while it writes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from cx_warehouse import publish

REPO = Path(__file__).resolve().parents[2]

#: A reader, as a BI tool would be: open the serving file read-only, check that every table has
#: the row count the publish recorded (and that the extra checks hold), query again on the same
#: connection a moment later, close. Runs until the stop file appears; prints a JSON summary.
READER = r"""
import json, os, sys, time
import duckdb

serving, stop, extra = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
reads = waits = 0
errors, inconsistent, versions = [], [], []

def check(connection):
    info = connection.execute(
        "select cast(published_at as varchar), table_count, row_count from serving_info"
    ).fetchone()
    tables = connection.execute(
        "select source_schema, relation_name, row_count from serving_tables "
        "where kind <> 'table_macro'").fetchall()
    problems = []
    if len(tables) != info[1]:
        problems.append(f"{len(tables)} tables listed, serving_info says {info[1]}")
    total = 0
    for schema, name, expected in tables:
        found = connection.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
        total += found
        if found != expected:
            problems.append(f"{schema}.{name}: {found} rows, {expected} published")
    if total != info[2]:
        problems.append(f"{total} rows in all, serving_info says {info[2]}")
    for sql in extra:
        if connection.execute(sql).fetchone()[0] is not True:
            problems.append(f"false: {sql}")
    return info[0], problems

while not os.path.exists(stop):
    if not os.path.exists(serving):
        waits += 1
        time.sleep(0.05)
        continue
    try:
        connection = duckdb.connect(serving, read_only=True)
        try:
            for _ in range(2):  # a second query on the same, possibly replaced, file
                version, problems = check(connection)
                reads += 1
                if reads == 1:
                    open(stop + ".ready", "w").close()
                if problems:
                    inconsistent.append([version, problems[:3]])
                if not versions or versions[-1] != version:
                    versions.append(version)
                time.sleep(0.02)
        finally:
            connection.close()
    except Exception as error:  # lock errors, half-written files: all are failures
        errors.append(f"{type(error).__name__}: {error}"[:300])
print(json.dumps({"reads": reads, "waits": waits, "errors": errors[:20],
                  "error_count": len(errors), "inconsistent": inconsistent[:20],
                  "versions": versions}))
"""


class Reader:
    """The READER loop in a child process."""

    def __init__(self, serving: Path, workdir: Path, extra_checks: tuple[str, ...] = ()):
        self.stop = workdir / "reader.stop"
        self.stop.unlink(missing_ok=True)
        Path(f"{self.stop}.ready").unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-c", READER, str(serving), str(self.stop),
             json.dumps(list(extra_checks))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the reader has done its first read."""
        ready, deadline = Path(f"{self.stop}.ready"), time.monotonic() + timeout
        while not ready.exists():
            assert self.process.poll() is None and time.monotonic() < deadline, \
                "the reader never managed a first read"
            time.sleep(0.02)

    def finish(self) -> dict:
        self.stop.touch()
        out, err = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, f"reader crashed:\n{err[-3000:]}"
        return json.loads(out)


def fingerprint(database: Path, relations: list[tuple[str, str]]) -> dict[str, tuple]:
    """Row count and an order-independent checksum of every relation (schema, name) as a
    reader names it; floating-point values are rounded to 6 decimals so that summation order
    cannot change them."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        result = {}
        for schema, name in relations:
            columns = connection.execute(
                f'select column_name, column_type from (describe "{schema}"."{name}")'
            ).fetchall()
            values = []
            for column, data_type in columns:
                quoted = '"' + column.replace('"', '""') + '"'
                if data_type in ("DOUBLE", "FLOAT", "REAL"):
                    values.append(f"round({quoted}, 6)")
                elif data_type in ("DOUBLE[]", "FLOAT[]"):
                    values.append(f"list_transform({quoted}, value -> round(value, 6))")
                else:
                    values.append(quoted)
            result[f"{schema}.{name}"] = connection.execute(
                f"select count(*), coalesce(sum(hash(row({', '.join(values)}))::hugeint), 0) "
                f'from "{schema}"."{name}"'
            ).fetchone()
        return result
    finally:
        connection.close()


# --- a small hand-made warehouse ---------------------------------------------------------------

SECRET = "maria.secret.person@example.com"


def make_warehouse(path: Path, version: int = 1, rows: int = 1000) -> None:
    """Public schemas with a table, a view that reads a private schema and a table macro;
    private schemas holding a raw e-mail address that must never reach the serving file."""
    path.unlink(missing_ok=True)
    connection = duckdb.connect(str(path))
    for schema in ("marts", "reference", "audit", "restricted", "quarantine", "staging",
                   "intermediate"):
        connection.execute(f"create schema {schema}")
    connection.execute(f"create table restricted.vault_people as select '{SECRET}' as email")
    connection.execute(f"create table quarantine.rejected as select '{SECRET}' as raw_record")
    connection.execute(f"create view staging.stg_people as select '{SECRET}' as email")
    connection.execute("create table staging.extract as select 7 as as_of_day")
    connection.execute(
        f"create table marts.fct_orders as select range as order_id, range % 10 as store_id, "
        f"range * 1.5 as amount, {version} as version from range({rows * version})")
    connection.execute("create table marts.dim_stores as select range as store_id, "
                       "'store ' || range as store_name from range(10)")
    # Like rpt_human_review_queue: a view over marts that also reads a private schema.
    connection.execute(
        "create view marts.rpt_store_totals as select store_id, sum(amount) as amount, "
        "(select as_of_day from staging.extract) as as_of_day from marts.fct_orders group by 1")
    connection.execute(
        "create macro marts.lookup_orders(store := null, min_amount := 0, max_results := 5) "
        "as table select order_id, amount from marts.fct_orders join marts.dim_stores "
        "using (store_id) where (store is null or store_name = store) and amount >= min_amount "
        "order by order_id limit max_results")
    connection.execute("create table reference.holidays as select date '2026-01-01' as day")
    connection.execute("create table audit.receipt_lookups as select 'x' as lookup_id limit 0")
    connection.close()


def test_publish_copies_public_schemas_views_and_macros(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse)
    lines: list[str] = []
    result = publish.publish(warehouse, serving, log=lines.append)

    assert serving.exists() and not publish.temp_path(serving).exists()
    assert not publish.wal_path(serving).exists()
    assert not os.access(serving, os.W_OK) or os.geteuid() == 0  # read-only file mode
    assert oct(serving.stat().st_mode & 0o777) == "0o444"
    published = {(relation.source_schema, relation.name): relation.kind
                 for relation in result.relations}
    assert published == {
        ("audit", "receipt_lookups"): "table", ("marts", "dim_stores"): "table",
        ("marts", "fct_orders"): "table", ("marts", "rpt_store_totals"): "view",
        ("reference", "holidays"): "table", ("marts", "lookup_orders"): "table_macro",
    }
    assert any("fct_orders" in line and "1,000 rows" in line for line in lines)

    connection = duckdb.connect(str(serving), read_only=True)
    try:
        # Every public schema keeps its name; the catalog is the file's (`serving`).
        assert connection.execute("select current_database()").fetchone()[0] == "serving"
        assert connection.execute("select count(*), sum(amount) from marts.fct_orders"
                                  ).fetchone() == (1000, pytest.approx(sum(range(1000)) * 1.5))
        view_rows = connection.execute(
            "select count(*), max(as_of_day) from marts.rpt_store_totals").fetchone()
        assert view_rows == (10, 7)
        assert connection.execute(
            "select list(order_id) from marts.lookup_orders(store := 'store 3', "
            "min_amount := 100)").fetchone()[0] == [73, 83, 93, 103, 113]
        assert len(connection.execute("select * from marts.lookup_orders()").fetchall()) == 5
        assert connection.execute("select count(*) from reference.holidays").fetchone()[0] == 1
        schemas = {row[0] for row in connection.execute(
            "select schema_name from duckdb_schemas() where schema_name not in "
            "('information_schema', 'pg_catalog')").fetchall()}
        assert schemas == {"main", "marts", "reference", "audit"}
        info = connection.execute(
            "select source_file, table_count, row_count, schemas, storage_version, "
            "min_client_version, written_by_duckdb from serving_info").fetchone()
        assert info == ("warehouse.duckdb", 5, 1000 + 10 + 10 + 1,
                        list(publish.PUBLIC_SCHEMAS), publish.DEFAULT_STORAGE_VERSION,
                        publish.min_client_version(publish.DEFAULT_STORAGE_VERSION),
                        duckdb.__version__)
        # The file is in the storage format asked for, which older clients read.
        assert connection.execute(
            "select tags['storage_version'] from duckdb_databases() "
            "where database_name = 'serving'").fetchone()[0].startswith(
            publish.DEFAULT_STORAGE_VERSION)
        # No path of the build machine in the version tables.
        texts = connection.execute(
            "select list(cast(columns(*) as varchar)) from serving_info").fetchone()
        assert not any(str(tmp_path) in str(value) for value in texts)
    finally:
        connection.close()
    # Private data never reaches the file, not even its free blocks.
    assert SECRET.encode() not in serving.read_bytes()


def test_marts_resolve_under_any_file_name_and_alias(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "bi" / "cx-bi.duckdb"
    make_warehouse(warehouse)
    publish.publish(warehouse, serving, log=lambda line: None)
    opened = duckdb.connect(str(serving), read_only=True)
    attached = duckdb.connect()
    attached.execute(f"attach '{serving}' as reporting (read_only)")
    attached.execute("use reporting")
    try:
        for connection in (opened, attached):
            assert connection.execute("select count(*) from marts.fct_orders").fetchone()[0] \
                == 1000
            assert connection.execute(
                "select list(order_id) from marts.lookup_orders(store := 'store 3', "
                "min_amount := 100)").fetchone()[0] == [73, 83, 93, 103, 113]
            assert connection.execute(
                "select serving_schema from serving_tables where relation_name = 'fct_orders'"
            ).fetchone()[0] == "marts"
    finally:
        opened.close()
        attached.close()


@pytest.mark.parametrize("name", ["marts.duckdb", "reference.db", "audit.duckdb",
                                  "main.duckdb", "memory.duckdb"])
def test_publish_refuses_a_file_name_that_clashes_with_a_schema(tmp_path, name):
    warehouse = tmp_path / "warehouse.duckdb"
    make_warehouse(warehouse)
    with pytest.raises(publish.PublishError, match="clashes with the schema.*CX_SERVING_PATH"):
        publish.publish(warehouse, tmp_path / name, log=lambda line: None)
    assert not (tmp_path / name).exists()


def test_storage_version_is_configurable_and_checked(tmp_path, monkeypatch):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse)
    monkeypatch.setenv(publish.STORAGE_VERSION_VARIABLE, "1.5")
    result = publish.publish(warehouse, serving, log=lambda line: None)
    assert (result.storage_version, result.min_client_version) == ("v1.5.0", "1.5.0")
    with duckdb.connect(str(serving), read_only=True) as connection:
        assert connection.execute(
            "select storage_version, min_client_version from serving_info").fetchone() == (
            "v1.5.0", "1.5.0")
    for bad in ("1.x", "v9.9.9"):
        with pytest.raises(publish.PublishError, match="storage version"):
            publish.publish(warehouse, serving, storage_version=bad, log=lambda line: None)
    with duckdb.connect(str(serving), read_only=True) as connection:  # the old one stays
        assert connection.execute("select storage_version from serving_info").fetchone() == (
            "v1.5.0",)


def test_publish_refuses_private_schemas_unfinished_builds_and_missing_files(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse)
    with pytest.raises(publish.PublishError, match="restricted.*private"):
        publish.publish(warehouse, serving, schemas=["marts", "restricted"])
    with pytest.raises(publish.PublishError, match="no warehouse at"):
        publish.publish(tmp_path / "missing.duckdb", serving)
    marker = publish.in_progress_marker(warehouse)
    marker.touch()
    with pytest.raises(publish.PublishError, match="did not finish"):
        publish.publish(warehouse, serving)
    assert not serving.exists()
    # The command line says so and exits non-zero.
    script = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "publish.py"), "--warehouse", str(warehouse),
         "--serving", str(serving)], capture_output=True, text=True, timeout=120)
    assert script.returncode == 1 and "make build" in script.stderr
    publish.publish(warehouse, serving, force=True, log=lambda line: None)
    assert serving.exists()


def test_big_tables_are_sorted_and_indexed(tmp_path, monkeypatch):
    """CLUSTER_KEYS and INDEXES apply to the tables they name; an unknown key is refused."""
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create or replace table marts.fct_orders as select * from "
                           "marts.fct_orders order by amount desc")
    monkeypatch.setitem(publish.CLUSTER_KEYS, ("marts", "fct_orders"), ("store_id", "order_id"))
    monkeypatch.setattr(publish, "INDEXES", (("marts", "fct_orders", "order_id"),))
    publish.publish(warehouse, serving, log=lambda line: None)
    with duckdb.connect(str(serving), read_only=True) as connection:
        stored = connection.execute("select store_id, order_id from marts.fct_orders").fetchall()
        assert stored == sorted(stored)
        assert connection.execute(
            "select count(*) from duckdb_indexes() where table_name = 'fct_orders'"
        ).fetchone()[0] == 1
    monkeypatch.setitem(publish.CLUSTER_KEYS, ("marts", "fct_orders"), ("no_such_column",))
    with pytest.raises(publish.PublishError, match="cannot sort by no_such_column"):
        publish.publish(warehouse, serving, log=lambda line: None)


def test_reader_sees_old_or_new_version_while_republished(tmp_path):
    """Many swaps under a reader that keeps opening the file: no error, no mixed version."""
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse, version=1)
    publish.publish(warehouse, serving, log=lambda line: None)
    reader = Reader(serving, tmp_path, extra_checks=(
        "select count(*) = 1000 * max(version) from marts.fct_orders",
    ))
    reader.wait_ready()
    publishes, started = 0, time.monotonic()
    while publishes < 8 or time.monotonic() - started < 2.0:
        publishes += 1
        make_warehouse(warehouse, version=publishes + 1, rows=1000)
        publish.publish(warehouse, serving, log=lambda line: None)
    time.sleep(0.2)
    summary = reader.finish()
    assert summary["error_count"] == 0, summary["errors"]
    assert summary["inconsistent"] == []
    assert summary["reads"] >= 20
    # Versions only move forward, and the reader saw several of them.
    assert summary["versions"] == sorted(summary["versions"])
    assert len(summary["versions"]) >= 3
    print(f"\nreader: {summary['reads']} reads, {len(summary['versions'])} versions seen "
          f"over {publishes} publishes, 0 errors")


def test_killed_publish_leaves_the_old_serving_file(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    make_warehouse(warehouse, version=1)
    publish.publish(warehouse, serving, log=lambda line: None)
    before = fingerprint(serving, [("marts", "fct_orders")])
    make_warehouse(warehouse, version=1, rows=3_000_000)  # slow enough to be caught writing
    process = subprocess.Popen(
        [sys.executable, str(REPO / "scripts" / "publish.py"), "--warehouse", str(warehouse),
         "--serving", str(serving), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)
    temp = publish.temp_path(serving)
    deadline = time.monotonic() + 60
    while not temp.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    caught = process.poll() is None
    kill_group(process)
    assert caught, "the publish ended before it could be killed while writing"
    assert fingerprint(serving, [("marts", "fct_orders")]) == before
    # The next publish clears what the killed one left and swaps in the new version.
    lines: list[str] = []
    publish.publish(warehouse, serving, log=lines.append)
    assert not temp.exists() and not publish.wal_path(temp).exists()
    connection = duckdb.connect(str(serving), read_only=True)
    try:
        assert connection.execute("select count(*) from marts.fct_orders").fetchone()[0] \
            == 3_000_000
    finally:
        connection.close()


# --- end to end: make build, readers, SIGKILL ------------------------------------------------

PUBLIC_RELATIONS_SQL = (
    "select schema_name, table_name from duckdb_tables() where schema_name in "
    "('marts', 'reference') or (schema_name, table_name) = ('audit', 'source_reconciliation') "
    "union all select schema_name, view_name from duckdb_views() where not internal and "
    "schema_name = 'marts' order by 1, 2"
)


def public_relations(warehouse: Path) -> list[tuple[str, str]]:
    """The marts, the seeds and the row reconciliation (audit logs of runs and lookups grow
    with every build by design, so they are not part of the fingerprint)."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        return connection.execute(PUBLIC_RELATIONS_SQL).fetchall()
    finally:
        connection.close()


def make(target: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("a") as handle:
        handle.write(f"\n===== make {target} at {time.strftime('%H:%M:%S')}\n")
    return subprocess.Popen(["make", "--no-print-directory", target], cwd=REPO, env=env,
                            stdout=log.open("a"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a process group and wait until every thread of every member has exited: the
    children of make are reparented when make dies, and a multi-threaded process (dbt, DuckDB)
    holds its file locks until its last thread is gone, even when its main thread already
    shows as a zombie."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 60
    alive: list[str] = ["?"]
    while alive and time.monotonic() < deadline:
        alive = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != process.pid:
                    continue  # another process group
                states = [task.read_text().rsplit(")", 1)[1].split()[0]
                          for task in stat.parent.glob("task/*/stat")]
            except (OSError, IndexError, ValueError):
                continue  # exited while being read
            if any(state != "Z" for state in states):
                alive.append(stat.parent.name)
        if alive:
            time.sleep(0.05)
    assert not alive, f"processes {alive} of the killed group are still running"


def last_progress(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if " of " in line or "=====" in line]
    return lines[-1].strip()[-120:] if lines else "(nothing logged)"


#: (label, log line to wait for or None, seconds to wait after it) of each killed `make build`.
KILL_POINTS = (
    ("3 s after the start", None, 3.0),
    ("while a table model was being replaced", "START sql table model", 1.0),
    ("while a Python model was writing", "START python table model", 1.0),
)
