"""Behaviour of the shared dbt macros in macros/ (PII hashing, masking, redaction, utils, tests).

Each macro is compiled by dbt (in-process, `dbt compile --inline`) inside a throwaway project
that links the real macros/ folder and copies the real dbt_project.yml's name, profile and vars,
so the models other people are writing cannot break these tests. The compiled SQL then runs in
an in-memory DuckDB and the values are checked exactly. All cases share a handful of dbt
invocations (each costs seconds): one compile for the bulk of the cases, a few for salts and
targets, one `dbt build` for the generic tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from dbt.cli.main import dbtRunner, dbtRunnerResult

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_SALT = "t3st-s'alt"  # the quote checks the salt is escaped inside the SQL literal
OTHER_SALT = "another-test-salt"
STATEMENT_MARKER = "-- @@statement@@"


# --------------------------------------------------------------------------------------------
# Harness
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def patched_env(values: dict[str, str | None]) -> Iterator[None]:
    """Set (str) or unset (None) environment variables for the duration of the block."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class DbtProject:
    """A throwaway dbt project whose macros are the repository's own."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.messages: list[str] = []
        self.runner = dbtRunner(callbacks=[lambda event: self.messages.append(event.info.msg)])

    def invoke(
        self, args: list[str], salt: str | None, target: str = "dev"
    ) -> dbtRunnerResult:
        env = {
            "DO_NOT_TRACK": "1",
            "CX_PII_SALT": salt,
            "CX_WAREHOUSE_PATH": str(self.root / "w.duckdb"),
            "DBT_PROJECT_DIR": None,
            "DBT_PROFILES_DIR": None,
        }
        self.messages.clear()
        with patched_env(env):
            return self.runner.invoke(
                [
                    *args,
                    "--project-dir", str(self.root),
                    "--profiles-dir", str(REPO_ROOT),
                    "--target", target,
                    "--no-partial-parse",
                    "--quiet",
                ]
            )

    def compile_inline(
        self, statements: list[str], salt: str | None = TEST_SALT, target: str = "dev"
    ) -> list[str]:
        """Compile Jinja-SQL statements in one dbt invocation; return their compiled SQL."""
        sql = f"\n{STATEMENT_MARKER}\n".join(statements)
        result = self.invoke(["compile", "--inline", sql], salt=salt, target=target)
        assert result.success, f"dbt compile failed: {result.exception}\n" + "\n".join(
            self.messages
        )
        compiled = result.result.results[0].node.compiled_code
        return [part.strip() for part in compiled.split(STATEMENT_MARKER)]


def make_project(root: Path) -> DbtProject:
    real = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    project = {
        key: real[key]
        for key in ("name", "version", "config-version", "profile", "vars", "flags",
                    "dispatch", "on-run-start")
        if key in real
    }
    # dbt then checks every documented macro's arguments against its jinja definition.
    project["flags"] = {**project.get("flags", {}), "validate_macro_args": True}
    project.update({
        "macro-paths": ["macros"],
        "model-paths": ["models"],
        "seed-paths": ["seeds"],
        "test-paths": ["tests"],
        "analysis-paths": ["analyses"],
    })
    root.mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text(yaml.safe_dump(project, sort_keys=False))
    try:
        (root / "macros").symlink_to(REPO_ROOT / "macros", target_is_directory=True)
    except OSError:
        shutil.copytree(REPO_ROOT / "macros", root / "macros")
    for folder in ("models", "seeds", "tests", "analyses"):
        (root / folder).mkdir(exist_ok=True)
    return DbtProject(root)


def sql_literal(value: str | None) -> str:
    if value is None:
        return "cast(null as varchar)"
    return "'" + value.replace("'", "''") + "'"


def jinja_string(text: str) -> str:
    """A Jinja string literal holding `text` (a SQL expression)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def macro_call(macro: str, value: str | None, *args: str) -> str:
    extra = "".join(f", {arg}" for arg in args)
    return "{{ " + f"{macro}({jinja_string(sql_literal(value))}{extra})" + " }}"


