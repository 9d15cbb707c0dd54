"""Full equals incremental: a small dataset loaded as daily batches, one build per batch, gives
exactly what one full build of the same landing folder gives (every public table: marts,
reference, audit; the project's fingerprints, cx_warehouse.fingerprint).

The dataset (scale 0.2, seed 42) is cut into four daily loads by cx_warehouse.loads: a history
load that holds all but the last three days, then one load a day. Some rows arrive late
(late_fraction: receipts with their lines, interactions, chats and emails 1-3 days after their
date), and an erasure request for a customer whose receipts, tickets and contacts were built in
the first batch arrives with the third load. Each batch is copied into the landing folder and
built with the build recipe (cx_warehouse.build), as a daily run would.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import generate
from cx_warehouse import build as recipe
from cx_warehouse.fingerprint import compare, fingerprint
from cx_warehouse.loads import split_into_daily_loads

SCALE, SEED, LATE_FRACTION, LATER_LOADS = 0.2, 42, 0.05, 3

# Five builds: make test-incremental runs it (after make test in .ci/run), not make test.
pytestmark = pytest.mark.incremental


def _build(landing: Path, warehouse: Path, log_dir: Path, truth: Path) -> None:
    try:
        recipe.build(landing, warehouse, target="ci", log_dir=log_dir, truth_dir=truth,
                     target_path=log_dir / "target", dbt_log_path=log_dir, echo=False)
    except recipe.RecipeError as error:
        log = Path(str(error).rsplit(" ", 1)[-1])
        tail = log.read_text()[-3000:] if log.exists() else ""
        pytest.fail(f"{error}\n{tail}")


def _erasure_subject(full: Path) -> dict[str, str]:
    """A customer with receipts, tickets and an email before the last loads."""
    con = duckdb.connect()
    row = con.execute(f"""
        select customers.customer_id, customers.email
        from read_parquet('{full}/customers.parquet') as customers
        where customers.customer_id in (
                select customer_id from read_parquet('{full}/receipts.parquet'))
            and customers.customer_id in (
                select customer_id from read_parquet('{full}/tickets.parquet'))
        order by customers.customer_id
        limit 1""").fetchone()
    con.close()
    assert row is not None, "no customer with receipts and tickets in the dataset"
    return {"customer_id": row[0], "email": row[1]}


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("incremental")
    full, truth = root / "full-extract", root / "truth"
    generate(full, truth, scale=SCALE, seed=SEED)
    extract = json.loads((full / "_extract.json").read_text())
    import datetime as dt
    last = dt.date.fromisoformat(extract["window_end"])
    first_load = last - dt.timedelta(days=LATER_LOADS)
    split = root / "split"
    days = split_into_daily_loads(full, split, late_fraction=LATE_FRACTION, seed=SEED,
                                  first_load=first_load)
    assert days == [(first_load + dt.timedelta(days=n)).isoformat()
                    for n in range(LATER_LOADS + 1)]

    # The erasure request arrives with the third load (and stays in the cumulative file).
    subject = _erasure_subject(full)
    for day in days[2:]:
        path = split / "loads" / day / "erasure_requests.csv"
        with path.open("a", newline="") as handle:
            csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(
                ["ERA-INCR-1", subject["customer_id"], "", f"{day}T08:00:00Z"])

    landing, incremental = root / "landing", root / "incremental.duckdb"
    seen: list[dict[str, int]] = []
    for number, day in enumerate(days, start=1):
        shutil.copytree(split / "loads" / day, landing / "loads" / day)
        _build(landing, incremental, root / f"batch-{number}", truth)
        con = duckdb.connect(str(incremental), read_only=True)
        seen.append({
            "receipts": con.execute("select count(*) from marts.fct_receipts where customer_id = ?",
                                    [subject["customer_id"]]).fetchone()[0],
            "tickets": con.execute("select count(*) from marts.fct_tickets where customer_id = ?",
                                   [subject["customer_id"]]).fetchone()[0],
        })
        con.close()

    full_build = root / "full.duckdb"
    _build(landing, full_build, root / "full-build", truth)
    return {"days": days, "split": split, "landing": landing, "subject": subject,
            "incremental": incremental, "full": full_build, "seen": seen}


def test_the_batches_carry_late_rows(batches):
    """Late data is in the later loads: rows dated before their load's day."""
    con = duckdb.connect()
    late = 0
    for day in batches["days"][1:]:
        folder = batches["split"] / "loads" / day
        late += con.execute(
            f"select count(*) from read_parquet('{folder}/receipts.parquet') "
            f"where cast(timezone('UTC', try_cast(transaction_at as timestamptz)) as date) "
            f"< date '{day}'").fetchone()[0]
    con.close()
    assert late > 0


