"""End to end: the session's scale-1 warehouse (the build recipe: generate, preflight, `dbt build`,
post-build checks; conftest.built_warehouse), and the recipe's own refusals.

The expectations come from the generator's hidden ground truth (data/truth), never from a
previous run: every raw row is staged or quarantined, every dirty row is quarantined with the
reason the generator injected, and no raw PII value reaches a schema outside restricted and
quarantine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import REPO, dbt_env, fits_session, run_dbt

from cx_warehouse import build as recipe


pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(built_warehouse):
    return built_warehouse


@pytest.fixture(scope="module")
def con(warehouse_con):
    return warehouse_con


def raw_row_count(raw: Path, table: str) -> int:
    parquet = raw / f"{table}.parquet"
    if parquet.exists():
        return pq.ParquetFile(parquet).metadata.num_rows
    if table == "chats":
        with open(raw / "chats.jsonl", "rb") as handle:
            return sum(1 for _ in handle)
    if table == "emails":
        return duckdb.connect().execute(
            f"select count(*) from read_csv('{raw / 'emails.csv'}', all_varchar = true)"
        ).fetchone()[0]
    raise AssertionError(f"unknown raw table {table}")


def test_every_raw_row_is_staged_or_quarantined(warehouse, con):
    rows = con.execute(
        "select table_name, raw_rows, staged_rows, quarantined_rows, unaccounted_rows "
        "from audit.source_reconciliation order by table_name"
    ).fetchall()
    assert len(rows) == 12
    truth = pq.read_table(warehouse["truth"] / "dirty_rows.parquet").to_pandas()
    dirty_per_table = truth.groupby("source_table").size().to_dict()
    for table_name, raw_rows, staged_rows, quarantined_rows, unaccounted in rows:
        assert raw_rows == raw_row_count(warehouse["raw"], table_name), table_name
        assert unaccounted == 0, table_name
        assert quarantined_rows == dirty_per_table.get(table_name, 0), table_name
        assert staged_rows == raw_rows - dirty_per_table.get(table_name, 0), table_name


def test_every_dirty_row_is_quarantined_with_its_reason(warehouse, con):
    quarantine_tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_name like 'quarantine_%' order by 1, 2"
    ).fetchall()
    assert len(quarantine_tables) == 12
    quarantined = set()
    for schema, table in quarantine_tables:
        quarantined |= set(con.execute(
            f"select source_table, source_row_number, reject_reason from {schema}.{table}"
        ).fetchall())
    truth = pq.read_table(warehouse["truth"] / "dirty_rows.parquet").to_pylist()
    expected = {(row["source_table"], row["row_number"], row["reject_reason"]) for row in truth}
    assert len(expected) > 100
    missing, unexpected = expected - quarantined, quarantined - expected
    assert not missing and not unexpected, (
        f"{len(missing)} dirty rows not quarantined with their reason, e.g. "
        f"{sorted(missing)[:5]}; {len(unexpected)} rows quarantined wrongly, e.g. "
        f"{sorted(unexpected)[:5]}"
    )


def first_pii_hit(con, schema: str, table: str, column: str) -> tuple | None:
    """(kind, value) of a row of temp table pii_values (kind, value, prefix = its first 6
    characters) contained in the column, or None. Each distinct text is cut into its
    6-character windows, hash-joined on the prefix, then confirmed with contains(): the same
    answer as contains() against every value, without a rows x values nested loop."""
    return con.execute(f"""
        with scanned as (
            select distinct cast(source."{column}" as varchar) as text
            from "{schema}"."{table}" as source
            where source."{column}" is not null
        ),
        windows as (
            select text, substr(text, unnest(range(1, length(text) - 4)), 6) as prefix
            from scanned
            where length(text) >= 6
        )
        select pii_values.kind, pii_values.value
        from windows
        inner join pii_values on windows.prefix = pii_values.prefix
        where contains(windows.text, pii_values.value)
        limit 1
    """).fetchone()


def test_first_pii_hit_finds_a_value_anywhere_in_a_text():
    with duckdb.connect() as con:
        con.execute("create temp table pii_values as select * from (values "
                    "('email', 'maria.souza@example.com', 'maria.'), "
                    "('phone', '11987654321', '119876')) as v(kind, value, prefix)")
        con.execute("create schema s")
        con.execute("create table s.t as select * from (values ('nothing here'), "
                    "('call 11987654321'), ('maria.souza@example.co')) as v(c)")
        assert first_pii_hit(con, "s", "t", "c") == ("phone", "11987654321")
        con.execute("delete from s.t where c like 'call%'")
        assert first_pii_hit(con, "s", "t", "c") is None  # a prefix alone is no hit
        con.execute("insert into s.t values ('maria.souza@example.com')")  # the whole text
        assert first_pii_hit(con, "s", "t", "c") == ("email", "maria.souza@example.com")


def test_no_raw_pii_value_outside_private_schemas(warehouse, con):
    pii = pq.read_table(warehouse["truth"] / "pii_values.parquet").to_pandas()
    pii = pii[pii["value"].str.len() >= 6].drop_duplicates("value")
    assert set(pii["kind"]) >= {"email", "phone", "card", "cpf"}
    con.execute("create or replace temp table pii_values as "
                "select kind, value, substr(value, 1, 6) as prefix from pii")
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema not in ('restricted', 'quarantine') "
        "and table_catalog = current_database() "
        "and (data_type = 'VARCHAR' or data_type like 'VARCHAR[]%')"
    ).fetchall()
    assert len(columns) > 30
    leaks = []
    for schema, table, column in columns:
        hit = first_pii_hit(con, schema, table, column)
        if hit:
            leaks.append((f"{schema}.{table}.{column}", hit[0]))
    assert not leaks, f"raw PII found outside restricted/quarantine: {leaks[:10]}"


def test_pattern_scan_passes_and_sees_the_public_schemas(warehouse):
    scan = warehouse["post_build"]
    assert scan.returncode == 0, scan.stdout[-3000:]
    assert "assert_no_raw_pii_outside_restricted" in scan.stdout


def test_schemas_have_clean_names(con):
    schemas = {row[0] for row in con.execute(
        "select distinct table_schema from information_schema.tables"
    ).fetchall()}
    assert {"staging", "quarantine", "restricted", "audit"} <= schemas
    assert not any(schema.startswith("main_") for schema in schemas)


def test_development_salt_is_announced(warehouse):
    assert "CX_PII_SALT is not set" in warehouse["build"].stdout


def test_pattern_scan_fails_on_a_planted_leak(warehouse, tmp_path):
    """The post-build scan must catch PII in any public table, including one it was never told
    about: plant an email and a card number in a copy of the warehouse and expect failure."""
    # Same file name: the views inside refer to their database by the file's base name.
    copy = tmp_path / "copy" / warehouse["db"].name
    copy.parent.mkdir()
    shutil.copyfile(warehouse["db"], copy)
    with duckdb.connect(str(copy)) as leaky:
        leaky.execute("create schema if not exists marts")
        leaky.execute(
            "create table marts.planted_leak as select * from (values "
            "('contact maria.souza@example.com'), ('card 4111 1111 1111 1111')) as t(note)"
        )
    env = dbt_env(warehouse["raw"], copy)
    scan = run_dbt(["build", "--select", "tag:post_build"], env, tmp_path / "logs")
    assert scan.returncode != 0
    assert "assert_no_raw_pii_outside_restricted" in scan.stdout
    assert "Got 2 results" in scan.stdout


def test_the_session_build_is_recorded_in_build_json(warehouse):
    """The recipe's build.json describes the dataset and both dbt steps, and says it fits."""
    manifest = warehouse["manifest"]
    assert fits_session(manifest)
    assert manifest["returncode"] == 0
    assert [name for name in manifest["steps"] if name != "generate"] == [
        "preflight", "build", "post_build"]
    assert all(step["returncode"] == 0 for step in manifest["steps"].values())
    assert not recipe.marker(Path(manifest["warehouse"])).exists()
    assert warehouse["post_build"].returncode == 0
    assert "assert_no_raw_pii_outside_restricted" in warehouse["post_build"].stdout


