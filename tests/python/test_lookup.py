"""Receipt lookup: the BI table macro, scripts/lookup_receipts.py end to end, the audit trail
and semantic product search, on the session's scale-1 warehouse.

The receipt to find is chosen from the raw files (valid rows only, per the ground truth), not
from a previous run; the script runs on a copy of the warehouse so the shared one stays
read-only.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from cx_warehouse import embeddings, lookup

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "lookup_receipts.py"
SPECIALTY_CHEESES = ("Roquefort", "Brie", "Gruyère", "Manchego")


def typo(name: str) -> str:
    """Drop one letter from the middle of the name: 'Shadyside' -> 'Shadyide'."""
    middle = len(name) // 2 + 1
    return name[:middle] + name[middle + 1:]


@pytest.fixture(scope="module")
def known_receipt(built_warehouse) -> dict:
    """A valid card receipt from the raw files whose store is named with 8+ letters and that no
    other receipt of its store within +-2 days comes within $10 of (total + 2): the lookup
    below should find it first and alone from that store."""
    raw, truth = built_warehouse["raw"], built_warehouse["truth"]
    con = duckdb.connect()
    row = con.execute(
        f"""
        with dirty as (
            select source_table, row_number from read_parquet('{truth / "dirty_rows.parquet"}')
        ),
        stores as (
            select store_id, store_name
            from read_parquet('{raw / "stores.parquet"}', file_row_number = true)
            where file_row_number not in (
                select row_number from dirty where source_table = 'stores'
            )
        ),
        receipts as (
            select
                receipt_id, store_id, total, card_number,
                cast(substr(transaction_at, 1, 10) as date) as local_date
            from read_parquet('{raw / "receipts.parquet"}', file_row_number = true)
            where file_row_number not in (
                select row_number from dirty where source_table = 'receipts'
            )
        ),
        candidates as (
            select receipts.*, stores.store_name
            from receipts inner join stores using (store_id)
            where length(stores.store_name) >= 8 and receipts.card_number is not null
        )
        select candidates.receipt_id, candidates.store_name, candidates.local_date,
               candidates.total, right(regexp_replace(candidates.card_number, '[^0-9]', '',
               'g'), 4)
        from candidates
        where not exists (
            select 1 from receipts as others
            where others.store_id = candidates.store_id
                and others.receipt_id <> candidates.receipt_id
                and abs(date_diff('day', others.local_date, candidates.local_date)) <= 2
                and abs(others.total - (candidates.total + 2)) <= 10
        )
        order by candidates.receipt_id
        limit 1
        """
    ).fetchall()
    assert row, "no receipt in the raw data fits the test's conditions"
    row = row[0]
    return {"receipt_id": row[0], "store_name": row[1], "date": row[2], "total": row[3],
            "card_last4": row[4]}


@pytest.fixture(scope="module")
def con(warehouse_con):
    """A cursor of the session's read-only connection: a clean result state of its own."""
    cursor = warehouse_con.cursor()
    yield cursor
    cursor.close()


@pytest.fixture(scope="module")
def writable_warehouse(built_warehouse, tmp_path_factory) -> Path:
    """A private copy of the session's warehouse that the script may append its audit rows to."""
    copy = tmp_path_factory.mktemp("lookup") / "warehouse.duckdb"
    shutil.copyfile(built_warehouse["db"], copy)
    return copy


def run_script(warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CX_WAREHOUSE_PATH=str(warehouse))
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=600)


def audit_rows(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select user_name, tool, criteria, result_count, receipt_ids, looked_up_at "
            "from audit.receipt_lookups order by looked_up_at"
        ).fetchall()