def query_rows(sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect() as connection:
        return connection.sql(sql).fetchall()


def salted_sha256(salt: str, value: str) -> str:
    return hashlib.sha256(f"{salt}|{value}".encode()).hexdigest()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    return make_project(tmp_path_factory.mktemp("macro_project"))


# --------------------------------------------------------------------------------------------
# Scalar macros: (macro, input, extra args, expected). All compiled at once.
# --------------------------------------------------------------------------------------------

SCALAR_CASES: list[tuple[str, str | None, tuple[str, ...], Any]] = [
    # normalize_email
    ("normalize_email", "  Maria.Silva+Promo@Example.COM ", (), "maria.silva+promo@example.com"),
    ("normalize_email", "JOSÉ@Exemplo.com.BR", (), "josé@exemplo.com.br"),
    ("normalize_email", "   ", (), None),
    ("normalize_email", None, (), None),
    # phone_digits
    ("phone_digits", "+55 (11) 91234-5678", (), "5511912345678"),
    ("phone_digits", "+1 (412) 555-0199", (), "14125550199"),
    ("phone_digits", "0044 20 7946 0958", (), "00442079460958"),
    ("phone_digits", "412.555.0199", (), "4125550199"),
    ("phone_digits", "n/a", (), None),
    ("phone_digits", None, (), None),
    # digits_only / nullif_blank
    ("digits_only", "12.345.678/0001-95", (), "12345678000195"),
    ("nullif_blank", " \t ", (), None),
    ("nullif_blank", " \n x  y\t", (), "x  y"),
    # is_valid_email
    ("is_valid_email", "A.B+tag@Example.COM", (), True),
    ("is_valid_email", "josé@exemplo.com.br", (), True),
    ("is_valid_email", "  maria@sub.example.co.uk ", (), True),
    ("is_valid_email", "maria.silva.example.com", (), False),
    ("is_valid_email", "joao@", (), False),
    ("is_valid_email", "@example.com", (), False),
    ("is_valid_email", "jo ao@example.com", (), False),
    ("is_valid_email", "a@@example.com", (), False),
    ("is_valid_email", "a@b@example.com", (), False),
    ("is_valid_email", "joao@example", (), False),
    ("is_valid_email", "joao@example.c", (), False),
    ("is_valid_email", "joao@example.c0m", (), False),
    ("is_valid_email", "joao@example..com", (), False),
    ("is_valid_email", "", (), None),
    ("is_valid_email", None, (), None),
    # mask_email
    ("mask_email", "John.Doe+x@Example.com", (), "j***@example.com"),
    ("mask_email", " ÉLODIE.Martin@Exemplo.COM.br ", (), "é***@exemplo.com.br"),
    ("mask_email", "joao@", (), "***"),
    ("mask_email", "maria.silva.example.com", (), "***"),
    ("mask_email", "  ", (), None),
    ("mask_email", None, (), None),
    # mask_phone
    ("mask_phone", "+55 (11) 91234-5678", (), "***-***-5678"),
    ("mask_phone", "+55 11 91234-5678", (), "***-***-5678"),
    ("mask_phone", "+1 (412) 555-0199", (), "***-***-0199"),
    ("mask_phone", "0044 20 7946 0958", (), "***-***-0958"),
    ("mask_phone", "412.555.0199", (), "***-***-0199"),
    ("mask_phone", "12-3", (), "***"),
    ("mask_phone", "unknown", (), "***"),
    ("mask_phone", "", (), None),
    ("mask_phone", None, (), None),
    # card_last4 / mask_card
    ("card_last4", "4111 1111-1111 1111", (), "1111"),
    ("card_last4", "5500-0000-0000-0004", (), "0004"),
    ("card_last4", "3782 822463 10005", (), "0005"),
    ("card_last4", "4012888888881881", (), "1881"),
    ("card_last4", "1234 5678 901", (), None),
    ("card_last4", None, (), None),
    ("mask_card", "4111 1111-1111 1111", (), "**** **** **** 1111"),
    ("mask_card", "3782-822463-10005", (), "**** **** **** 0005"),
    ("mask_card", "4111 1111", (), None),
    ("mask_card", None, (), None),
    # mask_document
    ("mask_document", "123.456.789-09", (), "***.***.***-09"),
    ("mask_document", "12.345.678/0001-95", (), "**.***.***/****-95"),
    ("mask_document", "12345678909", (), "*********09"),
    ("mask_document", "12345678000195", (), "************95"),
    ("mask_document", "  123.456.789-09 ", (), "***.***.***-09"),
    ("mask_document", "7", (), "*"),
    ("mask_document", " ", (), None),
    ("mask_document", None, (), None),
    # mask_name
    ("mask_name", "Maria da Silva Souza", (), "Maria S."),
    ("mask_name", "  maria   da SILVA  souza ", (), "Maria S."),
    ("mask_name", "élodie martins", (), "Élodie M."),
    ("mask_name", "JOÃO ÁVILA", (), "João Á."),
    ("mask_name", "Ana", (), "Ana"),
    ("mask_name", "ana", (), "Ana"),
    ("mask_name", "   ", (), None),
    ("mask_name", None, (), None),
    # surrogate_key (single expression given as a string)
    ("surrogate_key", "ticket-1", (), hashlib.md5(b"ticket-1").hexdigest()),
    ("surrogate_key", None, (), hashlib.md5(b"_null_").hexdigest()),
]

REDACTION_CASES: list[tuple[str, str | None, str | None]] = [
    (
        "email_and_order_survive",
        "Hi, I'm Maria (Maria.Silva+promo@Example.COM), order ORD-1234567 paid $40.50 "
        "on 2026-03-14 at 10:45.",
        "Hi, I'm Maria ([EMAIL]), order ORD-1234567 paid $40.50 on 2026-03-14 at 10:45.",
    ),
    (
        "unicode_email",
        "escreva para josé.niño@exemplo.com.br, obrigado",
        "escreva para [EMAIL], obrigado",
    ),
    (
        "international_phones",
        "call +55 11 91234-5678 or +1 (412) 555-0199 or 0044 20 7946 0958, or +5511912345678.",
        "call [PHONE] or [PHONE] or [PHONE], or [PHONE].",
    ),
    (
        "national_phones",
        "(11) 91234-5678 / 412-555-0199 / (412) 555-0199 / 412.555.0199 / 4125550199",
        "[PHONE] / [PHONE] / [PHONE] / [PHONE] / [PHONE]",
    ),
    (
        "cards",
        "card 4111 1111-1111 1111, amex 3782 822463 10005, plain 4012888888881881 exp 12/27",
        "card [CARD], amex [CARD], plain [CARD] exp 12/27",
    ),
    (
        "card_groups_starting_with_00",
        "test card 5500 0012 3456 7890 and 5500-0000-0000-0004; Paris +33 1 23 45 67 89",
        "test card [CARD] and [CARD]; Paris [PHONE]",
    ),
    (
        "documents",
        "CPF 123.456.789-09 or 12345678909; CNPJ 12.345.678/0001-95 or 12345678000195.",
        "CPF [CPF] or [CPF]; CNPJ [CNPJ] or [CNPJ].",
    ),
    (
        "everything_with_references_that_survive",
        "Ticket #48213: customer joao@ex.com (CPF 123.456.789-09, tel +55 (11) 91234-5678) "
        "says card 5500-0000-0000-0004 was charged R$ 1.234,56 twice for order ORD-1234567, "
        "tracking 1Z999AA10123456784, on 14/03/2026 at 09:30:15.",
        "Ticket #48213: customer [EMAIL] (CPF [CPF], tel [PHONE]) "
        "says card [CARD] was charged R$ 1.234,56 twice for order ORD-1234567, "
        "tracking 1Z999AA10123456784, on 14/03/2026 at 09:30:15.",
    ),
    (
        "ordinary_numbers_survive",
        "Order 123456789 (9 digits), qty 3, +40.50 refund, v2.10.3, 2026-03-14T10:45:00Z, "
        "zip 15213-1234, invoice INV-2026-000123, ref 0012345, NF 000123456.",
        "Order 123456789 (9 digits), qty 3, +40.50 refund, v2.10.3, 2026-03-14T10:45:00Z, "
        "zip 15213-1234, invoice INV-2026-000123, ref 0012345, NF 000123456.",
    ),
    ("null", None, None),
]

# Values for the no_pii_patterns detection (the same definitions redaction uses).
DETECTION_CASES: list[tuple[str, bool]] = [
    ("reach me at a.b@example.org", True),
    ("my phone is (412) 555-0199", True),
    ("cpf 12345678909", True),
    ("cnpj 12.345.678/0001-95", True),
    ("card 4111-1111-1111-1111", True),
    ("order ORD-1234567, tracking 1Z999AA10123456784, $40.50 on 2026-03-14", False),
    ("[EMAIL] [PHONE] [CPF] [CNPJ] [CARD]", False),
]

HASH_INPUTS: list[tuple[str, str | None, str]] = [
    ("email_plain", "maria.silva@example.com", "'email'"),
    ("email_messy", "  Maria.Silva@Example.COM ", "'email'"),
    ("email_blank", "   ", "'email'"),
    ("email_null", None, "'email'"),
    ("text_trimmed", "  Maria Silva ", "'text'"),
    ("text_lower", "maria silva", "'text'"),
    ("text_default", "  Maria Silva ", ""),
    ("phone_br", "+55 (11) 91234-5678", "'phone'"),
    ("phone_plain", "5511912345678", "'phone'"),
    ("phone_national", "(11) 91234-5678", "'phone'"),
    ("phone_us_plus", "+1 (412) 555-0199", "'phone'"),
    ("phone_us_dots", "412.555.0199", "'phone'"),
    ("cpf_punctuated", "123.456.789-09", "'digits'"),
    ("cpf_digits", "12345678909", "'digits'"),
    ("no_digits", "n/a", "'digits'"),
]


def hash_statement() -> str:
    columns = []
    for name, value, mode in HASH_INPUTS:
        args = (mode,) if mode else ()
        columns.append(f"    {macro_call('hash_pii', value, *args)} as {name}")
    return "select\n" + ",\n".join(columns)


def hashes(project: DbtProject, salt: str | None, target: str = "dev") -> dict[str, str | None]:
    (sql,) = project.compile_inline([hash_statement()], salt=salt, target=target)
    row = query_rows(sql)[0]
    return {name: value for (name, _, _), value in zip(HASH_INPUTS, row, strict=True)}


@pytest.fixture(scope="module")
def compiled(project: DbtProject) -> dict[str, Any]:
    """Every scalar, redaction, detection, key and spine case, from one dbt compile."""
    scalar_sql = "select\n" + ",\n".join(
        f"    {macro_call(macro, value, *args)} as c{index}"
        for index, (macro, value, args, _) in enumerate(SCALAR_CASES)
    )
    redaction_sql = "select\n" + ",\n".join(
        f"    {macro_call('redact_pii_text', value)} as c{index}"
        for index, (_, value, _) in enumerate(REDACTION_CASES)
    )
    detection_sql = "select\n" + ",\n".join(
        f"    {macro_call('contains_pii', value)} as c{index}"
        for index, (value, _) in enumerate(DETECTION_CASES)
    )
    # The texts contain PII; whatever redaction leaves must pass the no_pii_patterns detection.
    original_sql = "select\n" + ",\n".join(
        f"    {macro_call('contains_pii', value)} as c{index}"
        for index, (_, value, _) in enumerate(REDACTION_CASES)
    )
    residue_sql = "select\n" + ",\n".join(
        "    {{ contains_pii(redact_pii_text(" + jinja_string(sql_literal(value)) + ")) }}"
        f" as c{index}"
        for index, (_, value, _) in enumerate(REDACTION_CASES)
    )
    statements = {
        "scalar": scalar_sql,
        "redaction": redaction_sql,
        "detection": detection_sql,
        "original": original_sql,
        "residue": residue_sql,
        "hash": hash_statement(),
        "keys": "select {{ surrogate_key(['1', 'cast(null as varchar)', \"'Ab'\", 'true']) }}"
        " as k1, {{ surrogate_key(['cast(null as int)', 'cast(null as int)']) }} as k2",
        "spine_day": "{{ date_spine('day', \"cast('2026-01-30' as date)\","
        " \"cast('2026-02-02' as date)\") }}",
        "spine_month": "{{ date_spine('month', \"cast('2025-11-15' as date)\","
        " \"cast('2026-02-01' as date)\") }}",
        "spine_hour": "{{ date_spine('hour', \"timestamp '2026-03-14 22:00:00'\","
        " \"timestamp '2026-03-15 01:00:00'\") }}",
        "spine_empty": "{{ date_spine('day', \"cast('2026-01-01' as date)\","
        " \"cast('2026-01-01' as date)\") }}",
    }
    sql = dict(
        zip(statements, project.compile_inline(list(statements.values())), strict=True)
    )
    results: dict[str, Any] = {"sql": sql}
    for name in ("scalar", "redaction", "detection", "original", "residue", "hash", "keys"):
        results[name] = query_rows(sql[name])[0]
    for name in ("spine_day", "spine_month", "spine_hour", "spine_empty"):
        with duckdb.connect() as connection:
            relation = connection.sql(sql[name])
            results[name] = (relation.columns, relation.fetchall())
    return results


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "case"),
    list(enumerate(SCALAR_CASES)),
    ids=[f"{macro}[{value!r}]" for macro, value, _, _ in SCALAR_CASES],
)
def test_scalar_macro(compiled: dict[str, Any], index: int, case: tuple) -> None:
    macro, value, _, expected = case
    assert compiled["scalar"][index] == expected, f"{macro}({value!r})"


