#!/usr/bin/env python
"""Measure receipt-lookup latency on a built warehouse, from one warm DuckDB connection.

Targets (issue "Customers"): at scale 10, an exact lookup
(store + date) p95 < 10 ms and a fuzzy lookup (typo'd store, date +-2 days, amount +-$10)
p95 < 200 ms. Lookups are drawn from the warehouse's own receipts with a fixed seed; each
query runs --warmup times unmeasured, then --iterations times measured. Nothing is written:
the connection is read-only and the audit trail is not touched (the script's audit insert is
timed separately by the `audit_insert` row, on an in-memory copy of the table).

Example (scale 10):
  python scripts/generate_data.py --scale 10 --seed 42 --out data/bench10/raw --truth-out data/bench10/truth
  CX_RAW_DIR=data/bench10/raw CX_WAREHOUSE_PATH=data/bench10/warehouse.duckdb dbt build --target ci
  python scripts/benchmark_lookups.py --warehouse data/bench10/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import lookup  # noqa: E402

TARGETS_MS = {"exact_store_date": 10.0, "fuzzy_store_date_amount": 200.0}


def typo(name: str, rng: random.Random) -> str:
    """One random edit inside the name: drop, double or swap a letter."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1:]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[index]


def measure(run: Callable[[Any], Any], cases: list[Any], warmup: int) -> tuple[list[float], int]:
    for case in cases[:warmup]:
        run(case)
    timings, rows = [], 0
    for case in cases:
        started = time.perf_counter()
        result = run(case)
        timings.append((time.perf_counter() - started) * 1000)
        rows += len(result)
    return timings, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path,
                        default=Path(os.environ.get("CX_WAREHOUSE_PATH",
                                                    REPO / "data" / "warehouse.duckdb")),
                        help="DuckDB file (default: $CX_WAREHOUSE_PATH or data/warehouse.duckdb)")
    parser.add_argument("--iterations", type=int, default=200, help="lookups per kind (200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured lookups first (20)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the drawn lookups (42)")
    parser.add_argument("--semantic", action="store_true",
                        help="also time semantic product search (needs the embeddings extra)")
    parser.add_argument("--json-out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        parser.error(f"no warehouse at {args.warehouse}; build one first (see --help)")

    import duckdb

    con = duckdb.connect(str(args.warehouse), read_only=True)
    rng = random.Random(args.seed)
    receipts = con.execute(
        "select receipt_id, store_id, store_name, transaction_date, total, card_last4 "
        "from marts.fct_receipts order by receipt_id"
    ).fetchall()
    sample = [receipts[rng.randrange(len(receipts))] for _ in range(args.iterations)]
    receipt_count = len(receipts)
    store_count = con.execute("select count(*) from marts.dim_stores").fetchall()[0][0]

    def exact(case):
        return con.execute(
            "select receipt_id, transaction_local_at, total, payment_method, card_last4 "
            "from marts.fct_receipts where store_name = ? and transaction_date = ?",
            [case[2], case[3]],
        ).fetchall()

    fuzzy_cases = [
        lookup.Criteria(store=typo(case[2], rng),
                        on_date=case[3] + dt.timedelta(days=rng.randint(-2, 2)),
                        amount=case[4] + Decimal(rng.randint(-800, 800)) / 100)
        for case in sample
    ]
    words_cases = [
        lookup.Criteria(store=typo(case[2], rng), on_date=case[3], product_words=word)
        for case, word in zip(sample, rng.choices(
            ["cheese", "brie", "sourdough", "wine", "chiken", "coffee", "gruyere"],
            k=len(sample)))
    ]
    rows = []
    for name, run, cases in [
        ("exact_store_date", exact, sample),
        ("fuzzy_store_date_amount", lambda c: lookup.find_receipts(con, c), fuzzy_cases),
        ("fuzzy_store_date_words", lambda c: lookup.find_receipts(con, c), words_cases),
    ]:
        timings, results = measure(run, cases, args.warmup)
        rows.append({"lookup": name, "n": len(timings),
                     "p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95),
                     "max_ms": max(timings), "mean_rows": results / len(timings),
                     "target_p95_ms": TARGETS_MS.get(name)})

    # The script's one write: the audit insert, timed on an in-memory table of the same shape.
    audit = duckdb.connect()
    lookup.ensure_audit_table(audit)
    criteria = fuzzy_cases[0]
    result = lookup.find_receipts(con, criteria)
    timings, _ = measure(
        lambda c: [lookup.record_lookup(audit, user_name="benchmark", criteria=c,
                                        results=result, duration_ms=1.0)], fuzzy_cases,
        args.warmup)
    rows.append({"lookup": "audit_insert", "n": len(timings),
                 "p50_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95),
                 "max_ms": max(timings), "mean_rows": 1.0, "target_p95_ms": None})

    if args.semantic:
        from cx_warehouse import embeddings

        available, why = embeddings.availability()
        if not available:
            print(f"semantic search skipped: {why}", file=sys.stderr)
        else:
            queries = ["fancy cheese", "red wine", "something for breakfast", "roast chicken",
                       "sparkling water", "crusty bread"]
            started = time.perf_counter()
            embeddings.load_model()
            load_ms = (time.perf_counter() - started) * 1000
            cases = [queries[i % len(queries)] for i in range(min(args.iterations, 60))]
            timings, found = measure(lambda q: embeddings.search_products(con, q), cases,
                                     min(args.warmup, 5))
            rows.append({"lookup": "semantic_product_search", "n": len(timings),
                         "p50_ms": statistics.median(timings),
                         "p95_ms": percentile(timings, 0.95), "max_ms": max(timings),
                         "mean_rows": found / len(timings), "target_p95_ms": None,
                         "model_load_ms": load_ms})
    con.close()

    print(f"warehouse {args.warehouse}: {receipt_count:,} receipts, {store_count} stores; "
          f"{args.iterations} lookups per kind after {args.warmup} warm-up, seed {args.seed}")
    header = f"{'lookup':26} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} " \
             f"{'rows':>6} {'target':>8}  ok"
    print(header)
    print("-" * len(header))
    failed = False
    for row in rows:
        target = row["target_p95_ms"]
        ok = "" if target is None else ("yes" if row["p95_ms"] < target else "NO")
        failed |= ok == "NO"
        print(f"{row['lookup']:26} {row['n']:>5} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} "
              f"{row['max_ms']:>8.2f} {row['mean_rows']:>6.1f} "
              f"{'' if target is None else f'< {target:g}':>8}  {ok}")
    if args.json_out:
        args.json_out.write_text(json.dumps({"warehouse": str(args.warehouse),
                                             "receipts": receipt_count, "results": rows},
                                            indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
