#!/usr/bin/env python3
"""Share of chat messages and emails from known customers whose public redacted text still
holds one of the sender's own names (first, middle or last; 3+ letters).

    python scripts/measure_name_redaction.py --warehouse data/ci/warehouse.duckdb \
        --raw-dir data/ci/raw

The names come from the generator's raw customers file (cx_warehouse/redaction_check.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from cx_warehouse import cli
from cx_warehouse.redaction_check import measure


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="measure_name_redaction.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=cli.existing_file, required=True,
                        help="a built warehouse file (read only)")
    parser.add_argument("--raw-dir", type=cli.existing_dir, required=True,
                        help="the raw folder it was built from (customers.parquet)")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        print(f"error: --warehouse {args.warehouse} does not exist; build one first",
              file=sys.stderr)
        return 2
    if not (args.raw_dir / "customers.parquet").is_file():
        print(f"error: --raw-dir {args.raw_dir} has no customers.parquet", file=sys.stderr)
        return 2
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        result = measure(con, args.raw_dir)
    for kind, total in (("chat_messages", result["chat_messages"]),
                        ("emails", result["emails"])):
        left = result[f"{kind}_with_name"]
        print(f"{kind}: {left} of {total} still hold a sender name "
              f"({left / max(total, 1):.4f})")
    print(json.dumps(result["examples"], indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