@pytest.mark.parametrize(
    ("index", "case"), list(enumerate(REDACTION_CASES)), ids=[c[0] for c in REDACTION_CASES]
)
def test_redact_pii_text(compiled: dict[str, Any], index: int, case: tuple) -> None:
    _, text, expected = case
    assert compiled["redaction"][index] == expected


def test_contains_pii_detection(compiled: dict[str, Any]) -> None:
    detected = list(compiled["detection"])
    assert detected == [expected for _, expected in DETECTION_CASES]


def test_redacted_text_contains_no_pii(compiled: dict[str, Any]) -> None:
    # Every text but the survivors has PII before redaction; none has any after.
    assert list(compiled["original"]) == [
        None if text is None else name != "ordinary_numbers_survive"
        for name, text, _ in REDACTION_CASES
    ]
    assert list(compiled["residue"]) == [
        None if text is None else False for _, text, _ in REDACTION_CASES
    ]


def test_hash_pii_values(compiled: dict[str, Any]) -> None:
    got = dict(zip([name for name, _, _ in HASH_INPUTS], compiled["hash"], strict=True))
    assert got["email_plain"] == salted_sha256(TEST_SALT, "maria.silva@example.com")
    assert got["email_messy"] == got["email_plain"]
    assert got["email_blank"] is None
    assert got["email_null"] is None
    assert got["text_trimmed"] == salted_sha256(TEST_SALT, "Maria Silva")
    assert got["text_default"] == got["text_trimmed"]
    assert got["text_lower"] != got["text_trimmed"]  # 'text' keeps case
    assert got["phone_br"] == salted_sha256(TEST_SALT, "1912345678")
    assert got["phone_plain"] == got["phone_br"]
    assert got["phone_national"] == got["phone_br"]
    assert got["phone_us_plus"] == salted_sha256(TEST_SALT, "4125550199")
    assert got["phone_us_dots"] == got["phone_us_plus"]
    assert got["cpf_punctuated"] == salted_sha256(TEST_SALT, "12345678909")
    assert got["cpf_digits"] == got["cpf_punctuated"]
    assert got["no_digits"] is None
    for value in got.values():
        assert value is None or (len(value) == 64 and set(value) <= set("0123456789abcdef"))


