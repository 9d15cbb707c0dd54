#!/usr/bin/env python
"""Publish the warehouse's public schemas to the read-only serving file BI tools open.

Examples:
  python scripts/publish.py                  # $CX_WAREHOUSE_PATH -> $CX_SERVING_PATH
  python scripts/publish.py --warehouse data/warehouse.duckdb --serving data/serving.duckdb
  python scripts/publish.py --storage-version v1.5.0   # a file only DuckDB >= 1.5 reads

dbt builds into its private file; this copies the schemas marts, reference and audit (never
restricted, quarantine, staging or intermediate) into a new file next to the serving file,
checkpoints and checks it, and swaps it in with one atomic rename, so a reader opening the
serving file read-only sees the old or the new version, never a half-written one. The private
warehouse is opened read-only. `make build` runs this as its last step; `make publish` runs it
alone. It refuses to publish a warehouse whose `make build` was interrupted (--force overrides).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402
from cx_warehouse import publish  # noqa: E402


def default_path(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else REPO / "data" / fallback


def default_target_dir() -> Path:
    value = os.environ.get("DBT_TARGET_PATH")
    return Path(value) if value else REPO / "target"


def build_parser() -> argparse.ArgumentParser:
    parser = cli.Parser(
        prog="publish", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--warehouse", type=Path, default=None,
                        help="the private DuckDB file dbt builds (default: $CX_WAREHOUSE_PATH "
                             "or data/warehouse.duckdb)")
    parser.add_argument("--serving", type=Path, default=None,
                        help="the serving file BI tools read (default: $CX_SERVING_PATH or "
                             "data/serving.duckdb)")
    parser.add_argument("--schemas", nargs="+", default=list(publish.PUBLIC_SCHEMAS),
                        help="schemas to publish (default: %(default)s); private schemas are "
                             "refused")
    parser.add_argument("--target-dir", type=cli.existing_dir, default=None,
                        help="dbt's target folder, for the invocation id recorded in "
                             "serving_info (default: $DBT_TARGET_PATH or target/)")
    parser.add_argument("--storage-version", default=None,
                        help="DuckDB storage format of the serving file, e.g. v1.4.0 (read by "
                             "DuckDB 1.4 and newer) or latest (default: "
                             f"${publish.STORAGE_VERSION_VARIABLE} or "
                             f"{publish.DEFAULT_STORAGE_VERSION})")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                        help="the engine that built the warehouse: duckdb (the DuckDB file "
                             "--warehouse) or spark (the Parquet tables of the Spark build under "
                             "--spark-dir, exported to <warehouse>.spark.duckdb first; "
                             "cx_warehouse/spark_publish.py) (default: duckdb)")
    parser.add_argument("--spark-dir", type=Path, default=None,
                        help="the Spark build's folder with --engine spark (default: "
                             "$CX_SPARK_DIR, else spark/ beside the warehouse path)")
    parser.add_argument("--force", action="store_true",
                        help="publish even though the last `make build` did not finish")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    warehouse = args.warehouse or default_path("CX_WAREHOUSE_PATH", "warehouse.duckdb")
    serving = args.serving or default_path("CX_SERVING_PATH", "serving.duckdb")
    log = (lambda line: None) if args.quiet else (lambda line: print(line, flush=True))
    log(f"publishing {', '.join(args.schemas)} of {warehouse} to {serving}")
    try:
        if args.engine == "spark":
            from cx_warehouse import spark_publish

            spark_dir = (args.spark_dir or (Path(os.environ["CX_SPARK_DIR"])
                         if os.environ.get("CX_SPARK_DIR") else warehouse.parent / "spark"))
            result = spark_publish.publish_spark(
                warehouse, serving, spark_dir=spark_dir,
                target_dir=args.target_dir or default_target_dir(), force=args.force,
                storage_version=args.storage_version, log=log)
        else:
            result = publish.publish(warehouse, serving, schemas=args.schemas,
                                     target_dir=args.target_dir or default_target_dir(),
                                     force=args.force,
                                     storage_version=args.storage_version, log=log)
    except publish.PublishError as error:
        return cli.fail("publish", str(error), 1)
    macros = len(result.relations) - result.table_count
    print(f"published {result.table_count} tables ({result.row_count:,} rows) and {macros} "
          f"table macro(s) to {result.serving} in {result.seconds:.1f} s, storage version "
          f"{result.storage_version} (DuckDB >= {result.min_client_version} reads it) "
          f"(published_at {result.published_at:%Y-%m-%d %H:%M:%S} UTC)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
