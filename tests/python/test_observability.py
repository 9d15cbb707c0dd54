"""Observability (issue 6): dbt's run log and the volume and freshness checks, end to end.

Reads the session warehouse (`built_warehouse`: `dbt build`, then `dbt build --select
tag:post_build`) for the run log of those two invocations. One more dbt invocation runs on a
COPY of that warehouse, with three things planted in the current day counts
(audit_daily_event_counts) before the history merges them in:
- a 10x spike on a recent, normal day of fct_receipts -> a volume anomaly and alert;
- the last days of stg_chat__messages removed -> the relation is stale;
- every day older than 60 days removed (a landing folder that only holds recent data) -> the
  incremental history keeps those days.
The z-score and freshness arithmetic itself is covered by dbt unit tests
(models/audit/_audit__observability.yml).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import timedelta

import duckdb
import pytest

from conftest import run_dbt

SPIKED = "fct_receipts"
STALE = "stg_chat__messages"
RECENT_DAYS = 60


def summary(stdout: str) -> dict[str, int]:
    """dbt's closing line 'Done. PASS=.. WARN=.. ERROR=.. SKIP=.. NO-OP=.. TOTAL=..'."""
    match = re.search(r"Done\. ((?:[A-Z-]+=\d+ ?)+)", stdout)
    assert match, f"no summary line in dbt output:\n{stdout[-2000:]}"
    return {key: int(value) for key, value in re.findall(r"([A-Z-]+)=(\d+)", match.group(1))}


def run_row(con: duckdb.DuckDBPyConnection, where: str) -> dict[str, object]:
    rows = con.execute(f"select * from audit.dbt_runs where {where}").fetchall()
    assert len(rows) == 1, f"expected one dbt_runs row where {where}, got {len(rows)}"
    columns = [column[0] for column in con.description]
    return dict(zip(columns, rows[0]))


@pytest.fixture(scope="module")
def session_runs(built_warehouse, warehouse_con) -> dict[str, dict[str, object]]:
    build = run_row(warehouse_con, "command = 'build' and excluded = 'tag:post_build'")
    post_build = run_row(warehouse_con, "command = 'build' and selected = 'tag:post_build'")
    return {"build": build, "post_build": post_build}


def test_run_log_has_both_invocations_with_dbt_s_own_totals(built_warehouse, session_runs):
    for name in ("build", "post_build"):
        run, stdout = session_runs[name], built_warehouse[name].stdout
        totals = summary(stdout)
        # dbt's TOTAL also counts the project hooks, which on-run-end's results do not hold.
        hooks = re.search(r"Finished running .*?(\d+) project hooks?", stdout)
        assert hooks, "dbt printed no count of project hooks"
        assert run["target_name"] == "ci"
        assert run["nodes_total"] == totals["TOTAL"] - int(hooks.group(1)), name
        assert run["nodes_warned"] == totals["WARN"], name
        # dbt's ERROR counts errored nodes and failed tests alike.
        assert run["nodes_errored"] + run["nodes_failed"] == totals["ERROR"], name
        assert run["nodes_skipped"] == totals["SKIP"], name
        assert run["nodes_failed"] == len(re.findall(r"\d+ of \d+ FAIL \d+ ", stdout)), name
        expected_status = ("error" if run["nodes_errored"] else "fail" if run["nodes_failed"]
                           else "warn" if totals["WARN"] else "success")
        assert run["status"] == expected_status, name
        assert run["run_started_at"] <= run["run_ended_at"]
    assert session_runs["build"]["run_ended_at"] <= session_runs["post_build"]["run_started_at"]


def test_model_rows_match_the_invocations_nodes(warehouse_con, session_runs):
    for run in session_runs.values():
        nodes = warehouse_con.execute(
            "select count(*), count(distinct unique_id) from audit.dbt_model_runs "
            "where invocation_id = ?", [run["invocation_id"]]).fetchone()
        assert nodes == (run["nodes_total"], run["nodes_total"])