def test_hash_pii_depends_on_salt(project: DbtProject, compiled: dict[str, Any]) -> None:
    other = hashes(project, OTHER_SALT)
    assert other["email_plain"] == salted_sha256(OTHER_SALT, "maria.silva@example.com")
    first = dict(zip([name for name, _, _ in HASH_INPUTS], compiled["hash"], strict=True))
    assert other["email_plain"] != first["email_plain"]


def test_hash_pii_dev_target_falls_back_to_dev_salt(project: DbtProject) -> None:
    dev_salt = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]["dev_pii_salt"]
    got = hashes(project, salt=None, target="dev")
    assert got["email_plain"] == salted_sha256(dev_salt, "maria.silva@example.com")


def test_hash_pii_refuses_non_dev_target_without_salt(project: DbtProject) -> None:
    result = project.invoke(
        ["compile", "--inline", "select " + macro_call("hash_pii", "x")], salt=None,
        target="prod",
    )
    assert not result.success
    log = "\n".join(project.messages) + str(result.exception)
    assert "CX_PII_SALT is not set" in log
    assert "'prod'" in log


def test_unknown_normalize_mode_is_a_compile_error(project: DbtProject) -> None:
    result = project.invoke(
        ["compile", "--inline", "select " + macro_call("hash_pii", "x", "'lowercase'")],
        salt=TEST_SALT,
    )
    assert not result.success
    assert "unknown normalize='lowercase'" in "\n".join(project.messages)