def test_bi_table_macro_finds_the_receipt_by_a_typo(con, known_receipt):
    rows = con.execute(
        "select receipt_id, store_name, lookup_rank, store_score, amount_score "
        "from marts.lookup_receipts(store := ?, on_date := ?, amount := ?)",
        [typo(known_receipt["store_name"]), known_receipt["date"],
         known_receipt["total"] + 2],
    ).fetchall()
    same_store = [row for row in rows if row[1] == known_receipt["store_name"]]
    assert [row[0] for row in same_store] == [known_receipt["receipt_id"]]
    assert rows[0][0] == known_receipt["receipt_id"] and rows[0][2] == 1
    # $2 off within a $10 window: a Gaussian of sd window / 2, times the inexact share.
    half_window = float(lookup.DEFAULT_AMOUNT_WINDOW) / 2
    expected = lookup.project_var("lookup_inexact_amount_share") * math.exp(
        -0.5 * (2 / half_window) ** 2)
    assert rows[0][3] >= 0.8 and rows[0][4] == pytest.approx(expected, abs=1e-4)


def test_script_finds_the_receipt_and_logs_the_lookup(writable_warehouse, known_receipt):
    before = audit_rows(writable_warehouse)
    approximate = known_receipt["total"] + 2
    result = run_script(
        writable_warehouse, "--store", typo(known_receipt["store_name"]),
        "--date", known_receipt["date"].isoformat(), "--amount", str(approximate),
        "--user", "pytest-rep", "--json",
    )
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["receipts"][0]["receipt_id"] == known_receipt["receipt_id"]
    assert output["receipts"][0]["store_name"] == known_receipt["store_name"]

    after = audit_rows(writable_warehouse)
    assert len(after) == len(before) + 1
    user, tool, criteria, result_count, receipt_ids, looked_up_at = after[-1]
    assert (user, tool) == ("pytest-rep", "scripts/lookup_receipts.py")
    assert result_count == len(output["receipts"]) and receipt_ids[0] == known_receipt["receipt_id"]
    recorded = json.loads(criteria)
    assert recorded["store"] == typo(known_receipt["store_name"])
    assert recorded["on_date"] == known_receipt["date"].isoformat()
    assert Decimal(recorded["amount"]) == approximate
    assert looked_up_at.tzinfo is not None


