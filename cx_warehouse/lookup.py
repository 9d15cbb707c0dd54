"""Receipt lookup for customer-service reps, with a compliance trail.

`find_receipts` runs the warehouse's table macro `marts.lookup_receipts` (built by dbt from
models/marts/retail/lookup_receipts.sql, so BI tools and this module rank receipts the same
way); `semantic_product_ids` turns a description such as "fancy cheese" into product ids with
the offline sentence model (cx_warehouse.embeddings); `record_lookup` appends who looked up
what, when and how many receipts came back to `audit.receipt_lookups`. scripts/lookup_receipts.py
is the command line around them.

The audit table is not a dbt model, so `dbt build` never replaces it: it is created here if
missing and by dbt's on-run-start hook `create_receipt_lookups_audit_table()` with the same
columns (tests/python/test_lookup.py checks they agree).

The lookup's defaults (date and amount tolerances, page size) are the `lookup_default_*` vars
of dbt_project.yml, the same values the table macro is built with; `project_var` reads them.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

#: The dbt project whose vars hold the lookup's and the product search's constants.
PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project.yml"


@lru_cache(maxsize=1)
def _project_vars() -> dict[str, Any]:
    import yaml

    try:
        return yaml.safe_load(PROJECT_FILE.read_text())["vars"]
    except (OSError, KeyError, TypeError) as error:
        raise RuntimeError(
            f"cannot read the vars of {PROJECT_FILE} ({error}): cx_warehouse reads its lookup "
            "constants from the dbt project it ships with; install it from the repository "
            "(pip install -e .)"
        ) from error


def project_var(name: str) -> Any:
    """The value of var `name` in dbt_project.yml (the one place the constant is kept)."""
    variables = _project_vars()
    if name not in variables:
        raise KeyError(f"dbt_project.yml has no var {name!r}")
    return variables[name]


DEFAULT_DAYS: int = int(project_var("lookup_default_days"))
DEFAULT_AMOUNT_WINDOW: Decimal = Decimal(str(project_var("lookup_default_amount_window")))
DEFAULT_MAX_RESULTS: int = int(project_var("lookup_default_max_results"))

AUDIT_TABLE = "audit.receipt_lookups"
#: (column, DuckDB type) of the audit table, in order.
AUDIT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("lookup_id", "VARCHAR"),
    ("user_name", "VARCHAR"),
    ("tool", "VARCHAR"),
    ("criteria", "VARCHAR"),
    ("result_count", "INTEGER"),
    ("receipt_ids", "VARCHAR[]"),
    ("customer_ids", "VARCHAR[]"),
    ("duration_ms", "DOUBLE"),
    ("looked_up_at", "TIMESTAMP WITH TIME ZONE"),
)
TOOL = "scripts/lookup_receipts.py"
RESULT_COLUMNS = (
    "lookup_rank", "receipt_id", "store_name", "city", "transaction_local_at", "total",
    "payment_method", "card_last4", "item_count", "categories", "matched_products",
    "customer_id", "lookup_score", "store_score", "date_score", "amount_score", "product_score",
    "candidate_count",
)


@dataclass(frozen=True)
class Criteria:
    """What the customer remembers. Every field is optional; at least one must be given."""

    store: str | None = None
    on_date: dt.date | None = None
    amount: Decimal | None = None
    card_last4: str | None = None
    product_words: str | None = None
    product_query: str | None = None  # semantic: "fancy cheese"
    days: int = DEFAULT_DAYS
    amount_window: Decimal = DEFAULT_AMOUNT_WINDOW
    max_results: int = DEFAULT_MAX_RESULTS
    semantic_product_ids: tuple[str, ...] = field(default=(), compare=False)

    def is_empty(self) -> bool:
        return not any([self.store, self.on_date, self.amount is not None, self.card_last4,
                        self.product_words, self.product_query])

    def as_json(self) -> str:
        """The criteria as recorded in the audit trail (product ids left out: derived)."""
        values = asdict(self)
        values.pop("semantic_product_ids")
        return json.dumps({key: value for key, value in values.items() if value is not None},
                          default=str, sort_keys=True)


def audit_ddl() -> list[str]:
    columns = ",\n    ".join(f"{name} {kind}" for name, kind in AUDIT_COLUMNS)
    return [
        "create schema if not exists audit",
        f"create table if not exists {AUDIT_TABLE} (\n    {columns}\n)",
    ]


def ensure_audit_table(connection: Any) -> None:
    for statement in audit_ddl():
        connection.execute(statement).fetchall()


def semantic_product_ids(connection: Any, query: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Products matching a description (see cx_warehouse.embeddings.search_products)."""
    from cx_warehouse import embeddings

    return embeddings.search_products(connection, query, **kwargs)


