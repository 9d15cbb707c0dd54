"""The warehouse on Apache Spark (make test-spark; README, "Running on Spark").

- Parity: one dataset (scale 0.1, seed 42) built by the recipe on DuckDB (target ci) and on
  Spark (target spark, local[2]); the Spark build is published through
  cx_warehouse.spark_publish (its Parquet tables read by DuckDB), and every mart is compared
  with the DuckDB build's by primary key: the same keys, equal strings, integers, booleans,
  dates and timestamps, numbers within 1e-9 relative.
- The loopback cluster: scripts/spark_cluster.py starts a standalone master and worker on
  127.0.0.1, and a selection of the project (seeds and the support staging) is built against it
  through CX_SPARK_MASTER; its rows equal the DuckDB build's.

Both need the spark extra (make install-spark) and Java 17; they are skipped without pyspark.
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("pyspark")
pytest.importorskip("dbt.adapters.spark")

from cx_warehouse import build as recipe  # noqa: E402
from cx_warehouse import spark_publish  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SCALE, SEED = 0.1, 42
RELATIVE_TOLERANCE = 1e-9
pytestmark = pytest.mark.spark


def build_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, DBT_LOG_PATH=str(tmp / "logs"), PYTHONPATH=str(REPO))
    env.pop("CX_PII_SALT", None)  # both builds hash with the development salt
    env.pop("CX_SPARK_MASTER", None)
    return env


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("spark_parity")
    raw, truth = root / "raw", root / "truth"
    env = build_env(root)
    recipe.generate(raw, truth, SCALE, SEED)
    duck = recipe.build(raw, root / "duckdb" / "warehouse.duckdb", target="ci",
                        target_path=root / "duckdb" / "target", echo=False, base_env=env,
                        dbt_log_path=root / "duckdb" / "logs")
    assert duck.returncode == 0
    spark_env = dict(env, CX_SPARK_DIR=str(root / "spark" / "spark"))
    spark_build = recipe.build(raw, root / "spark" / "warehouse.duckdb", target="spark",
                               target_path=root / "spark" / "target", echo=False,
                               base_env=spark_env, development_salt=True,
                               dbt_log_path=root / "spark" / "logs")
    assert spark_build.returncode == 0, "the Spark build failed; see its build.log"
    export = spark_publish.export_path(root / "spark" / "warehouse.duckdb")
    spark_publish.export_to_duckdb(root / "spark" / "spark", export, log=lambda line: None)
    return {"duckdb": root / "duckdb" / "warehouse.duckdb", "spark": export,
            "manifest": root / "duckdb" / "target" / "manifest.json"}


def mart_primary_keys(manifest_path: Path) -> dict[str, list[str]]:
    """Each mart table's primary key: the column(s) of its unique (or unique-combination) test."""
    manifest = json.loads(manifest_path.read_text())
    marts = {node["unique_id"]: node["name"] for node in manifest["nodes"].values()
             if node["resource_type"] == "model" and node["schema"] == "marts"
             and node["config"]["materialized"] in ("table", "incremental", "view")}
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node") in marts:
            continue
        metadata = node.get("test_metadata") or {}
        name = marts[node["attached_node"]]
        if metadata.get("name") == "unique" and node.get("column_name"):
            keys.setdefault(name, [node["column_name"]])
        elif metadata.get("name") == "unique_combination_of_columns":
            keys[name] = list(metadata["kwargs"]["combination_of_columns"])
    missing = sorted(set(marts.values()) - set(keys))
    assert not missing, f"marts without a primary-key test: {missing}"
    return keys


def differences(connection: duckdb.DuckDBPyConnection, table: str, key: list[str]) -> list[str]:
    """What differs in marts.<table> between the DuckDB build (d) and the Spark build (s)."""
    columns = connection.execute(
        "select column_name, data_type from duckdb_columns() where database_name = 'd' "
        "and schema_name = 'marts' and table_name = ? order by column_index", [table]).fetchall()
    spark_columns = {name for (name,) in connection.execute(
        "select column_name from duckdb_columns() where database_name = 's' "
        "and schema_name = 'marts' and table_name = ?", [table]).fetchall()}
    problems = [f"{table}: column {name} missing on Spark" for name, _ in columns
                if name not in spark_columns]
    if problems:
        return problems
    join = " and ".join(f'd."{column}" is not distinct from s."{column}"' for column in key)
    missing = connection.execute(
        f"select count(*) from d.marts.{table} d anti join s.marts.{table} s on {join}"
    ).fetchone()[0]
    extra = connection.execute(
        f"select count(*) from s.marts.{table} s anti join d.marts.{table} d on {join}"
    ).fetchone()[0]
    if missing or extra:
        problems.append(f"{table}: {missing} DuckDB keys not on Spark, {extra} Spark keys not "
                        "on DuckDB")
    for name, data_type in columns:
        if name in key:
            continue
        quoted = f'"{name}"'
        if "[]" in data_type or data_type.startswith(("STRUCT", "MAP")):
            differs = f"cast(d.{quoted} as varchar) is distinct from cast(s.{quoted} as varchar)"
        elif data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
            differs = (f"not (d.{quoted} is null and s.{quoted} is null) and (d.{quoted} is null "
                       f"or s.{quoted} is null or abs(cast(d.{quoted} as double) - "
                       f"cast(s.{quoted} as double)) > {RELATIVE_TOLERANCE} * greatest("
                       f"abs(cast(d.{quoted} as double)), abs(cast(s.{quoted} as double)), "
                       "1e-300))")
        else:
            differs = f"d.{quoted} is distinct from cast(s.{quoted} as {data_type})"
        count, example = connection.execute(
            f"select count(*), any_value(struct_pack({', '.join(f'k{i} := d.{k}' for i, k in enumerate(key))}, "
            f"duckdb := d.{quoted}, spark := s.{quoted})) "
            f"from d.marts.{table} d join s.marts.{table} s on {join} where {differs}"
        ).fetchone()
        if count:
            problems.append(f"{table}.{name} ({data_type}): {count} rows differ, e.g. {example}")
    return problems