def test_surrogate_key(compiled: dict[str, Any]) -> None:
    k1, k2 = compiled["keys"]
    assert k1 == hashlib.md5(b"1-_null_-Ab-true").hexdigest()
    assert k2 == hashlib.md5(b"_null_-_null_").hexdigest()


def test_date_spine(compiled: dict[str, Any]) -> None:
    from datetime import date, datetime

    columns, rows = compiled["spine_day"]
    assert columns == ["date_day"]
    assert rows == [(date(2026, 1, 30),), (date(2026, 1, 31),), (date(2026, 2, 1),)]
    columns, rows = compiled["spine_month"]
    assert columns == ["date_month"]
    assert rows == [(date(2025, 11, 15),), (date(2025, 12, 15),), (date(2026, 1, 15),)]
    columns, rows = compiled["spine_hour"]
    assert columns == ["date_hour"]
    assert [row[0] for row in rows] == [
        datetime(2026, 3, 14, 22), datetime(2026, 3, 14, 23), datetime(2026, 3, 15, 0)
    ]
    assert compiled["spine_empty"] == (["date_day"], [])


# --------------------------------------------------------------------------------------------
# Generic tests, run by `dbt build` against tiny models in the throwaway project
# --------------------------------------------------------------------------------------------

FIXTURE_MODEL = """
select * from (
    values
        (1, 'a', 'x', 10, 'ok', '{h1}', 'order ORD-1234567 shipped'),
        (2, 'a', 'y', 50, '  ', '{h2}', 'call me at +55 11 91234-5678'),
        (3, 'b', 'x', 100, 'fine', '{upper}', 'mail [EMAIL] about 2026-03-14'),
        (4, 'b', 'x', null, null, null, null)
) as fixture (row_id, group_key, sub_key, amount, label, hashed, note)
""".format(
    h1=hashlib.sha256(b"1").hexdigest(),
    h2=hashlib.sha256(b"2").hexdigest(),
    upper=hashlib.sha256(b"3").hexdigest().upper(),
)