def store_similarities(connection: Any, store: str, limit: int = 3) -> list[tuple[str, float]]:
    """The `limit` store names most similar to `store`, best first, scored as the table macro
    scores them (the better of Jaro-Winkler and normalised Levenshtein, case and accents
    folded)."""
    folded = "translate(lower({}), 'áàâãäåéèêëíìîïóòôõöúùûüçñý', 'aaaaaaeeeeiiiiooooouuuucny')"
    query, name = folded.format("trim(cast($store as varchar))"), folded.format("store_name")
    rows = connection.execute(
        f"select store_name, greatest(jaro_winkler_similarity({query}, {name}), "
        f"1.0 - levenshtein({query}, {name}) / greatest(length({query}), length(store_name))) "
        "as similarity from (select distinct store_name from marts.dim_stores "
        "where store_name is not null and trim(store_name) <> '') "
        "order by similarity desc, store_name limit $limit",
        {"store": store, "limit": limit},
    ).fetchall()
    return [(row[0], float(row[1])) for row in rows]


def min_store_similarity() -> float:
    return float(project_var("lookup_default_min_store_similarity"))


def _macro_call(criteria: Criteria, max_results: int | None = None) -> tuple[str, dict]:
    arguments = {
        "store": criteria.store,
        "on_date": criteria.on_date,
        "amount": criteria.amount,
        "card": criteria.card_last4,
        "products": criteria.product_words,
        "product_ids": list(criteria.semantic_product_ids) if criteria.product_query else None,
        "days": criteria.days,
        "amount_window": criteria.amount_window,
        "max_results": max_results or criteria.max_results,
    }
    given = {name: value for name, value in arguments.items() if value is not None}
    call = ", ".join(f"{name} := ${name}" for name in given)
    return f"marts.lookup_receipts({call})", given


def find_receipts(connection: Any, criteria: Criteria) -> list[dict[str, Any]]:
    """Ranked receipts for the criteria, best first, as dicts of RESULT_COLUMNS."""
    call, given = _macro_call(criteria)
    rows = connection.execute(f"select {', '.join(RESULT_COLUMNS)} from {call}",
                              given).fetchall()
    return [dict(zip(RESULT_COLUMNS, row)) for row in rows]


def narrowing_hints(connection: Any, criteria: Criteria,
                    results: Sequence[dict[str, Any]]) -> list[str]:
    """When more receipts fit than the page shows, which criterion not yet given would narrow
    them, and by how much (read off every receipt that fits)."""
    if not results or results[0]["candidate_count"] <= len(results):
        return []
    total = int(results[0]["candidate_count"])
    call, given = _macro_call(criteria, max_results=total)
    cards, on_day = connection.execute(
        "select count(distinct card_last4), count(*) filter (where date_score = 1) "
        f"from {call}", given).fetchone()
    hints = []
    if not criteria.card_last4 and cards:
        hints.append(f"--card (last 4 digits): {cards} different cards paid for them, about "
                     f"{max(1, round(total / cards))} receipt(s) each")
    if not criteria.product_words and not criteria.product_query:
        hints.append("--words (something on the receipt, e.g. 'brie')")
    if criteria.on_date is not None and criteria.days > 0:
        hints.append(f"--days 0 if the date is certain: {on_day} of them are on that day")
    if criteria.amount is not None and criteria.amount == criteria.amount.to_integral_value():
        hints.append("the total to the cent (e.g. --amount 39.87), which ranks a receipt of "
                     "exactly that total first")
    return [f"{total} receipts fit; the best {len(results)} are shown. To narrow them, add "
            + "; or ".join(hints)] if hints else []


def record_lookup(connection: Any, *, user_name: str, criteria: Criteria,
                  results: Sequence[dict[str, Any]], duration_ms: float) -> str:
    """Append one row to the audit trail and return its lookup_id."""
    ensure_audit_table(connection)
    lookup_id = str(uuid.uuid4())
    receipt_ids = [row["receipt_id"] for row in results]
    customer_ids = sorted({row["customer_id"] for row in results if row["customer_id"]})
    connection.execute(
        f"insert into {AUDIT_TABLE} ({', '.join(name for name, _ in AUDIT_COLUMNS)}) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [lookup_id, user_name, TOOL, criteria.as_json(), len(results), receipt_ids,
         customer_ids, round(duration_ms, 3), dt.datetime.now(dt.timezone.utc)],
    ).fetchall()
    return lookup_id


def timed_lookup(connection: Any, criteria: Criteria) -> tuple[list[dict[str, Any]], float]:
    started = time.perf_counter()
    results = find_receipts(connection, criteria)
    return results, (time.perf_counter() - started) * 1000


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain-text table with a header, right-aligned numbers, lists joined by ', '."""

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return ", ".join(str(item) for item in value)
        if isinstance(value, float):
            return f"{value:.3f}"
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return str(value)

    cells = [[text(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(column)] + [len(line[i]) for line in cells])
              for i, column in enumerate(columns)]
    numeric = [all(isinstance(row.get(column), (int, float, Decimal)) or row.get(column) is None
                   for row in rows) for column in columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(value.rjust(width) if is_number else value.ljust(width)
                         for value, width, is_number in zip(values, widths, numeric)).rstrip()

    header = line(list(columns))
    rule = "  ".join("-" * width for width in widths)
    return "\n".join([header, rule, *(line(values) for values in cells)])
