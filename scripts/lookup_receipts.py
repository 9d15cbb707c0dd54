#!/usr/bin/env python
"""Find a customer's receipt from what they remember, and log the lookup for compliance.

Examples:
  python scripts/lookup_receipts.py --store Shadysde --date 2026-03-10 --amount 40
  python scripts/lookup_receipts.py --store lakeveiw --date 2026-03-11 --words "brie"
  python scripts/lookup_receipts.py --store Lakeview --date 2026-03-07 --product "fancy cheese"
  python scripts/lookup_receipts.py --card 0884 --date 2026-03-08 --user maria.cs

(The examples find receipts in the default dataset, scale 1 seed 42.)

Ranking (the warehouse's table macro marts.lookup_receipts, the same BI tools call): a
weighted geometric mean over the criteria given of the store evidence (similarity relative to
the best-matching store), closeness of the date and of the amount (a total right to the cent
counts most) and the share of product words matched (weights: the lookup_*_weight vars of
dbt_project.yml). --card is an exact filter. When more receipts fit than are shown, the script
says which criterion would narrow them. --product searches products by meaning (the optional
semantic search: `make install-embeddings`, then `make build`).

Every lookup is appended to audit.receipt_lookups in the warehouse (who, when, criteria,
result count, the receipt and customer ids shown) before the results are printed; a lookup
that cannot be logged is not shown. The warehouse is opened read-write for that, so it fails
while another process (a running `dbt build`) holds the file.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli, lookup  # noqa: E402

PROG = "lookup_receipts"

TABLE_COLUMNS = ("lookup_rank", "receipt_id", "store_name", "transaction_local_at", "total",
                 "payment_method", "card_last4", "item_count", "categories", "matched_products",
                 "lookup_score")


def default_warehouse() -> Path:
    env = os.environ.get("CX_WAREHOUSE_PATH")
    return Path(env) if env else REPO / "data" / "warehouse.duckdb"


def parse_card(text: str) -> str:
    digits = text.strip()
    if len(digits) != 4 or not digits.isdigit():
        raise argparse.ArgumentTypeError(
            f"{text!r}: give only the last 4 digits of the card, e.g. 4242"
        )
    return digits


def build_parser() -> argparse.ArgumentParser:
    parser = cli.Parser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    what = parser.add_argument_group("what the customer remembers (give at least one)")
    what.add_argument("--store", help="store name, typos allowed (e.g. Shadysde)")
    what.add_argument("--date", type=cli.date, help="approximate day, YYYY-MM-DD")
    what.add_argument("--amount", type=cli.amount, help="approximate total, e.g. 40")
    what.add_argument("--card", type=parse_card, help="last 4 digits of the card paid with")
    what.add_argument("--words", help="words for what was bought, matched to product names "
                                      "and categories (e.g. 'brie baguette')")
    what.add_argument("--product", help="describe what was bought, matched by meaning "
                                        "(e.g. 'fancy cheese'; needs the optional semantic "
                                        "search: `make install-embeddings`, then `make build`)")
    how = parser.add_argument_group("tolerances and output")
    how.add_argument("--days", type=cli.integer(0, 366, example=2), default=lookup.DEFAULT_DAYS,
                     help=f"date tolerance in days (default {lookup.DEFAULT_DAYS})")
    how.add_argument("--amount-window", type=cli.amount, default=lookup.DEFAULT_AMOUNT_WINDOW,
                     help="amount tolerance in currency units "
                          f"(default {lookup.DEFAULT_AMOUNT_WINDOW})")
    how.add_argument("--limit", type=cli.integer(1, 1000, example=20),
                     default=lookup.DEFAULT_MAX_RESULTS,
                     help=f"most receipts shown (default {lookup.DEFAULT_MAX_RESULTS})")
    how.add_argument("--json", action="store_true", help="print JSON instead of a table")
    who = parser.add_argument_group("audit")
    who.add_argument("--user", help="who is looking (default: the operating-system user)")
    who.add_argument("--warehouse", type=Path, default=None,
                     help="DuckDB file (default: $CX_WAREHOUSE_PATH or data/warehouse.duckdb)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    criteria = lookup.Criteria(
        store=args.store, on_date=args.date, amount=args.amount, card_last4=args.card,
        product_words=args.words, product_query=args.product, days=args.days,
        amount_window=args.amount_window, max_results=args.limit,
    )
    if criteria.is_empty():
        return cli.fail(PROG, "give at least one of --store, --date, --amount, --card, --words, "
                              "--product (see --help)")
    for option, text in (("--store", args.store), ("--words", args.words),
                         ("--product", args.product), ("--user", args.user)):
        if text is not None and not text.strip():
            return cli.fail(PROG, f"argument {option}: is empty; give a value or leave "
                                  f"{option} out")
    warehouse = args.warehouse or default_warehouse()
    if not warehouse.is_file():
        return cli.fail(PROG, f"argument --warehouse: no warehouse at {warehouse}; build it "
                              "with `make build` or point --warehouse / CX_WAREHOUSE_PATH at one")
    user = args.user or getpass.getuser()

    import duckdb

    try:
        connection = duckdb.connect(str(warehouse))
    except duckdb.Error as error:
        return cli.fail(PROG, f"cannot open {warehouse} for writing the audit trail "
                              f"({str(error).splitlines()[0]}); is another process (e.g. dbt "
                              "build) using it? Try again when it has finished", 1)
    try:
        if args.store:
            closest = lookup.store_similarities(connection, args.store)
            if not closest or closest[0][1] < lookup.min_store_similarity():
                names = ", ".join(repr(name) for name, _ in closest) or "none"
                return cli.fail(PROG, f"argument --store: no store is named like "
                                      f"{args.store!r}; the closest are {names}: give one of "
                                      "them, or leave --store out")
        products = []
        if args.product:
            try:
                products = lookup.semantic_product_ids(connection, args.product)
            except RuntimeError as error:
                return cli.fail(PROG, f"argument --product: {error}", 3)
            criteria = lookup.Criteria(**{
                **{name: getattr(criteria, name) for name in criteria.__dataclass_fields__},
                "semantic_product_ids": tuple(row["product_id"] for row in products),
            })
        results, duration_ms = lookup.timed_lookup(connection, criteria)
        hints = lookup.narrowing_hints(connection, criteria, results)
        lookup_id = lookup.record_lookup(
            connection, user_name=user, criteria=criteria, results=results,
            duration_ms=duration_ms,
        )
    finally:
        connection.close()

    if args.json:
        print(json.dumps({"lookup_id": lookup_id, "user": user, "products": products,
                          "receipts": results, "hints": hints}, default=str, indent=2))
        return 0
    if args.product:
        names = ", ".join(row["product_name"] for row in products[:8])
        more = f" and {len(products) - 8} more" if len(products) > 8 else ""
        print(f"Products like {args.product!r}: {names or 'none'}{more}\n")
    if results:
        print(lookup.format_table(results, TABLE_COLUMNS))
    else:
        print("No receipt matches; widen --days or --amount-window, or drop a criterion.")
    for hint in hints:
        print(f"\n{hint}.")
    print(f"\n{len(results)} receipt(s) in {duration_ms:.0f} ms; logged as lookup {lookup_id} "
          f"for {user} in {lookup.AUDIT_TABLE}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