# name: (test definition, expected status, expected failing rows)
GENERIC_TESTS: dict[str, tuple[dict[str, Any], str, int]] = {
    "expr_model_pass": ({"expression_is_true": {"arguments": {"expression": "row_id > 0"}}},
                        "pass", 0),
    "expr_model_fail": ({"expression_is_true": {"arguments": {"expression": "amount < 60"}}},
                        "fail", 1),
    "expr_column_fail": ({"expression_is_true": {"arguments": {
        "column_name": "amount", "expression": "<= 50"}}}, "fail", 1),
    "expr_where_pass": ({"expression_is_true": {
        "arguments": {"expression": "amount < 60"},
        "config": {"where": "row_id <> 3"}}}, "pass", 0),
    "range_pass": ({"accepted_range": {"arguments": {
        "column_name": "amount", "min_value": 10, "max_value": 100}}}, "pass", 0),
    "range_exclusive_fail": ({"accepted_range": {"arguments": {
        "column_name": "amount", "min_value": 10, "max_value": 100, "inclusive": False}}},
        "fail", 2),
    "range_max_warn": ({"accepted_range": {
        "arguments": {"column_name": "amount", "max_value": 49},
        "config": {"severity": "warn"}}}, "warn", 2),
    "combination_pass": ({"unique_combination_of_columns": {"arguments": {
        "combination_of_columns": ["row_id", "group_key"]}}}, "pass", 0),
    "combination_fail": ({"unique_combination_of_columns": {"arguments": {
        "combination_of_columns": ["group_key", "sub_key"]}}}, "fail", 1),
    "not_empty_fail": ({"not_empty_string": {"arguments": {"column_name": "label"}}},
                       "fail", 1),
    "not_empty_where_pass": ({"not_empty_string": {
        "arguments": {"column_name": "label"}, "config": {"where": "row_id <> 2"}}},
        "pass", 0),
    "sha256_fail": ({"is_sha256_hex": {"arguments": {"column_name": "hashed"}}}, "fail", 1),
    "sha256_where_pass": ({"is_sha256_hex": {
        "arguments": {"column_name": "hashed"}, "config": {"where": "row_id < 3"}}},
        "pass", 0),
    "no_pii_fail": ({"no_pii_patterns": {"arguments": {"column_name": "note"}}}, "fail", 1),
    "no_pii_where_pass": ({"no_pii_patterns": {
        "arguments": {"column_name": "note"}, "config": {"where": "row_id <> 2"}}},
        "pass", 0),
    "no_pii_on_label_pass": ({"no_pii_patterns": {"arguments": {"column_name": "label"}}},
                             "pass", 0),
}


