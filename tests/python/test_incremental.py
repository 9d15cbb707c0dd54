"""A daily run, end to end: a small dataset arrives as two daily loads; `make build` (the one
recipe, with its publish) runs once per load, and builds of the second load are killed on the
way; the warehouse after the recovery build equals one full `make build` of the same landing
folder (every public table: marts, reference, audit; the project's fingerprints,
cx_warehouse.fingerprint).

The dataset (scale 0.1, seed 42) is cut by cx_warehouse.loads into a history load (all but the
last day) and the last day's load. Some rows arrive late (late_fraction: receipts with their
lines, interactions, chats and emails 1-3 days after their date, so in the second load), and
an erasure request for a customer whose receipts and tickets were built from the first load
arrives with the second.

While the second load is built, three builds are killed with SIGKILL (3 s in, while a table
model is replaced, while an incremental Python model writes) and a publish is killed while it
writes; a reader process, as a BI tool would be, keeps opening the serving file throughout. The
reader must see no error and no half-published version; until the recovery build completes the
serving file keeps the first load's build.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, generate
from cx_warehouse import publish
from cx_warehouse.fingerprint import compare, fingerprint
from cx_warehouse.loads import split_into_daily_loads
from test_serving import KILL_POINTS, Reader, kill_group, last_progress, make, public_relations
from test_serving import fingerprint as reader_fingerprint

SCALE, SEED, LATE_FRACTION = 0.1, 42, 0.25
#: The second load's builds are incremental: its Python models are incremental ones.
BATCH_KILL_POINTS = tuple(
    (label, marker.replace("python table model", "python incremental model") if marker else None,
     delay) for label, marker, delay in KILL_POINTS)

pytestmark = pytest.mark.e2e


def _erasure_subject(full: Path) -> dict[str, str]:
    """A customer with receipts and tickets before the last load."""
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


def _subject_rows(warehouse: Path, customer_id: str) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {table: con.execute(f"select count(*) from marts.{table} where customer_id = ?",
                                   [customer_id]).fetchone()[0]
                for table in ("fct_receipts", "fct_tickets")}
    finally:
        con.close()


def _make_env(root: Path, landing: Path, truth: Path, name: str) -> dict[str, str]:
    env = dict(os.environ, DO_NOT_TRACK="1", CX_RAW_DIR=str(landing), CX_TRUTH_DIR=str(truth),
               CX_WAREHOUSE_PATH=str(root / f"{name}.duckdb"),
               CX_SERVING_PATH=str(root / f"{name}-serving.duckdb"),
               DBT_TARGET_PATH=str(root / f"{name}-target"),
               DBT_LOG_PATH=str(root / f"{name}-logs"))
    env.pop("CX_PII_SALT", None)
    env.pop("MAKEFLAGS", None)
    return env


def _make_build(env: dict[str, str], log: Path) -> None:
    started = time.monotonic()
    assert make("build", env, log).wait(timeout=900) == 0, log.read_text()[-5000:]
    with log.open("a") as handle:
        handle.write(f"===== make build took {time.monotonic() - started:.0f} s\n")


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("incremental")
    full, truth = root / "full-extract", root / "truth"
    generate(full, truth, scale=SCALE, seed=SEED)
    extract = json.loads((full / "_extract.json").read_text())
    last = dt.date.fromisoformat(extract["window_end"])
    split = root / "split"
    days = split_into_daily_loads(full, split, late_fraction=LATE_FRACTION, seed=SEED,
                                  first_load=last - dt.timedelta(days=1))
    assert days == [(last - dt.timedelta(days=1)).isoformat(), last.isoformat()]

    # The erasure request arrives with the second load.
    subject = _erasure_subject(full)
    with (split / "loads" / days[1] / "erasure_requests.csv").open("a", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(
            ["ERA-INCR-1", subject["customer_id"], "", f"{days[1]}T08:00:00Z"])

    landing, log = root / "landing", root / "make.log"
    env = _make_env(root, landing, truth, "daily")
    warehouse, serving = Path(env["CX_WAREHOUSE_PATH"]), Path(env["CX_SERVING_PATH"])
    reader = Reader(serving, root, extra_checks=(
        "select (select count(*) from marts.dim_companies) "
        "= (select count(*) from marts.fct_company_health)",
        "select count(*) > 0 from marts.lookup_receipts(max_results := 1)",
    ))
    result: dict[str, object] = {"days": days, "split": split, "landing": landing,
                                 "subject": subject, "incremental": warehouse, "kills": []}
    try:
        shutil.copytree(split / "loads" / days[0], landing / "loads" / days[0])
        _make_build(env, log)
        relations = public_relations(warehouse)
        first = reader_fingerprint(warehouse, relations)
        result.update(relations=relations, seen=[_subject_rows(warehouse, subject["customer_id"])],
                      first_load_published=reader_fingerprint(serving, relations) == first)

        shutil.copytree(split / "loads" / days[1], landing / "loads" / days[1])
        # Kill points by progress rather than by the clock, so that they land on the same
        # work on a fast or a loaded machine.
        for label, marker, delay in BATCH_KILL_POINTS:
            offset = log.stat().st_size
            build = make("build", env, log)
            if marker:
                deadline = time.monotonic() + 600
                while marker.encode() not in log.read_bytes()[offset:]:
                    assert build.poll() is None and time.monotonic() < deadline, \
                        f"the build ended before {marker!r}"
                    time.sleep(0.1)
            time.sleep(delay)
            assert build.poll() is None, f"the build ended before it could be killed {label}"
            kill_group(build)
            result["kills"].append({
                "label": label, "progress": last_progress(log),
                # The killed warehouse still opens (DuckDB replays its WAL) and, until a build
                # completes, readers keep the first load's serving file.
                "warehouse_opens": ("marts", "fct_tickets") in public_relations(warehouse),
                "serving_unchanged": reader_fingerprint(serving, relations) == first})
        refused = make("publish", env, log)
        result["publish_refused"] = refused.wait(timeout=120) != 0 and "did not finish" in \
            log.read_text().rsplit("===== make publish", 1)[1]

        _make_build(env, log)
        result["seen"].append(_subject_rows(warehouse, subject["customer_id"]))
        recovered = reader_fingerprint(warehouse, relations)
        result["recovered_published"] = reader_fingerprint(serving, relations) == recovered
        result["marker_left"] = publish.in_progress_marker(warehouse).exists()
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            result["leftovers"] = connection.execute(
                "select list(table_name) from (select table_name from duckdb_tables() union all "
                "select view_name from duckdb_views()) where contains(table_name, '__dbt_')"
            ).fetchone()[0] or []

        # Kill a publish while it writes the new file, then publish again.
        temp = publish.temp_path(serving)
        published = make("publish", env, log)
        deadline = time.monotonic() + 120
        while not temp.exists() and published.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        kill_group(published)
        result["killed_publish_kept_serving"] = \
            reader_fingerprint(serving, relations) == recovered
        assert make("publish", env, log).wait(timeout=300) == 0, log.read_text()[-3000:]
        result["republished"] = (not temp.exists() and not publish.wal_path(serving).exists()
                                 and reader_fingerprint(serving, relations) == recovered)
    finally:
        result["reader"] = reader.finish()

    full_env = _make_env(root, landing, truth, "full")
    _make_build(full_env, root / "full-make.log")
    result["full"] = Path(full_env["CX_WAREHOUSE_PATH"])
    (root / "report.json").write_text(json.dumps(
        {key: value for key, value in result.items() if key in ("kills", "reader", "seen")},
        indent=2, default=str))
    return result


def test_killed_builds_leave_the_warehouse_readable_and_the_serving_file_unchanged(batches):
    assert batches["first_load_published"]
    assert [kill["label"] for kill in batches["kills"]] == [label for label, *_ in KILL_POINTS]
    for kill in batches["kills"]:
        assert kill["warehouse_opens"] and kill["serving_unchanged"], kill
    assert batches["publish_refused"], "make publish published an unfinished build"


def test_the_recovery_build_is_published_whole(batches):
    assert batches["recovered_published"]
    assert not batches["marker_left"]
    assert batches["leftovers"] == []  # no intermediate or backup relation of a killed model
    assert batches["killed_publish_kept_serving"] and batches["republished"]


def test_the_reader_never_saw_an_error_or_a_half_published_file(batches):
    summary = batches["reader"]
    assert summary["error_count"] == 0, summary["errors"]
    assert summary["inconsistent"] == []
    # first load, recovery build, last publish
    assert len(summary["versions"]) >= 3, summary["versions"]
    assert summary["versions"] == sorted(summary["versions"])
    assert summary["reads"] >= 50


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
    before, after = batches["seen"]
    assert before["fct_receipts"] > 0 and before["fct_tickets"] > 0, before
    assert after == {"fct_receipts": 0, "fct_tickets": 0}, after


#: Kept history, not a rebuild: the daily volume history also holds the counts of snapshot
#: relations (one row per as-of day) from earlier builds, which a full build cannot have.
HISTORY = "audit.audit_daily_volumes"
#: A record of what each PII scan read, not a rebuild: the incremental scan counted a load's
#: cells when it first read them (before the erasure request removed some of those rows);
#: a full build counts what is left. Both must hold no hit (the post-build test).
SCAN = "audit.audit_pii_scan"


def test_full_equals_incremental(batches):
    full, incremental = fingerprint(batches["full"]), fingerprint(batches["incremental"])
    assert HISTORY in full and HISTORY in incremental
    assert SCAN in full and SCAN in incremental
    differences = compare({k: v for k, v in full.items() if k not in (HISTORY, SCAN)},
                          {k: v for k, v in incremental.items() if k not in (HISTORY, SCAN)})
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
    return REPO
