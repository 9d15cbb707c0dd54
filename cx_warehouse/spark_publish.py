"""Publish a Spark build into the same DuckDB serving file BI tools read (make publish TARGET=spark).

A Spark build writes each table as Parquet files under its warehouse folder
(`<CX_SPARK_DIR>/warehouse/<schema>.db/<table>/part-*.parquet`, spark_runner.spark_conf). This
module reads those files with DuckDB, without starting Spark:

1. `export_to_duckdb`: every table of the public schemas (marts, reference, audit) becomes a
   table of the same schema and name in a DuckDB file beside the warehouse path
   (`<warehouse>.spark.duckdb`). Spark's timestamps are instants (Parquet isAdjustedToUTC), which
   DuckDB reads as TIMESTAMP WITH TIME ZONE; in marts and reference they become the UTC
   wall-clock TIMESTAMP the DuckDB build's contracts declare.
2. The receipt-lookup table macro (`marts.lookup_receipts`, a DuckDB table function with no Spark
   equivalent) is created in that file by `dbt run --select lookup_receipts` on a DuckDB target,
   and the two run-log rows that run appends are removed (they describe the publish, not the
   build).
3. `cx_warehouse.publish.publish` copies that file into the serving file exactly as after a
   DuckDB build: same schemas, sort order, indexes, `serving_info` and `serving_tables`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import duckdb

from cx_warehouse import publish as publishing

REPO = Path(__file__).resolve().parents[1]


def export_path(warehouse: Path) -> Path:
    """The DuckDB file a Spark build is exported into before publishing."""
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + ".spark.duckdb")


def spark_tables(spark_dir: Path, schemas: tuple[str, ...]) -> list[tuple[str, str, Path]]:
    """(schema, table, folder) of every table a Spark build wrote in `schemas`."""
    found = []
    for schema in schemas:
        folder = Path(spark_dir) / "warehouse" / f"{schema}.db"
        if not folder.is_dir():
            continue
        for table in sorted(folder.iterdir()):
            if table.is_dir() and any(table.glob("*.parquet")):
                found.append((schema, table.name, table))
    return found


def export_to_duckdb(spark_dir: Path, target: Path,
                     schemas: tuple[str, ...] = publishing.PUBLIC_SCHEMAS,
                     log: Callable[[str], None] = print) -> int:
    """Step 1: the Spark build's public tables into a new DuckDB file; returns the table count."""
    tables = spark_tables(spark_dir, schemas)
    if not tables:
        raise publishing.PublishError(
            f"no Spark tables under {Path(spark_dir) / 'warehouse'} in schemas "
            f"{', '.join(schemas)}: run `make build TARGET=spark` first, or set CX_SPARK_DIR "
            "to the folder the Spark build wrote")
    for leftover in (target, publishing.wal_path(target)):
        leftover.unlink(missing_ok=True)
    connection = duckdb.connect(str(target))
    try:
        connection.execute("set timezone = 'UTC'")
        for schema in sorted({schema for schema, _, _ in tables}):
            connection.execute(f"create schema {publishing.quote(schema)}")
        for schema, name, folder in tables:
            source = f"read_parquet({publishing.literal(folder / '*.parquet')})"
            columns = connection.execute(f"describe select * from {source}").fetchall()
            select = []
            for column_name, column_type, *_ in columns:
                quoted = publishing.quote(column_name)
                if column_type == "TIMESTAMP WITH TIME ZONE" and schema != "audit":
                    select.append(f"cast(timezone('UTC', {quoted}) as timestamp) as {quoted}")
                else:
                    select.append(quoted)
            connection.execute(
                f"create table {publishing.quote(schema)}.{publishing.quote(name)} as "
                f"select {', '.join(select)} from {source}")
        connection.execute("checkpoint")
    finally:
        connection.close()
    log(f"exported {len(tables)} Spark tables of {', '.join(schemas)} to {target}")
    return len(tables)


def create_table_macros(target: Path, target_dir: Path, log: Callable[[str], None] = print) -> None:
    """Step 2: the DuckDB table macro(s) of marts, by dbt on a DuckDB target, in `target`."""
    env = dict(os.environ, CX_WAREHOUSE_PATH=str(target), DO_NOT_TRACK="1",
               DBT_PROJECT_DIR=os.environ.get("DBT_PROJECT_DIR", str(REPO)),
               DBT_PROFILES_DIR=os.environ.get("DBT_PROFILES_DIR", str(REPO)))
    env.pop("CX_PII_SALT", None)  # the macro hashes nothing; target ci needs no secret salt
    macro_target = Path(target_dir) / "spark_publish"
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [str(dbt), "run", "--select", "config.materialized:table_function", "--target", "ci",
         "--target-path", str(macro_target)], env=env, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise publishing.PublishError("creating the table macros in the export failed: "
                                      + " | ".join(tail))
    try:
        invocation = json.loads((macro_target / "run_results.json").read_text())[
            "metadata"]["invocation_id"]
    except (OSError, ValueError, KeyError):
        invocation = None
    if invocation:
        connection = duckdb.connect(str(target))
        try:
            for table in ("dbt_runs", "dbt_model_runs"):
                connection.execute(f"delete from audit.{table} where invocation_id = ?",
                                   [invocation])
            connection.execute("checkpoint")
        finally:
            connection.close()
    log("created the table macros (lookup_receipts) in the export")


def publish_spark(warehouse: Path, serving: Path, *, spark_dir: Path, target_dir: Path,
                  force: bool = False, storage_version: str | None = None,
                  log: Callable[[str], None] = print) -> publishing.PublishResult:
    """Steps 1-3: export the Spark build, then publish it like a DuckDB build."""
    warehouse = Path(warehouse).resolve()
    marker = publishing.in_progress_marker(warehouse)
    if marker.exists() and not force:
        raise publishing.PublishError(
            f"a `make build TARGET=spark` started and did not finish ({marker} exists); run it "
            "again (or publish it as it is with --force)")
    export = export_path(warehouse)
    export_to_duckdb(Path(spark_dir), export, log=log)
    create_table_macros(export, target_dir, log=log)
    return publishing.publish(export, serving, target_dir=target_dir, force=True,
                              storage_version=storage_version, log=log)
