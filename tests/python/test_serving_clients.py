"""The serving file opens in the DuckDB clients BI tools ship, not only in ours.

The session's scale-1 warehouse is published (default storage version) to a file whose name is
not `serving.duckdb`, and the README's queries (a ticket page, a receipt lookup through the
table macro, serving_info) run in

* the current Python client (this venv: the one that wrote the file),
* the oldest Python client that runs the file's table macro (`duckdb==1.4.2`: 1.4.0 and 1.4.1
  read the tables but fail on the macro, see cx_warehouse.publish.OLDEST_CLIENT),
* the DuckDB CLI from PyPI (`duckdb-cli`), as the README's `duckdb -readonly` recipe,
* the Node client at the oldest version the Evidence DuckDB driver accepts,

each opening the file directly and, for the Python clients, attached under another alias.
Every value is cast to text in SQL so that each client prints the same strings; every client's
result must equal the current client's. The old clients live in `.venv-compat/` (`make
compat-clients`, a prerequisite of `make test`); CX_COMPAT_DIR points at it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cx_warehouse import publish

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]

#: The README's queries ("How BI tools connect"), with every column cast to text.
README_QUERIES = {
    "tickets": "select * from marts.fct_tickets order by ticket_id limit 5",
    "lookup": "select * from marts.lookup_receipts(store := 'Shadysde', amount := 40)",
    "info": "select table_count, row_count, storage_version, min_client_version "
            "from serving_info",
    "customers": "select count(*) as customers, count(distinct customer_id) as ids "
                 "from marts.dim_customers",
}


def as_text(sql: str) -> str:
    return f"select cast(columns(*) as varchar) from ({sql})"


#: Runs the queries in a Python client: argv = file, alias ('' = open it directly), queries.
PYTHON_CLIENT = r"""
import json, sys
import duckdb
path, alias, queries = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
if alias:
    con = duckdb.connect()
    con.execute(f"attach '{path}' as {alias} (read_only)")
    con.execute(f"use {alias}")
else:
    con = duckdb.connect(path, read_only=True)
out = {"version": duckdb.__version__}
for name, sql in queries.items():
    out[name] = [list(row) for row in con.execute(sql).fetchall()]
print(json.dumps(out))
"""

#: The same in the Node client (@duckdb/node-api): argv = file, queries.
NODE_CLIENT = r"""
const duckdb = require('@duckdb/node-api');
(async () => {
  const [path, text] = process.argv.slice(-2);  // node -e: no script path in argv
  const queries = JSON.parse(text);
  const instance = await duckdb.DuckDBInstance.create(path, {access_mode: 'READ_ONLY'});
  const connection = await instance.connect();
  const out = {version: duckdb.version()};
  for (const [name, sql] of Object.entries(queries)) {
    out[name] = (await connection.runAndReadAll(sql)).getRows();
  }
  console.log(JSON.stringify(out));
})().catch(error => { console.error(String(error)); process.exit(1); });
"""


@pytest.fixture(scope="module")
def compat_dir() -> Path:
    folder = Path(os.environ.get("CX_COMPAT_DIR", REPO / ".venv-compat"))
    if not (folder / ".installed").exists():
        message = (f"no older DuckDB clients in {folder}: run `make compat-clients` "
                   "(make test does)")
        if os.environ.get("CX_COMPAT_DIR"):
            pytest.fail(message)  # make test set it: the clients must be there
        pytest.skip(message)
    return folder


@pytest.fixture(scope="module")
def serving_file(built_warehouse, tmp_path_factory) -> Path:
    """The session's warehouse published as a BI user might name it."""
    serving = tmp_path_factory.mktemp("clients") / "cx_bi_2026.duckdb"
    publish.publish(built_warehouse["db"], serving, target_dir=None, log=lambda line: None)
    return serving


@pytest.fixture(scope="module")
def expected(serving_file) -> dict:
    """The current client's answers."""
    connection = duckdb.connect(str(serving_file), read_only=True)
    try:
        return {name: [list(row) for row in connection.execute(as_text(sql)).fetchall()]
                for name, sql in README_QUERIES.items()}
    finally:
        connection.close()


def text_queries() -> dict[str, str]:
    return {name: as_text(sql) for name, sql in README_QUERIES.items()}


def run(command: list[str], cwd: Path | None = None) -> dict:
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout)


def test_current_client_answers_are_worth_comparing(expected):
    assert len(expected["tickets"]) == 5
    assert expected["lookup"], "the README's lookup example finds nothing"
    assert expected["info"][0][2:] == [
        publish.DEFAULT_STORAGE_VERSION,
        publish.min_client_version(publish.DEFAULT_STORAGE_VERSION)]
    assert int(expected["customers"][0][0]) > 0


@pytest.mark.parametrize("alias", ["", "bi"], ids=["opened", "attached_as_bi"])
def test_oldest_lts_python_client_reads_the_same(compat_dir, serving_file, expected, alias):
    out = run([str(compat_dir / "bin" / "python"), "-c", PYTHON_CLIENT, str(serving_file),
               alias, json.dumps(text_queries())])
    assert out.pop("version") == publish.min_client_version(publish.DEFAULT_STORAGE_VERSION)
    assert out == expected


def test_current_client_attached_under_another_alias_reads_the_same(serving_file, expected):
    out = run([sys.executable, "-c", PYTHON_CLIENT, str(serving_file), "bi",
               json.dumps(text_queries())])
    assert out.pop("version") == duckdb.__version__
    assert out == expected


def test_duckdb_cli_from_pypi_runs_the_readme_queries(compat_dir, serving_file, expected):
    """`duckdb -readonly FILE`, as the README says; -json prints every value as text."""
    cli = compat_dir / "bin" / "duckdb"
    for name, sql in text_queries().items():
        result = subprocess.run([str(cli), "-readonly", "-json", str(serving_file), "-c", sql],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0 and not result.stderr.strip(), result.stderr[-2000:]
        rows = json.loads(result.stdout or "[]")
        assert [list(row.values()) for row in rows] == expected[name], name


def test_node_client_of_evidence_reads_the_same(compat_dir, serving_file, expected):
    out = run(["node", "-e", NODE_CLIENT, str(serving_file), json.dumps(text_queries())],
              cwd=compat_dir / "node")
    assert out.pop("version").startswith("v1.4.")
    assert out == expected


def test_a_newer_storage_version_is_refused_by_the_old_client(compat_dir, built_warehouse,
                                                              tmp_path):
    """The check above can fail: a file written for DuckDB 2.0 does not open in 1.4."""
    serving = tmp_path / "latest.duckdb"
    publish.publish(built_warehouse["db"], serving, storage_version="latest",
                    log=lambda line: None)
    result = subprocess.run([str(compat_dir / "bin" / "python"), "-c", PYTHON_CLIENT,
                             str(serving), "", json.dumps({"info": "select 1"})],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "version" in result.stderr