def test_script_prints_a_readable_table(writable_warehouse, known_receipt):
    result = run_script(
        writable_warehouse, "--store", typo(known_receipt["store_name"]),
        "--date", known_receipt["date"].isoformat(), "--card", known_receipt["card_last4"],
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["lookup_rank", "receipt_id", "store_name"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split()[:2] == ["1", known_receipt["receipt_id"]]
    assert "logged as lookup" in result.stdout


def test_the_os_user_is_logged_when_no_user_is_given(writable_warehouse, known_receipt):
    import getpass

    result = run_script(writable_warehouse, "--store", known_receipt["store_name"],
                        "--date", known_receipt["date"].isoformat())
    assert result.returncode == 0, result.stderr
    assert audit_rows(writable_warehouse)[-1][0] == getpass.getuser()


@pytest.mark.parametrize("args, message", [
    ([], "give at least one of"),
    (["--card", "42"], "last 4 digits"),
    (["--date", "10/03/2026"], "YYYY-MM-DD"),
])
def test_script_rejects_bad_input_and_logs_nothing(writable_warehouse, args, message):
    before = len(audit_rows(writable_warehouse))
    result = run_script(writable_warehouse, *args)
    assert result.returncode == 2 and message in result.stderr
    assert len(audit_rows(writable_warehouse)) == before


def test_audit_table_from_dbt_hook_matches_the_script(con):
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'audit' and table_name = 'receipt_lookups' "
        "order by ordinal_position"
    ).fetchall()
    assert tuple(columns) == lookup.AUDIT_COLUMNS


def test_product_words_are_typo_tolerant(con, known_receipt):
    # A word from one of the receipt's products, misspelt, finds receipts with that product.
    product = con.execute(
        "select product_name, product_category from marts.fct_receipt_items "
        "where receipt_id = ? "
        "order by line_number limit 1", [known_receipt["receipt_id"]],
    ).fetchall()[0]
    word = max((w for w in product[0].replace(",", " ").split() if w.isalpha()), key=len)
    misspelt = word[:-1] if len(word) > 5 else word
    rows = con.execute(
        "select receipt_id, product_score, matched_products from marts.lookup_receipts("
        "store := ?, on_date := ?, products := ?, max_results := 200)",
        [known_receipt["store_name"], known_receipt["date"], misspelt],
    ).fetchall()
    assert known_receipt["receipt_id"] in [row[0] for row in rows]
    assert all(row[1] == 1.0 and row[2] for row in rows)


def test_format_table_aligns_columns():
    text = lookup.format_table(
        [{"a": 1, "b": "xy", "c": ["p", "q"]}, {"a": 10, "b": None, "c": []}], ["a", "b", "c"]
    )
    assert text.splitlines() == [" a  b   c", "--  --  ----", " 1  xy  p, q", "10"]


def test_criteria_json_leaves_derived_ids_out():
    criteria = lookup.Criteria(store="Shadysde", on_date=dt.date(2026, 3, 10),
                               amount=Decimal("40"), semantic_product_ids=("PRD-1",))
    assert json.loads(criteria.as_json()) == {
        "store": "Shadysde", "on_date": "2026-03-10", "amount": "40", "days": 2,
        "amount_window": "10", "max_results": 20,
    }


# --------------------------------------------------------------------------------------------
# Semantic product search (optional extra `embeddings`)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def semantic_search_ready(con) -> None:
    available, why = embeddings.availability()
    if not available:
        pytest.skip(f"semantic search not tested: {why}")
    count = con.execute(
        "select count(*) from marts.dim_product_embeddings").fetchall()[0][0]
    if count == 0:
        pytest.skip("semantic search not tested: marts.dim_product_embeddings was built empty")


def test_fancy_cheese_finds_the_specialty_cheeses(con, semantic_search_ready):
    results = embeddings.search_products(con, "fancy cheese")
    names = [row["product_name"] for row in results]
    for cheese in SPECIALTY_CHEESES:
        assert any(cheese in name for name in names), f"{cheese} not found in {names}"
    assert {row["product_category"] for row in results} == {"cheese"}
    similarities = [row["similarity"] for row in results]
    assert similarities == sorted(similarities, reverse=True)
    assert min(similarities) >= embeddings.DEFAULT_MIN_SIMILARITY


def test_embeddings_cover_every_product(con, semantic_search_ready):
    missing, dimensions = con.execute(
        "select count(*) filter (where e.product_id is null), max(len(e.embedding)) "
        "from marts.dim_products as p "
        "left outer join marts.dim_product_embeddings as e using (product_id)"
    ).fetchall()[0]
    assert missing == 0 and dimensions == embeddings.DIMENSIONS


def test_script_semantic_lookup(writable_warehouse, known_receipt, semantic_search_ready):
    result = run_script(writable_warehouse, "--product", "fancy cheese", "--store",
                        known_receipt["store_name"], "--date",
                        known_receipt["date"].isoformat(), "--json", "--limit", "50")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    product_names = {row["product_name"] for row in output["products"]}
    assert output["receipts"], "no receipt with a specialty cheese around that day"
    for receipt in output["receipts"]:
        assert "cheese" in receipt["categories"]
        assert set(receipt["matched_products"]) <= product_names
    criteria = json.loads(audit_rows(writable_warehouse)[-1][2])
    assert criteria["product_query"] == "fancy cheese"


def help_examples() -> list[list[str]]:
    """The example command lines of the script's --help (its docstring) and the README."""
    import shlex

    script_doc = SCRIPT.read_text().split('"""')[1]
    readme = (REPO / "README.md").read_text()
    readme_block = readme.split("## Receipt lookup", 1)[1].split("```bash", 1)[1].split("```")[0]
    lines = [line.strip() for line in script_doc.splitlines()
             if line.strip().startswith("python scripts/lookup_receipts.py")]
    lines.append(" ".join(part.strip().rstrip("\\") for part in readme_block.splitlines()
                          if part.strip()).split("[")[0])
    examples = []
    for line in lines:
        words = shlex.split(line)
        examples.append(words[words.index(next(w for w in words if w.endswith(
            "lookup_receipts.py"))) + 1:])
    return examples


@pytest.mark.parametrize("args", help_examples(), ids=lambda args: " ".join(args))
def test_help_and_readme_examples_find_receipts(writable_warehouse, args):
    """Every example a reader copies finds something on the default dataset."""
    if "--product" in args and not embeddings.availability()[0]:
        pytest.skip("the embeddings extra is not installed")
    result = run_script(writable_warehouse, *args, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["receipts"], f"{args} found nothing"


def test_a_crowded_lookup_says_which_criterion_would_narrow_it(writable_warehouse,
                                                                known_receipt):
    result = run_script(writable_warehouse, "--store", known_receipt["store_name"],
                        "--days", "2", "--date", known_receipt["date"].isoformat(),
                        "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert "receipts fit; the best 2 are shown" in result.stdout
    assert "--card (last 4 digits)" in result.stdout and "--words" in result.stdout


def test_criteria_not_given_do_not_change_the_score(con):
    """The score is a weighted geometric mean over the criteria given only: with one criterion
    it is that criterion's own score."""
    rows = con.execute(
        "select lookup_score, amount_score, store_score, date_score from "
        "marts.lookup_receipts(amount := 40, max_results := 50)").fetchall()
    assert rows and all(store is None and day is None for _, _, store, day in rows)
    assert [score for score, _, _, _ in rows] == pytest.approx(
        [amount for _, amount, _, _ in rows], abs=2e-4)


def test_the_embedding_cache_embeds_each_text_once(tmp_path, monkeypatch):
    """With CX_EMBEDDING_CACHE_DIR set, a text embedded once is read back (the same vector) and
    only new texts reach the model; an unreadable file in the cache is skipped."""
    import numpy as np
    import pyarrow as pa

    monkeypatch.setenv(embeddings.CACHE_ENV, str(tmp_path / "cache"))
    embedded: list[list[str]] = []

    def fake_embed(texts, batch_size=32):
        embedded.append(list(texts))
        return np.array([[len(text) + position / 1000] * embeddings.DIMENSIONS
                         for position, text in enumerate(texts)], dtype=np.float32)

    monkeypatch.setattr(embeddings, "embed", fake_embed)
    monkeypatch.setattr(embeddings, "model_version", lambda: "test-model 1")

    def products(*names):
        return pa.table({"product_id": [f"P{n}" for n in range(len(names))],
                         "product_name": list(names), "category": ["Cheese"] * len(names),
                         "subcategory": [None] * len(names), "description": [None] * len(names)})

    first = embeddings.product_embeddings_table(products("Brie", "Gouda"))
    (tmp_path / "cache" / "broken.parquet").write_text("not parquet")
    second = embeddings.product_embeddings_table(products("Gouda", "Brie", "Feta"))
    assert [sorted(texts) for texts in embedded] == [["Brie. Cheese", "Gouda. Cheese"],
                                                     ["Feta. Cheese"]]
    vectors = dict(zip(second.column("embedded_text_md5").to_pylist(),
                       second.column("embedding").to_pylist()))
    for md5, vector in zip(first.column("embedded_text_md5").to_pylist(),
                           first.column("embedding").to_pylist()):
        assert vectors[md5] == vector
    monkeypatch.setattr(embeddings, "model_version", lambda: "test-model 2")
    embeddings.product_embeddings_table(products("Brie"))
    assert embedded[-1] == ["Brie. Cheese"]  # another model version is embedded again
