"""Bad raw inputs end in a clear message naming the file, or in quarantine with a reason.

Issue 6, "Crash safety and bad input" and "Contracts and drift". Three layers are tested:
- file level, scripts/check_raw.py (cx_warehouse.preflight), no dbt: truncated Parquet, empty
  files, a missing file, CSV with a wrong delimiter, a wrong encoding or mixed line endings,
  UTF-16 and non-JSON-Lines text: one line per problem naming the file and the fix, exit code 2,
  no traceback. A UTF-8 byte-order mark is a warning only (DuckDB skips it; proven below);
- row level, ONE small dbt run (scale 0.05; staging, quarantine and reconciliation models only;
  their dbt data tests are replaced by the assertions here, which is 3x faster) with every
  row-level bad input injected together: a 10 MB chat message and a 10 MB email body are
  quarantined as oversized_text; unicode everywhere (emoji, RTL, combining marks, control
  characters) is staged unchanged; a BOM before the first JSON line loses nothing; a new column
  only warns; every raw row is staged or quarantined and every valid row is staged;
- schema drift, the dbt on-run-start hook check_source_schemas (`dbt run-operation`, reusing
  the run's parsed manifest): a missing column, a retyped column and a missing file fail with
  the source, file, column and change named, all in one message.
dbt runs in-process (dbtRunner) so the second invocation skips parsing, most of its cost.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO, dbt_env, generate
from dbt.cli.main import dbtRunner, dbtRunnerResult

sys.path.insert(0, str(REPO / "scripts"))
import check_raw  # noqa: E402

from cx_warehouse import preflight  # noqa: E402

TEN_MB = 10 * 1024 * 1024
OVERSIZED_CHAT, UNICODE_CHAT = "CHT-9900001", "CHT-9900002"
OVERSIZED_EMAIL, UNICODE_EMAIL = "EML-9900001", "EML-9900002"
UNICODE_CUSTOMER = "CUS-9900001"
# Emoji (with a ZWJ sequence and a skin tone), right-to-left Arabic and Hebrew, combining marks
# (e + U+0301, n + U+0303), CJK, and control characters other than NUL.
UNICODE_TEXT = ("Olá 👋🏽 👩‍💻 مرحبا بكم שלום cafe\u0301 man\u0303ana 東京 "
                "bell\u0007 tab\tvt\u000b ff\u000c esc\u001b del\u007f end")
UNICODE_NAME = "Zoë\u0301 👩‍🔧 Ñúñez אברהם"


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_raw(tmp_path_factory) -> dict[str, Path]:
    """A tiny generated landing folder (scale 0.05, seed 42), never modified."""
    root = tmp_path_factory.mktemp("bad_inputs")
    raw, truth = root / "raw", root / "truth"
    generate(raw, truth, scale=0.05, seed=42)
    return {"root": root, "raw": raw, "truth": truth}


@pytest.fixture
def landing(small_raw, tmp_path) -> Path:
    """A private copy of the tiny landing folder to break."""
    target = tmp_path / "raw"
    shutil.copytree(small_raw["raw"], target)
    return target


def run_check_raw(raw: Path, capsys, *extra: str) -> tuple[int, str]:
    """scripts/check_raw.py in-process; (exit code, everything printed)."""
    code = check_raw.main(["--raw-dir", str(raw), "--project-dir", str(REPO), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_no_traceback(output: str) -> None:
    assert "Traceback" not in output and 'File "' not in output, output[-3000:]


# --------------------------------------------------------------------------------------------
# File level: the preflight
# --------------------------------------------------------------------------------------------


def test_preflight_derives_the_files_from_the_source_yaml(small_raw, capsys) -> None:
    files = preflight.declared_raw_files(REPO, small_raw["raw"])
    names = {f.path.name for f in files}
    # Every file the generator writes is declared by a source (and nothing is listed twice).
    written = {p.name for p in small_raw["raw"].iterdir()}
    assert written <= names, written - names
    assert len(names) == len(files)
    assert {f.label for f in files} >= {"support.customers", "chat.chats", "email.emails",
                                        "landing.extract_manifest"}
    code, output = run_check_raw(small_raw["raw"], capsys)
    assert code == 0, output
    assert output.startswith(f"check_raw: OK: {len(written)} raw file(s) in {small_raw['raw']}")
    assert len(output.strip().splitlines()) == 1


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def semicolon_csv(path: Path) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


def latin1_csv(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[3] = lines[3] + " Atenção, café"  # inside the last (body) field of a data row
    path.write_bytes("\n".join(lines).encode("latin-1", errors="replace"))


def mixed_line_endings(path: Path) -> None:
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(
            ["EML-9999999", "2026-03-01T10:00:00+00:00", "a@example.com", "s@example.com", "s",
             "b"])


CASES = {
    # case: (file, how to break it, words the one-line message must contain)
    "truncated_parquet": ("customers.parquet", truncate, ["support.customers", "truncated",
                                                          "Fix:"]),
    "empty_file": ("tickets.parquet", lambda p: p.write_bytes(b""),
                   ["support.tickets", "empty (0 bytes)", "Fix:"]),
    "empty_csv": ("emails.csv", lambda p: p.write_bytes(b""), ["email.emails", "empty"]),
    "missing_file": ("chats.jsonl", lambda p: p.unlink(), ["chat.chats", "missing", "CX_RAW_DIR"]),
    "csv_wrong_delimiter": ("emails.csv", semicolon_csv, ["email.emails", "';'-separated",
                                                          "Fix:"]),
    "csv_wrong_encoding": ("emails.csv", latin1_csv, ["email.emails", "is not UTF-8", "line",
                                                      "iconv"]),
    "csv_mixed_line_endings": ("emails.csv", mixed_line_endings, ["email.emails",
                                                                  "line endings", "Fix:"]),
    "jsonl_utf16": ("chats.jsonl",
                    lambda p: p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16")),
                    ["chat.chats", "UTF-16", "Fix:"]),
    "jsonl_not_json_lines": ("chats.jsonl",
                             lambda p: p.write_text(json.dumps(
                                 [json.loads(line) for line in
                                  p.read_text(encoding="utf-8").splitlines()[:3]], indent=2)),
                             ["chat.chats", "JSON Lines"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_preflight_names_the_bad_file_and_the_fix(case, landing, capsys) -> None:
    file_name, corrupt, words = CASES[case]
    corrupt(landing / file_name)
    code, output = run_check_raw(landing, capsys)
    assert code == 2, output
    assert_no_traceback(output)
    problem_lines = [line for line in output.splitlines() if str(landing / file_name) in line]
    assert len(problem_lines) == 1, output  # one line for the one broken file
    for word in words:
        assert word in problem_lines[0], (word, problem_lines[0])
    # Only the broken file is reported: the summary counts exactly one problem.
    assert output.strip().splitlines()[-1].startswith("check_raw: 1 problem(s)"), output


def test_preflight_bom_is_a_warning_not_a_failure(landing, capsys) -> None:
    """DuckDB skips a UTF-8 BOM (the row-level build below proves no line is lost)."""
    chats = landing / "chats.jsonl"
    chats.write_bytes(b"\xef\xbb\xbf" + chats.read_bytes())
    code, output = run_check_raw(landing, capsys)
    assert code == 0, output
    assert f"warning: {chats}: chat.chats starts with a UTF-8 byte-order mark" in output
    code, output = run_check_raw(landing, capsys, "--strict")
    assert code == 2 and "1 problem(s)" in output, output


def test_preflight_optional_file_only_on_listed_targets(landing, capsys) -> None:
    optional = [f for f in preflight.declared_raw_files(REPO, landing)
                if f.optional_on and not isinstance(f.optional_on, bool)]
    if not optional:
        pytest.skip("no source table declares meta.optional for some targets")
    raw = optional[0]
    raw.path.unlink(missing_ok=True)
    allowed, denied = raw.optional_on[0], "prod"
    assert denied not in raw.optional_on
    code, output = run_check_raw(landing, capsys, "--target", allowed)
    assert code == 0 and raw.path.name in output, output
    code, output = run_check_raw(landing, capsys, "--target", denied)
    assert code == 2 and f"{raw.path}: {raw.label} is missing" in output, output


def test_check_raw_cli_exit_code_and_one_line_per_problem(landing) -> None:
    """The script itself (a subprocess): two broken files, two lines, exit 2, no traceback."""
    truncate(landing / "receipts.parquet")
    (landing / "agents.parquet").unlink()
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_raw.py"), "--raw-dir", str(landing)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert_no_traceback(result.stdout + result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("check_raw: 2 problem(s)")
    assert sorted(line.split(": ")[1] for line in lines[:-1]) == sorted(
        [str(landing / "agents.parquet"), str(landing / "receipts.parquet")])


# --------------------------------------------------------------------------------------------
# Row level: one small dbt run with every row-level bad input
# --------------------------------------------------------------------------------------------


def chat_line(conversation_id: str, texts: list[str]) -> str:
    roles = ["customer", "agent"]
    messages = [
        {"role": roles[i % 2], "sent_at": f"2026-03-01T10:{i:02d}:00Z", "text": text,
         "agent_id": None}
        for i, text in enumerate(texts)
    ]
    return json.dumps({
        "schema_version": 1, "conversation_id": conversation_id, "customer_id": None,
        "customer_email": None, "channel": "WEB", "started_at": "2026-03-01T10:00:00Z",
        "ended_at": "2026-03-01T10:30:00Z", "messages": messages,
    }, ensure_ascii=False)


def inject_row_level_bad_inputs(raw: Path, truth: Path) -> dict[str, Any]:
    """Every row-level bad input at once; returns what the assertions need."""
    # chats.jsonl: a BOM before line 1, a 10 MB message, a conversation in every script.
    chats = raw / "chats.jsonl"
    original = chats.read_bytes()
    unicode_texts = [UNICODE_TEXT, "ok 👍 " + UNICODE_TEXT[::-1]]
    chats.write_bytes(
        b"\xef\xbb\xbf" + original
        + (chat_line(OVERSIZED_CHAT, ["short", "x" * TEN_MB]) + "\n").encode("utf-8")
        + (chat_line(UNICODE_CHAT, unicode_texts) + "\n").encode("utf-8"))

    # emails.csv: a 10 MB body, and unicode with raw control characters in subject and body.
    emails = raw / "emails.csv"
    with open(emails, "a", newline="", encoding="utf-8") as handle:
        # The export's own line ending (\n): DuckDB's CSV reader rejects mixed line endings.
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow([OVERSIZED_EMAIL, "2026-03-01T10:00:00+00:00", "big@example.com",
                         "support@example.com", "Huge", "y" * TEN_MB])
        writer.writerow([UNICODE_EMAIL, "2026-03-01T11:00:00+00:00", "zoe@example.com",
                         "support@example.com", "Assunto 🙂 שלום", UNICODE_TEXT])

    # customers.parquet: a valid customer (copy of a clean row) with a unicode name.
    customers = pq.read_table(raw / "customers.parquet")
    dirty = pq.read_table(truth / "dirty_rows.parquet").to_pandas()
    dirty_rows = set(dirty.loc[dirty.source_table == "customers", "row_number"])
    clean = next(i for i in range(customers.num_rows) if i not in dirty_rows)
    row = customers.slice(clean, 1).to_pylist()[0]
    row.update(customer_id=UNICODE_CUSTOMER, customer_name=UNICODE_NAME,
               email="zoe.unicode@example.com")
    pq.write_table(pa.concat_tables(
        [customers, pa.Table.from_pylist([row], schema=customers.schema)]),
        raw / "customers.parquet")

    # stores.parquet: a new column nobody declared (drift warning; the build goes on).
    stores = pq.read_table(raw / "stores.parquet")
    pq.write_table(stores.append_column("loyalty_tier", pa.array(["gold"] * stores.num_rows)),
                   raw / "stores.parquet")

    dirty_counts = dirty.groupby("source_table").size().to_dict()
    first_line_dirty = 0 in set(dirty.loc[dirty.source_table == "chats", "row_number"])
    return {"unicode_texts": unicode_texts, "dirty": dirty_counts,
            "first_line_dirty": first_line_dirty}


def invoke_dbt(args: list[str], raw: Path, db: Path, root: Path,
               manifest: Any = None) -> tuple[dbtRunnerResult, str]:
    """dbt in-process (so the drift check can reuse the parsed manifest: parsing is most of a
    small run's time); returns the result and what dbt prints (messages above debug level)."""
    messages: list[str] = []

    def collect(event: Any) -> None:
        if event.info.level != "debug":
            messages.append(event.info.msg)

    runner = dbtRunner(manifest=manifest, callbacks=[collect])
    env = dbt_env(raw, db)
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    os.environ.pop("CX_PII_SALT", None)
    try:
        result = runner.invoke([
            *args, "--project-dir", str(REPO), "--profiles-dir", str(REPO), "--target", "ci",
            "--target-path", str(root / "target"), "--log-path", str(root / "logs"),
        ])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return result, "\n".join(str(message) for message in messages)


@pytest.fixture(scope="module")
def row_level_build(small_raw) -> dict[str, Any]:
    """ONE dbt run of staging + quarantine + reconciliation over every row-level bad input."""
    root = small_raw["root"] / "row_level"
    raw, db = root / "raw", root / "warehouse.duckdb"
    shutil.copytree(small_raw["raw"], raw)
    injected = inject_row_level_bad_inputs(raw, small_raw["truth"])
    parsed, output = invoke_dbt(["parse"], raw, db, root)
    assert parsed.success, output[-6000:]
    result, output = invoke_dbt(
        ["run", "--select", "+source_reconciliation", "stg_chat__messages"], raw, db, root,
        manifest=parsed.result)
    assert result.success, output[-6000:]
    return {"db": db, "output": output, "raw": raw, "root": root, "manifest": parsed.result,
            **injected}


def query(build: dict[str, Any], sql: str, params: list[Any] | None = None) -> list[tuple]:
    """Read the small warehouse. dbt ran in this process and may still hold the file, so the
    connection uses the same (read-write) configuration, briefly: the spill folder profiles.yml
    gives when the file is opened."""
    config = {"temp_directory": os.environ.get("CX_DUCKDB_TEMP_DIR") or f"{build['db']}.tmp"}
    with duckdb.connect(str(build["db"]), config=config) as con:
        return con.execute(sql, params or []).fetchall()


def test_build_has_no_traceback_and_warns_about_the_new_column(row_level_build) -> None:
    output = row_level_build["output"]
    assert_no_traceback(output)
    stores = row_level_build["raw"] / "stores.parquet"
    assert (f"retail.stores ({stores}): new column loyalty_tier (VARCHAR) is not declared and "
            "is ignored") in output
    files = len(list(row_level_build["raw"].iterdir()))
    assert (f"Source schemas: {files} raw file(s) checked; every declared column is present "
            "with its declared type.") in output


def test_ten_mb_texts_are_quarantined_as_oversized(row_level_build) -> None:
    chats = query(
        row_level_build,
        "select reject_reason, strlen(raw_record) from restricted.quarantine_chat__chats "
        "where record_key = ?", [OVERSIZED_CHAT])
    assert len(chats) == 1 and chats[0][0] == "oversized_text"
    assert chats[0][1] > TEN_MB  # the raw line is kept whole, for whoever reviews it
    emails = query(
        row_level_build,
        "select reject_reason from restricted.quarantine_email__emails where record_key = ?",
        [OVERSIZED_EMAIL])
    assert emails == [("oversized_text",)]
    staged = query(
        row_level_build,
        "select count(*) from staging.stg_chat__conversations where conversation_id = ? "
        "union all select count(*) from staging.stg_email__emails where email_id = ?",
        [OVERSIZED_CHAT, OVERSIZED_EMAIL])
    assert staged == [(0,), (0,)]


def test_unicode_everywhere_is_staged_unchanged(row_level_build) -> None:
    messages = query(
        row_level_build,
        "select message_text_redacted from staging.stg_chat__messages "
        "where conversation_id = ? order by message_index", [UNICODE_CHAT])
    assert [m[0] for m in messages] == row_level_build["unicode_texts"]
    email = query(
        row_level_build,
        "select subject_redacted, body_redacted from staging.stg_email__emails "
        "where email_id = ?", [UNICODE_EMAIL])
    assert email == [("Assunto 🙂 שלום", UNICODE_TEXT)]
    first, last = UNICODE_NAME.split(" ")[0], UNICODE_NAME.split(" ")[-1]
    masked = query(
        row_level_build,
        "select customer_name_masked from staging.stg_support__customers where customer_id = ?",
        [UNICODE_CUSTOMER])
    assert masked == [(f"{first[0].upper()}{first[1:].lower()} {last[0]}.",)]


def test_every_row_is_accounted_for_and_no_valid_row_is_lost(row_level_build) -> None:
    rows = {r[0]: r[1:] for r in query(
        row_level_build,
        "select table_name, raw_rows, staged_rows, quarantined_rows, unaccounted_rows "
        "from audit.source_reconciliation")}
    assert all(r[3] == 0 for r in rows.values()), rows
    dirty = row_level_build["dirty"]
    # Valid rows = raw - the generator's dirty rows - the injected oversized row; the injected
    # unicode rows are valid, and the BOM before line 1 costs nothing.
    for table, oversized in (("chats", 1), ("emails", 1), ("customers", 0)):
        raw_rows, staged, quarantined, _ = rows[table]
        assert staged == raw_rows - dirty.get(table, 0) - oversized, (table, rows[table])
        assert quarantined == dirty.get(table, 0) + oversized, (table, rows[table])
    first_line = query(
        row_level_build,
        "select count(*) from restricted.quarantine_chat__chats where source_row_number = 0"
    )[0][0]
    # The line behind the BOM is not rejected as broken JSON (unless the generator made it dirty).
    assert first_line == int(row_level_build["first_line_dirty"])


# --------------------------------------------------------------------------------------------
# Schema drift: the dbt hook, once (dbt run-operation)
# --------------------------------------------------------------------------------------------


def test_drift_hook_names_source_file_column_and_change(row_level_build) -> None:
    # The parsed manifest holds the landing folder's path, so the drift goes into the same
    # folder (the row-level tests read only the warehouse, which is already built).
    raw = row_level_build["raw"]
    receipts = pq.read_table(raw / "receipts.parquet")
    index = receipts.schema.get_field_index("total")
    pq.write_table(receipts.set_column(index, "total", receipts["total"].cast(pa.string())),
                   raw / "receipts.parquet")
    customers = pq.read_table(raw / "customers.parquet")
    pq.write_table(customers.drop_columns(["email"]), raw / "customers.parquet")
    (raw / "agents.parquet").unlink()

    result, output = invoke_dbt(["run-operation", "check_source_schemas"], raw,
                                row_level_build["db"], row_level_build["root"],
                                manifest=row_level_build["manifest"])
    assert not result.success, output[-3000:]
    assert_no_traceback(output)
    assert "Source schema drift: 3 problem(s)" in output, output[-3000:]
    assert (f"retail.receipts ({raw / 'receipts.parquet'}): column total was DECIMAL(12,2), "
            "is now VARCHAR") in output
    assert (f"support.customers ({raw / 'customers.parquet'}): column email is missing "
            "(declared VARCHAR in models/staging/support/_support__sources.yml)") in output
    assert f"support.agents ({raw / 'agents.parquet'}): file not found" in output
    # The new column is still only a warning.
    assert "retail.stores" in output and "new column loyalty_tier (VARCHAR)" in output