@pytest.mark.spark_parity
def test_every_mart_is_the_same_on_spark(builds) -> None:
    keys = mart_primary_keys(builds["manifest"])
    connection = duckdb.connect()
    connection.execute(f"attach '{builds['duckdb']}' as d (read_only)")
    connection.execute(f"attach '{builds['spark']}' as s (read_only)")
    spark_tables = {name for (name,) in connection.execute(
        "select table_name from duckdb_tables() where database_name = 's' "
        "and schema_name = 'marts'").fetchall()}
    problems = [f"{table}: not built on Spark" for table in sorted(keys)
                if table not in spark_tables]
    for table in sorted(set(keys) & spark_tables):
        problems.extend(differences(connection, table, keys[table]))
    compared = len(set(keys) & spark_tables)
    assert compared > 0
    assert not problems, f"{len(problems)} difference(s) over {compared} marts:\n" + "\n".join(
        problems)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_build_runs_on_the_loopback_cluster(tmp_path) -> None:
    """Two staging models and their tests built on a standalone master + worker on 127.0.0.1."""
    raw, truth = tmp_path / "raw", tmp_path / "truth"
    recipe.generate(raw, truth, SCALE, SEED)
    cluster_dir = tmp_path / "spark"
    port = free_port()
    script = [sys.executable, str(REPO / "scripts" / "spark_cluster.py")]
    started = subprocess.run([*script, "start", "--dir", str(cluster_dir), "--port", str(port),
                              "--web-port", str(free_port()), "--cores", "1", "--memory", "1g"],
                             capture_output=True, text=True, timeout=300)
    try:
        assert started.returncode == 0, started.stderr
        master = started.stdout.strip().splitlines()[-1]
        assert master == f"spark://127.0.0.1:{port}"
        status = subprocess.run([*script, "status", "--dir", str(cluster_dir)],
                                capture_output=True, text=True)
        assert status.returncode == 0 and master in status.stdout
        env = dict(build_env(tmp_path), CX_SPARK_MASTER=master, CX_SPARK_DIR=str(cluster_dir),
                   CX_RAW_DIR=str(raw), CX_WAREHOUSE_PATH=str(tmp_path / "w.duckdb"),
                   DBT_PROJECT_DIR=str(REPO), DBT_PROFILES_DIR=str(REPO), DO_NOT_TRACK="1",
                   CX_SPARK_EXECUTOR_MEMORY="512m")
        result = subprocess.run(
            [sys.executable, "-m", "cx_warehouse.spark_runner", "build", "--target", "spark",
             "--target-path", str(tmp_path / "target"), "--indirect-selection", "cautious",
             "--select", "stg_support__companies", "stg_support__agents"],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=1800)
        assert result.returncode == 0, result.stdout[-3000:]
        # The application ran on the cluster's worker: it wrote an executor folder there.
        assert any((cluster_dir / "work").glob("app-*/*")), "no executor ran on the worker"
        # Its models and their data tests ran there, and every one passed.
        results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
        statuses = {result["unique_id"]: result["status"] for result in results}
        assert {"model.cx_warehouse.stg_support__companies",
                "model.cx_warehouse.stg_support__agents"} <= set(statuses)
        tests = [status for unique_id, status in statuses.items() if unique_id.startswith("test.")]
        assert tests and set(statuses.values()) <= {"success", "pass"}, statuses
    finally:
        subprocess.run([*script, "stop", "--dir", str(cluster_dir)], capture_output=True)
    assert subprocess.run([*script, "status", "--dir", str(cluster_dir)],
                          capture_output=True).returncode == 1