def test_the_erasure_request_removes_rows_built_in_earlier_batches(batches):
    seen = batches["seen"]
    assert seen[0]["receipts"] > 0 and seen[0]["tickets"] > 0, seen
    assert seen[1] == seen[0] or seen[1]["receipts"] >= seen[0]["receipts"], seen
    assert all(counts == {"receipts": 0, "tickets": 0} for counts in seen[2:]), seen


#: Kept history, not a rebuild: the daily volume history also holds the counts of snapshot
#: relations (one row per as-of day) from earlier builds, which a full build cannot have.
HISTORY = "audit.audit_daily_volumes"


def test_full_equals_incremental(batches):
    full, incremental = fingerprint(batches["full"]), fingerprint(batches["incremental"])
    assert HISTORY in full and HISTORY in incremental
    differences = compare({k: v for k, v in full.items() if k != HISTORY},
                          {k: v for k, v in incremental.items() if k != HISTORY})
    assert differences == [], "\n".join(differences)


def test_the_volume_history_agrees_on_every_day_a_full_build_counts(batches):
    """Every row of the full build's history is in the incremental one, the same; the extra
    rows are earlier as-of days of snapshot relations."""
    con = duckdb.connect()
    con.execute(f"attach '{batches['full']}' as full_build (read_only)")
    con.execute(f"attach '{batches['incremental']}' as batched (read_only)")
    columns = [row[0] for row in con.execute(
        "select column_name from (describe full_build.audit.audit_daily_volumes)").fetchall()]
    listed = ", ".join(columns)
    missing = con.execute(f"select count(*) from (select {listed} from "
                          f"full_build.audit.audit_daily_volumes except select {listed} "
                          f"from batched.audit.audit_daily_volumes)").fetchone()[0]
    extra = con.execute(
        "select distinct batched_rows.relation_name, batched_rows.event_date < ("
        "    select max(event_date) from full_build.audit.audit_daily_volumes)"
        " from batched.audit.audit_daily_volumes as batched_rows"
        " where batched_rows.daily_volume_id not in ("
        "    select daily_volume_id from full_build.audit.audit_daily_volumes)").fetchall()
    con.close()
    assert missing == 0
    assert all(earlier for _, earlier in extra), extra


def test_every_raw_row_is_accounted_for_after_the_batches(batches):
    con = duckdb.connect(str(batches["incremental"]), read_only=True)
    rows = con.execute("select raw_table_id, raw_rows, unaccounted_rows "
                       "from audit.source_reconciliation order by 1").fetchall()
    con.close()
    assert rows and all(unaccounted == 0 for _, _, unaccounted in rows), rows


def test_every_row_of_the_full_extract_lands_in_exactly_one_load(batches):
    con = duckdb.connect()
    full, loads = batches["split"].parent / "full-extract", batches["split"] / "loads"
    for table in ("receipts", "receipt_items", "ticket_interactions", "customers", "tickets"):
        whole = con.execute(f"select count(*) from read_parquet('{full}/{table}.parquet')"
                            ).fetchone()[0]
        parts = con.execute(f"select count(*) from read_parquet('{loads}/*/{table}.parquet')"
                            ).fetchone()[0]
        assert parts == whole, table
    # A receipt's lines are in its load.
    apart = con.execute(f"""
        select count(*)
        from read_parquet('{loads}/*/receipt_items.parquet', filename = true) as items
        inner join read_parquet('{loads}/*/receipts.parquet', filename = true) as receipts
            on items.receipt_id = receipts.receipt_id
        where parse_dirpath(items.filename) != parse_dirpath(receipts.filename)
            and items.receipt_id not in (
                select receipt_id from read_parquet('{full}/receipts.parquet')
                group by receipt_id having count(*) > 1)""").fetchone()[0]
    con.close()
    assert apart == 0


def test_a_stray_copy_in_the_landing_folder_is_refused(tmp_path):
    from cx_warehouse import preflight

    landing = tmp_path / "raw"
    (landing / "loads" / "2026-06-30").mkdir(parents=True)
    (landing / "backup").mkdir()
    con = duckdb.connect()
    for folder in (landing / "loads" / "2026-06-30", landing / "backup"):
        con.execute(f"copy (select 'STR-1' as store_id) to '{folder}/stores.parquet'")
    con.close()
    files = [raw for raw in preflight.declared_raw_files(preflight_project(), landing)
             if raw.table == "stores"]
    report = preflight.check_raw_files(files, target="ci")
    strays = [problem for problem in report.problems if "stray copy" in problem]
    assert len(strays) == 1 and str(landing / "backup" / "stores.parquet") in strays[0], \
        report.problems


def preflight_project() -> Path:
    from conftest import REPO

    return REPO