def test_row_counts_equal_count_star_of_every_table_built(warehouse_con, session_runs):
    rows = warehouse_con.execute(
        "select unique_id, materialization, relation_name, row_count from audit.dbt_model_runs "
        "where invocation_id = ? and resource_type in ('model', 'seed', 'snapshot') "
        "and status = 'success'", [session_runs["build"]["invocation_id"]]).fetchall()
    tables = [row for row in rows if row[1] in ("table", "incremental", "seed", "snapshot")]
    assert len(tables) >= 40, "the build should have built dozens of tables"
    for unique_id, _, relation_name, row_count in tables:
        schema_and_table = ".".join(relation_name.split(".")[-2:])  # without the database
        actual = warehouse_con.execute(f"select count(*) from {schema_and_table}").fetchone()[0]
        assert row_count == actual, f"{unique_id}: logged {row_count}, relation has {actual}"
    views = [row for row in rows if row[1] in ("view", "ephemeral")]
    assert views and all(row[3] is None for row in views), "views are not counted by default"


def test_test_rows_carry_their_failures(built_warehouse, warehouse_con, session_runs):
    tests = warehouse_con.execute(
        "select node_name, status, failures from audit.dbt_model_runs "
        "where invocation_id = ? and resource_type = 'test'",
        [session_runs["build"]["invocation_id"]]).fetchall()
    assert len(tests) > 500
    for node_name, status, failures in tests:
        if status in ("pass", "warn", "fail"):
            assert failures is not None and (status == "pass" or failures > 0), node_name
    # Every warning dbt printed is logged with the same count of failing rows.
    printed = re.findall(r"\d+ of \d+ WARN (\d+) (\S+)", built_warehouse["build"].stdout)
    logged = {name: failures for name, status, failures in tests if status == "warn"}
    assert {name: int(count) for count, name in printed} == logged


def test_daily_counts_add_up_to_each_relation(warehouse_con):
    relations = warehouse_con.execute(
        "select relation_name, event_column, sum(row_count), max(counted_as_of_at) "
        "from audit.audit_daily_volumes group by all").fetchall()
    assert len(relations) == 20
    schemas = dict(warehouse_con.execute(
        "select table_name, table_schema from information_schema.tables").fetchall())
    for relation, column, counted, as_of in relations:
        actual = warehouse_con.execute(
            f"select count(*) from {schemas[relation]}.{relation} "
            f"where cast({column} as timestamp) <= ?", [as_of]).fetchone()[0]
        assert counted == actual, relation
    gaps = warehouse_con.execute(
        "select count(*) from (select relation_name, count(*) as days, "
        "max(event_date) - min(event_date) + 1 as span from audit.audit_daily_volumes "
        "where is_zero_filled group by all) where days <> span").fetchone()[0]
    assert gaps == 0, "event streams are zero-filled: one row per day"


@pytest.fixture(scope="module")
def planted(built_warehouse, warehouse_con, tmp_path_factory) -> Iterator[dict[str, object]]:
    """A copy of the session warehouse with the plants, after `dbt build` of the audit models."""
    root = tmp_path_factory.mktemp("observability")
    copy = root / "warehouse.duckdb"
    shutil.copyfile(built_warehouse["db"], copy)
    spike_day, spike_count = warehouse_con.execute(
        "select event_date, row_count from audit.audit_volume_zscores "
        "where relation_name = ? and volume_status = 'normal' "
        "and event_date > cast(as_of_at as date) - 7 order by event_date desc limit 1",
        [SPIKED]).fetchone()
    with duckdb.connect(str(copy)) as con:
        as_of_date = con.execute(
            "select max(cast(counted_as_of_at as date)) from audit.audit_daily_event_counts"
        ).fetchone()[0]
        con.execute("update audit.audit_daily_event_counts set row_count = row_count * 10 "
                    "where relation_name = ? and event_date = ?", [SPIKED, spike_day])
        con.execute("delete from audit.audit_daily_event_counts "
                    "where relation_name = ? and event_date > ? - 3", [STALE, as_of_date])
        con.execute("delete from audit.audit_daily_event_counts where event_date < ? - ?",
                    [as_of_date, RECENT_DAYS])
    result = run_dbt(
        ["build", "--select", "audit_daily_volumes", "audit_volume_zscores", "audit_freshness",
         "--target-path", str(root / "target")],
        {**built_warehouse["env"], "CX_WAREHOUSE_PATH": str(copy)}, root / "logs")
    assert result.returncode == 0, result.stdout[-4000:]
    con = duckdb.connect(str(copy), read_only=True)
    yield {"con": con, "spike_day": spike_day, "spike_count": spike_count,
           "as_of_date": as_of_date, "stdout": result.stdout}
    con.close()


