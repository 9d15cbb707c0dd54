#!/usr/bin/env python
"""Measure how fast one customer's 360 row (and one company's scorecard) comes back.

Target: at scale 10, one customer's 360 row in < 10 ms from a warm DuckDB connection (an
agent's screen shows it while the customer waits). Keys are drawn from
the warehouse's own rows with a fixed seed; each query kind runs --warmup lookups unmeasured,
then --iterations measured ones, on one read-only connection (nothing is written).

Example (scale 10; the warehouse is built by the project's build recipe, as make build does):
  python -m cx_warehouse.build --generate --scale 10 --seed 42 --raw-dir data/bench10/raw \
      --truth-dir data/bench10/truth --warehouse data/bench10/warehouse.duckdb --target ci
  python scripts/benchmark_customer360.py --warehouse data/bench10/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402

QUERIES = {
    # name: (SQL with one parameter, SQL listing the keys to draw from, target in ms or None)
    "customer_360_by_customer_id": (
        "select * from marts.dim_customers where customer_id = ?",
        "select customer_id from marts.dim_customers where customer_id is not null",
        10.0,
    ),
    "customer_360_by_identity_id": (
        "select * from marts.dim_customers where customer_identity_id = ?",
        "select customer_identity_id from marts.dim_customers",
        10.0,
    ),
    "company_health_by_company_id": (
        "select * from marts.fct_company_health where company_id = ?",
        "select company_id from marts.fct_company_health",
        None,
    ),
}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[index]


def measure(connection: duckdb.DuckDBPyConnection, sql: str, keys: list[str],
            warmup: int) -> list[float]:
    """Milliseconds per lookup (query + fetch of the whole row) after warmup lookups."""
    timings = []
    for position, key in enumerate(keys):
        started = time.perf_counter()
        rows = connection.execute(sql, [key]).fetchall()
        elapsed = (time.perf_counter() - started) * 1000
        if len(rows) != 1:
            raise SystemExit(f"expected one row for key {key!r}, got {len(rows)}: {sql}")
        if position >= warmup:
            timings.append(elapsed)
    return timings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = cli.Parser(
        prog="benchmark_customer360",
        description="Time one-row customer-360 and company-scorecard lookups on a built "
                    "warehouse (warm, read-only DuckDB connection).")
    parser.add_argument(
        "--warehouse", type=Path,
        default=Path(os.environ.get("CX_WAREHOUSE_PATH", REPO / "data" / "warehouse.duckdb")),
        help="DuckDB file built by dbt (default: $CX_WAREHOUSE_PATH or data/warehouse.duckdb)")
    parser.add_argument("--iterations", type=cli.integer(1, example=200), default=200,
                        help="measured lookups per query kind (default 200)")
    parser.add_argument("--warmup", type=cli.integer(0, example=20), default=20,
                        help="unmeasured lookups first (default 20)")
    parser.add_argument("--seed", type=cli.integer(0, example=42), default=42,
                        help="seed of the key draw (default 42)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.warehouse.exists():
        return cli.fail("benchmark_customer360", f"argument --warehouse: {args.warehouse} "
                        "not found; build it with `make build` or pass --warehouse")
    if args.iterations < 1 or args.warmup < 0:
        print("error: --iterations must be >= 1 and --warmup >= 0", file=sys.stderr)
        return 2
    connection = duckdb.connect(str(args.warehouse), read_only=True)
    rng = random.Random(args.seed)
    results = []
    try:
        for name, (sql, keys_sql, target) in QUERIES.items():
            try:
                population = [key for (key,) in connection.execute(keys_sql).fetchall()]
            except duckdb.Error as error:
                print(f"error: {name}: {error} (is the customer-360 built in "
                      f"{args.warehouse}?)", file=sys.stderr)
                return 2
            if not population:
                print(f"error: {name}: no keys to look up", file=sys.stderr)
                return 2
            keys = [rng.choice(population) for _ in range(args.warmup + args.iterations)]
            timings = measure(connection, sql, keys, args.warmup)
            p95 = percentile(timings, 0.95)
            results.append({
                "query": name, "rows_in_table": len(population), "lookups": len(timings),
                "p50_ms": round(statistics.median(timings), 3), "p95_ms": round(p95, 3),
                "max_ms": round(max(timings), 3), "target_ms": target,
                "meets_target": None if target is None else p95 < target,
            })
    finally:
        connection.close()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        header = f"{'query':30} {'rows':>7} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} " \
                 f"{'max ms':>8} {'target':>8}  verdict"
        print(f"warehouse: {args.warehouse}")
        print(header)
        print("-" * len(header))
        for row in results:
            target = "-" if row["target_ms"] is None else f"< {row['target_ms']:g}"
            verdict = "-" if row["meets_target"] is None else (
                "ok" if row["meets_target"] else "TOO SLOW")
            print(f"{row['query']:30} {row['rows_in_table']:>7} {row['lookups']:>5} "
                  f"{row['p50_ms']:>8.3f} {row['p95_ms']:>8.3f} {row['max_ms']:>8.3f} "
                  f"{target:>8}  {verdict}")
    return 0 if all(row["meets_target"] is not False for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
