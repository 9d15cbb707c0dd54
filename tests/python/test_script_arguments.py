"""Every argument a person types into a script in scripts/, given a bad value, ends in one line on
stderr that names the argument and the fix, and a non-zero exit: never a traceback.

One case per argument and kind of bad value (nan, inf, negative, zero, not a number, impossible
date, missing file or folder, unknown name). The scripts exit on the argument before any slow
work starts, so every case runs in a second or two.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
MISSING = "/nonexistent/cx-warehouse/missing"

#: (script, arguments, the argument the error line must name, a word of the fix it must give)
CASES = [
    # lookup_receipts.py
    ("lookup_receipts.py", ["--amount", "nan"], "--amount", "40"),
    ("lookup_receipts.py", ["--amount", "inf"], "--amount", "40"),
    ("lookup_receipts.py", ["--amount", "-5"], "--amount", "negative"),
    ("lookup_receipts.py", ["--amount", "forty"], "--amount", "39.90"),
    ("lookup_receipts.py", ["--amount", "1e400"], "--amount", "40"),
    ("lookup_receipts.py", ["--date", "2026-02-30"], "--date", "YYYY-MM-DD"),
    ("lookup_receipts.py", ["--date", "10/03/2026"], "--date", "YYYY-MM-DD"),
    ("lookup_receipts.py", ["--card", "42"], "--card", "last 4 digits"),
    ("lookup_receipts.py", ["--store", "x", "--days", "-1"], "--days", "between 0 and"),
    ("lookup_receipts.py", ["--store", "x", "--days", "nan"], "--days", "whole number"),
    ("lookup_receipts.py", ["--store", "x", "--amount-window", "nan"], "--amount-window", "40"),
    ("lookup_receipts.py", ["--store", "x", "--limit", "0"], "--limit", "between 1 and"),
    ("lookup_receipts.py", ["--store", "  "], "--store", "leave --store out"),
    ("lookup_receipts.py", ["--store", "x", "--warehouse", MISSING], "--warehouse", "make build"),
    ("lookup_receipts.py", [], "--store", "give at least one"),
    # publish.py
    ("publish.py", ["--warehouse", MISSING], "--warehouse", "make build"),
    ("publish.py", ["--serving", "data/marts.duckdb"], "CX_SERVING_PATH", "serving.duckdb"),
    ("publish.py", ["--schemas", "restricted"], "restricted", "publish only"),
    ("publish.py", ["--storage-version", "one"], "--storage-version", "v1.4.0"),
    ("publish.py", ["--target-dir", MISSING], "--target-dir", "existing folder"),
    # benchmark_lookups.py
    ("benchmark_lookups.py", ["--serving", MISSING], "--serving", "make publish"),
    ("benchmark_lookups.py", ["--lookups", "0"], "--lookups", "at least 1"),
    ("benchmark_lookups.py", ["--lookups", "nan"], "--lookups", "whole number"),
    ("benchmark_lookups.py", ["--warmup", "-1"], "--warmup", "at least 0"),
    ("benchmark_lookups.py", ["--seed", "x"], "--seed", "whole number"),
    # benchmark_customer360.py
    ("benchmark_customer360.py", ["--iterations", "0"], "--iterations", "at least 1"),
    ("benchmark_customer360.py", ["--warmup", "inf"], "--warmup", "whole number"),
    ("benchmark_customer360.py", ["--seed", "-3"], "--seed", "at least 0"),
    ("benchmark_customer360.py", ["--warehouse", MISSING], "--warehouse", "make build"),
    # benchmark_enrichment.py
    ("benchmark_enrichment.py", ["--messages", "0"], "--messages", "at least 1"),
    ("benchmark_enrichment.py", ["--seed", "nan"], "--seed", "whole number"),
    ("benchmark_enrichment.py", ["--warehouse", MISSING], "--warehouse", "make build"),
    # benchmark.py
    ("benchmark.py", ["--generator-scales", "nan"], "--generator-scales", "greater than 0"),
    ("benchmark.py", ["--build-scales", "-1"], "--build-scales", "greater than 0"),
    # support_benchmark.py
    ("support_benchmark.py", ["--scales", "inf"], "--scales", "greater than 0"),
    ("support_benchmark.py", ["--warehouse", MISSING], "--warehouse", "existing file"),
    # check_raw.py
    ("check_raw.py", ["--raw-dir", MISSING], "--raw-dir", "existing folder"),
    ("check_raw.py", ["--project-dir", MISSING], "--project-dir", "existing folder"),
    # fingerprint.py
    ("fingerprint.py", ["save", MISSING, "target/out.json"], "warehouse", "existing file"),
    ("fingerprint.py", ["compare", MISSING, MISSING], "before", "existing file"),
    # fit_churn_scorecard.py
    ("fit_churn_scorecard.py", [MISSING], "folders", "existing folder"),
    # generate_data.py
    ("generate_data.py", ["--scale", "nan"], "--scale", "> 0"),
    ("generate_data.py", ["--scale", "inf"], "--scale", "> 0"),
    ("generate_data.py", ["--scale", "0"], "--scale", "> 0"),
    ("generate_data.py", ["--seed", "-1"], "--seed", "non-negative"),
    ("generate_data.py", ["--end-date", "2026-02-30"], "--end-date", "YYYY-MM-DD"),
    ("generate_data.py", ["--days", "nan"], "--days", "whole number"),
    # match_customers.py
    ("match_customers.py", ["--source", MISSING], "--source", "existing file"),
    ("match_customers.py", ["--top", "0"], "--top", "between 1 and"),
    ("match_customers.py", ["--format", "xml"], "--format", "choose from"),
    # eval_matching.py
    ("eval_matching.py", ["--sets", "febrl4"], "--sets", "held out"),
    ("eval_matching.py", ["--scales", "nan"], "--scales", "(0, 100]"),
    ("eval_matching.py", ["--min-recall", "2"], "--min-recall", "at most 1"),
    ("eval_matching.py", ["--warehouse", MISSING], "--warehouse", "existing file"),
    # eval_sentiment.py, train_sentiment_model.py (flags only)
    ("eval_sentiment.py", ["--bands", "3"], "--bands", "see --help"),
    ("train_sentiment_model.py", ["--folds", "3"], "--folds", "see --help"),
    # dashboards.py (exits before Streamlit is imported, so the extra need not be installed)
    ("dashboards.py", ["--serving", MISSING], "--serving", "run make build first"),
    ("dashboards.py", ["--port", "0"], "--port", "between 1 and 65535"),
    ("dashboards.py", ["--port", "nan"], "--port", "whole number"),
    ("dashboards.py", ["--host", " "], "--host", "127.0.0.1"),
    # metrics_doc.py (flags only)
    ("metrics_doc.py", ["--write", "--check"], "--check", "see --help"),
    # measure_name_redaction.py
    ("measure_name_redaction.py", ["--warehouse", MISSING, "--raw-dir", "."], "--warehouse",
     "existing file"),
]


def run(script: str, args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, **env)
    return subprocess.run([sys.executable, str(REPO / "scripts" / script), *args],
                          capture_output=True, text=True, timeout=120, env=environment,
                          cwd=REPO)


def assert_one_line_error(result: subprocess.CompletedProcess, argument: str, fix: str) -> str:
    assert result.returncode != 0, result.stdout[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr[-3000:]
    assert argument in lines[0] and fix in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("script, args, argument, fix", CASES,
                         ids=[f"{case[0]}:{' '.join(case[1]) or '(none)'}" for case in CASES])
def test_bad_argument_gets_one_line(script, args, argument, fix, tmp_path):
    # A warehouse that exists, so that the lookup script reaches each argument's own check.
    result = run(script, args, CX_WAREHOUSE_PATH=MISSING, CX_SERVING_PATH=MISSING)
    assert_one_line_error(result, argument, fix)


def test_every_script_is_covered():
    scripts = {path.name for path in (REPO / "scripts").glob("*.py")}
    assert scripts == {case[0] for case in CASES}


@pytest.fixture
def small_warehouse(tmp_path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute("create table marts.dim_stores as select * from (values "
                           "('STR-1', 'Shadyside'), ('STR-2', 'Squirrel Hill'), "
                           "('STR-3', 'Strip District'), ('STR-4', 'Oakland')) "
                           "as stores(store_id, store_name)")
    return path


def test_unknown_store_names_the_closest_real_stores(small_warehouse):
    result = run("lookup_receipts.py", ["--store", "Narnia", "--warehouse", str(small_warehouse)])
    line = assert_one_line_error(result, "--store", "leave --store out")
    assert "'Narnia'" in line
    named = [name for name in ("Shadyside", "Squirrel Hill", "Strip District", "Oakland")
             if f"'{name}'" in line]
    assert len(named) == 3
    with duckdb.connect(str(small_warehouse), read_only=True) as connection:  # nothing logged
        assert connection.execute(
            "select count(*) from duckdb_tables() where schema_name = 'audit'").fetchone()[0] == 0


def test_dashboards_port_from_the_environment_is_checked():
    result = run("dashboards.py", [], CX_DASHBOARD_PORT="80x", CX_SERVING_PATH=MISSING)
    assert_one_line_error(result, "CX_DASHBOARD_PORT", "between 1 and 65535")
