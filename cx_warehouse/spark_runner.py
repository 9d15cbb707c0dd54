"""Run dbt on Apache Spark in this process (the `spark` target of profiles.yml).

    python -m cx_warehouse.spark_runner <dbt arguments>      # e.g. build --target spark

Interface (for the recipe, the tests and cx_warehouse.spark_udfs):

- dbt-spark's `session` method calls `SparkSession.builder.getOrCreate()` inside the dbt
  process, so this runner creates the session FIRST, with the project's configuration
  (`spark_conf()`), then runs dbt through `dbt.cli.main.dbtRunner` in the same process; dbt's
  getOrCreate returns that session.
- Environment: CX_SPARK_MASTER (default `local[2]`; `spark://127.0.0.1:7077` for the loopback
  cluster of scripts/spark_cluster.py), CX_SPARK_DIR (default `<project>/data/spark`: the
  Parquet warehouse `warehouse/` and the Derby metastore `metastore_db/` live there),
  CX_SPARK_DRIVER_MEMORY (default 4g), CX_SPARK_EXECUTOR_MEMORY (default 1g),
  CX_SPARK_SHUFFLE_PARTITIONS (default 4).
- After the session exists and before dbt runs, `cx_warehouse.spark_udfs.register(spark)` is
  called when that module exists (it registers the Python steps' vectorised UDFs as session
  functions).
- Executors import `cx_warehouse` from this repository: its folder is on the executors'
  PYTHONPATH (spark.executorEnv.PYTHONPATH) and the session's Python is theirs too.
- Exit status: dbt's (0 success, 1 failures, 2 error); 2 with one line when Spark cannot start.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import sys
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MASTER = "local[2]"


def spark_dir(project_dir: Path | None = None) -> Path:
    """Where the Spark warehouse and metastore live (CX_SPARK_DIR, else data/spark)."""
    base = Path(os.environ.get("DBT_PROJECT_DIR") or project_dir or REPO)
    return Path(os.environ.get("CX_SPARK_DIR") or base / "data" / "spark").resolve()


def spark_conf(directory: Path | None = None, master: str | None = None) -> dict[str, str]:
    """The SparkSession configuration of the project (one place: the runner and the tests)."""
    directory = directory or spark_dir()
    env = os.environ.get
    python_path = os.pathsep.join(p for p in (str(REPO), env("PYTHONPATH", "")) if p)
    derby = f"-Dderby.system.home={directory}"
    return {
        "spark.master": master or env("CX_SPARK_MASTER") or DEFAULT_MASTER,
        "spark.app.name": "cx_warehouse",
        "spark.sql.warehouse.dir": str(directory / "warehouse"),
        "spark.sql.catalogImplementation": "hive",
        "spark.hadoop.javax.jdo.option.ConnectionURL":
            f"jdbc:derby:;databaseName={directory / 'metastore_db'};create=true",
        "spark.driver.extraJavaOptions": f"{derby} -Duser.timezone=UTC",
        "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
        "spark.driver.memory": env("CX_SPARK_DRIVER_MEMORY", "4g"),
        "spark.executor.memory": env("CX_SPARK_EXECUTOR_MEMORY", "1g"),
        "spark.sql.shuffle.partitions": env("CX_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.default.parallelism": env("CX_SPARK_SHUFFLE_PARTITIONS", "4"),
        # Timestamps are UTC everywhere (as DuckDB's TimeZone setting in profiles.yml).
        "spark.sql.session.timeZone": "UTC",
        # DuckDB's semantics for the SQL the project shares: a division by zero or a bad cast
        # is null, not an error (DECISIONS.md, "Running on Spark").
        "spark.sql.ansi.enabled": "false",
        # String literals as DuckDB reads them: a backslash is a character, not an escape.
        "spark.sql.parser.escapedStringLiterals": "true",
        # `(?!col$).+` selects every column but one (star_replace in macros/utils/strings.sql).
        "spark.sql.parser.quotedRegexColumnNames": "true",
        "spark.sql.sources.default": "parquet",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.legacy.createHiveTableByDefault": "false",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.executorEnv.PYTHONPATH": python_path,
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
    }


def create_session(conf: dict[str, str] | None = None):
    """The project's SparkSession (Hive catalog on the local Derby metastore)."""
    from pyspark.sql import SparkSession

    conf = dict(conf or spark_conf())
    Path(conf["spark.sql.warehouse.dir"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def mirror_hidden_raw_files(raw_dir: Path, directory: Path) -> list[Path]:
    """Copy the landing folder's files whose names start with _ or . (the `_extract.json`
    manifests), which Spark's file sources never read, to `<directory>/landing/` under the same
    sub-folders without the leading character (macros/trust/spark_sources.sql reads them
    there). Returns the copies; a stale mirror is replaced."""
    mirror = directory / "landing"
    if mirror.exists():
        shutil.rmtree(mirror)
    copies = []
    candidates = [*raw_dir.glob("[_.]*"), *raw_dir.glob("loads/*/[_.]*")]
    for path in sorted(p for p in candidates if p.is_file()):
        relative = path.relative_to(raw_dir)
        copy = mirror / relative.parent / path.name.lstrip("_.")
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        copies.append(copy)
    return copies


def register_udfs(spark) -> bool:
    """Call cx_warehouse.spark_udfs.register(spark) when that module exists."""
    if importlib.util.find_spec("cx_warehouse.spark_udfs") is None:
        return False
    importlib.import_module("cx_warehouse.spark_udfs").register(spark)
    return True


def run_dbt(arguments: Sequence[str]) -> int:
    """Create the session, register the UDFs, run dbt with `arguments`; dbt's exit status."""
    try:
        from dbt.cli.main import dbtRunner
    except ImportError:
        print("spark_runner: error: dbt-spark is not installed; run `make install-spark`",
              file=sys.stderr)
        return 2
    try:
        spark = create_session()
    except ImportError:
        print("spark_runner: error: pyspark is not installed; run `make install-spark`",
              file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - Py4J/JVM start-up errors have no common base
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"spark_runner: error: Spark did not start ({first}); check java -version (17) "
              "and CX_SPARK_MASTER", file=sys.stderr)
        return 2
    directory = spark_dir()
    os.environ["CX_SPARK_DIR"] = str(directory)
    raw_dir = os.environ.get("CX_RAW_DIR")
    if raw_dir and Path(raw_dir).is_dir():
        mirror_hidden_raw_files(Path(raw_dir), directory)
    register_udfs(spark)
    result = dbtRunner().invoke(list(arguments))
    if result.success:
        return 0
    return 1 if result.exception is None else 2


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if arguments else 2
    return run_dbt(arguments)


if __name__ == "__main__":
    sys.exit(main())