def test_generic_tests(project: DbtProject) -> None:
    tests = []
    for name, (definition, _, _) in GENERIC_TESTS.items():
        ((test_name, spec),) = definition.items()
        tests.append({test_name: {"name": name, **spec}})
    (project.root / "models" / "generic_test_fixture.sql").write_text(FIXTURE_MODEL)
    (project.root / "models" / "_fixtures.yml").write_text(yaml.safe_dump({
        "version": 2,
        "models": [{"name": "generic_test_fixture", "data_tests": tests}],
    }))
    try:
        result = project.invoke(["build"], salt=TEST_SALT)
    finally:
        (project.root / "models" / "generic_test_fixture.sql").unlink()
        (project.root / "models" / "_fixtures.yml").unlink()
    assert result.result is not None, f"dbt build crashed: {result.exception}"
    outcomes = {
        run.node.name: (getattr(run.status, "value", run.status), run.failures)
        for run in result.result.results
        if run.node.resource_type == "test"
    }
    expected = {name: (status, failures) for name, (_, status, failures) in
                GENERIC_TESTS.items()}
    assert outcomes == expected, "\n".join(project.messages[-40:])


# --------------------------------------------------------------------------------------------
# Documentation: every macro in macros/ is described with exactly its arguments
# --------------------------------------------------------------------------------------------

DEFINITION = re.compile(r"\{%-?\s*(macro|test)\s+(\w+)\s*\(([^)]*)\)", re.MULTILINE)


def defined_macros() -> dict[str, list[str]]:
    """Every macro and generic test defined anywhere under macros/."""
    macros = {}
    paths = sorted((REPO_ROOT / "macros").rglob("*.sql"))
    for path in paths:
        for kind, name, args in DEFINITION.findall(path.read_text()):
            full_name = f"test_{name}" if kind == "test" else name
            macros[full_name] = [
                arg.split("=")[0].strip() for arg in args.split(",") if arg.strip()
            ]
    return macros


def documented_macros() -> dict[str, dict[str, Any]]:
    """Every macro entry of every property file under macros/ (_macros.yml and per-folder ones)."""
    documented: dict[str, dict[str, Any]] = {}
    for path in sorted((REPO_ROOT / "macros").rglob("*.yml")):
        for entry in yaml.safe_load(path.read_text()).get("macros", []):
            assert entry["name"] not in documented, f"{entry['name']} documented twice"
            documented[entry["name"]] = entry
    return documented


def test_every_macro_is_documented_with_its_arguments() -> None:
    defined = defined_macros()
    documented = documented_macros()
    assert "hash_pii" in defined and "test_no_pii_patterns" in defined
    assert sorted(set(defined) - set(documented)) == [], "undocumented macros"
    assert sorted(set(documented) - set(defined)) == [], "documented macros that do not exist"
    for name, arguments in defined.items():
        entry = documented[name]
        assert entry.get("description", "").strip(), f"{name} has no description"
        documented_arguments = entry.get("arguments") or []
        assert [arg["name"] for arg in documented_arguments] == arguments, name
        for arg in documented_arguments:
            assert arg.get("description", "").strip(), f"{name}.{arg['name']}: no description"


def test_dbt_accepts_the_macro_documentation(project: DbtProject) -> None:
    project.compile_inline(["select 1"])
    complaints = [m for m in project.messages if "macro" in m and "yaml" in m.lower()]
    assert complaints == []