def test_a_build_of_another_scale_is_not_reused_by_the_session(warehouse):
    manifest = dict(warehouse["manifest"])
    assert not fits_session({**manifest, "scale": 2.0})
    assert not fits_session({**manifest, "target": "dev"})
    assert not fits_session({**manifest, "finished_at": None})
    assert not fits_session({**manifest, "development_salt": False})


def test_the_recipe_stops_on_bad_raw_files_with_one_line_and_no_build(tmp_path):
    """A landing folder with a broken file: exit 2 before dbt starts, no marker, no warehouse,
    one line naming the problem, and build.json records the failed preflight."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "tickets.parquet").write_bytes(b"not parquet at all")
    warehouse = tmp_path / "warehouse.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "cx_warehouse.build", "--raw-dir", str(raw), "--warehouse",
         str(warehouse), "--target", "ci", "--log-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == recipe.EXIT_PREFLIGHT, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("build: error:")]
    assert len(errors) == 1 and "problem(s) in the raw files" in errors[0]
    assert "tickets" in result.stderr
    assert not warehouse.exists() and not recipe.marker(warehouse).exists()
    manifest = recipe.read_manifest(tmp_path)
    assert manifest["returncode"] == recipe.EXIT_PREFLIGHT
    assert list(manifest["steps"]) == ["preflight"]