def test_planted_spike_is_an_alert_and_normal_days_are_not(planted, warehouse_con):
    con = planted["con"]
    status, count, alert = con.execute(
        "select volume_status, row_count, is_volume_alert from audit.audit_volume_zscores "
        "where relation_name = ? and event_date = ?", [SPIKED, planted["spike_day"]]).fetchone()
    assert (status, count, alert) == ("spike", planted["spike_count"] * 10, True)
    # Only the planted day and the days whose trailing window holds it change status.
    original = dict(((row[0], row[1]), row[2]) for row in warehouse_con.execute(
        "select relation_name, event_date, volume_status from audit.audit_volume_zscores"
    ).fetchall())
    now = dict(((row[0], row[1]), row[2]) for row in con.execute(
        "select relation_name, event_date, volume_status from audit.audit_volume_zscores"
    ).fetchall())
    assert original[(SPIKED, planted["spike_day"])] == "normal"
    differing = {key for key in original if now.get(key) != original[key]}
    assert differing and all(
        relation == SPIKED and day >= planted["spike_day"] for relation, day in differing)


def test_history_survives_a_landing_folder_with_recent_days_only(planted, warehouse_con):
    query = ("select relation_name, event_date, row_count from audit.audit_daily_volumes "
             "where event_date < ? order by 1, 2")
    cutoff = planted["as_of_date"] - timedelta(days=RECENT_DAYS)
    old_days = warehouse_con.execute(query, [cutoff]).fetchall()
    assert len(old_days) > 20 * 30
    assert planted["con"].execute(query, [cutoff]).fetchall() == old_days


def test_stale_relation_is_flagged_and_fresh_ones_are_not(planted, warehouse_con):
    query = "select monitored_relation_id, is_stale from audit.audit_freshness order by 1"
    before, after = dict(warehouse_con.execute(query).fetchall()), dict(
        planted["con"].execute(query).fetchall())
    assert before[STALE] is False and after[STALE] is True
    assert {name for name in after if after[name] != before[name]} == {STALE}


def test_planted_run_is_logged_with_its_warnings(planted):
    con = planted["con"]
    run = run_row(con, "selected = 'audit_daily_volumes audit_volume_zscores audit_freshness'")
    assert (run["command"], run["status"]) == ("build", "warn")
    failures = dict(con.execute(
        "select node_name, failures from audit.dbt_model_runs where invocation_id = ? "
        "and node_name in ('volume_zscore_alert_in_recent_days', 'freshness_stale_relation')",
        [run["invocation_id"]]).fetchall())
    alerts = con.execute(
        "select count(*) from audit.audit_volume_zscores where is_volume_alert").fetchone()[0]
    stale = con.execute("select count(*) from audit.audit_freshness where is_stale").fetchone()[0]
    assert failures == {"volume_zscore_alert_in_recent_days": alerts,
                        "freshness_stale_relation": stale}
    assert alerts >= 1 and stale >= 1
    assert summary(planted["stdout"])["WARN"] == run["nodes_warned"] >= 2
