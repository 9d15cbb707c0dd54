"""Right to erasure, end to end (issue 6; DECISIONS.md, "Right to erasure").

A tiny dataset (scale 0.05, seed 7) is generated; two people are picked from the raw files
(one erased by customer id, one by email, each with tickets, chats or emails, CRM records or a
rejected copy of their customer row where the data has them); their requests are written to
`erasure_requests.csv` and the project is built once. Then every column of every table and
view in every schema is searched for the people's ids, salted hash keys and raw values (name,
email, phone, CPF, card numbers): only the request log (restricted) and the erasure audit may
name them. Counts are checked against the raw files and the generator's ground truth, computed
here in Python, never copied from a run.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import dbt_env, generate, run_dbt

pytestmark = pytest.mark.e2e

SCALE, SEED = 0.05, 7
DEV_SALT = "cx-warehouse-development-salt-not-secret"  # dbt_project.yml var dev_pii_salt
ALLOWED = {("restricted", "vault_landing__erasure_requests"), ("audit", "erasure_log")}
# Text-free types: a person's id, hash or raw value cannot hide in them.
SKIPPED_TYPES = re.compile(r"^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|DOUBLE|FLOAT|"
                           r"DECIMAL.*|BOOLEAN|DATE|TIME.*|INTERVAL)$")


def pii_hash(value: str | None) -> str | None:
    """The project's recipe (macros/pii/hash_pii.sql): sha256(salt || '|' || normalised)."""
    if not value:
        return None
    return hashlib.sha256(f"{DEV_SALT}|{value}".encode()).hexdigest()


def email_key(value) -> str | None:
    return value.strip().lower() or None if isinstance(value, str) else None


def phone_key(value) -> str | None:
    digits = re.sub(r"\D", "", value) if isinstance(value, str) else ""
    return digits[-10:] or None


def digits(value) -> str | None:
    return re.sub(r"\D", "", value) or None if isinstance(value, str) else None


def id_key(value) -> str | None:
    return value.strip().upper() or None if isinstance(value, str) else None


def read_raw(raw: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect()
    tables = {name: con.execute(
        f"select *, file_row_number as row_number "
        f"from read_parquet('{raw / name}.parquet', file_row_number = true)").df()
        for name in ["customers", "tickets", "ticket_interactions", "receipts",
                     "incoming_customers"]}
    tables["emails"] = con.execute(
        f"select *, ordinality - 1 as row_number from read_csv('{raw / 'emails.csv'}', "
        f"all_varchar = true) with ordinality").df()
    lines = (raw / "chats.jsonl").read_text(encoding="utf-8").split("\n")[:-1]
    tables["chats"] = pd.DataFrame({"raw_line": lines, "row_number": range(len(lines))})
    return tables


class Person:
    """Every key of one person in the raw files, resolved the way the docs say."""

    def __init__(self, raw: dict[str, pd.DataFrame], customer_id: str):
        customers = raw["customers"]
        first = customers[customers["customer_id"] == customer_id].iloc[0]
        self.customer_id, self.email = customer_id, first["email"]
        named = customers[(customers["customer_id"].map(id_key) == customer_id)
                          | (customers["email"].map(email_key) == email_key(self.email))]
        self.ids = set(named["customer_id"].dropna().map(id_key))
        self.emails = set(named["email"].map(email_key).dropna())
        self.phones = set(named["phone"].map(phone_key).dropna())
        self.cpfs = set(named["cpf"].map(digits).dropna())
        tickets = raw["tickets"]
        self.ticket_ids = set(tickets[tickets["customer_id"].map(id_key).isin(self.ids)]
                              ["ticket_id"].map(id_key).dropna())
        receipts = raw["receipts"]
        self.cards = set(receipts[receipts["customer_id"].map(id_key).isin(self.ids)]
                         ["card_number"].map(digits).dropna())
        self.rows = {  # raw rows of each table that belong to the person (expected erased)
            "customers": customers[customers["customer_id"].map(id_key).isin(self.ids)
                                   | customers["email"].map(email_key).isin(self.emails)
                                   | customers["phone"].map(phone_key).isin(self.phones)
                                   | customers["cpf"].map(digits).isin(self.cpfs)],
            "tickets": tickets[tickets["customer_id"].map(id_key).isin(self.ids)],
            "ticket_interactions": raw["ticket_interactions"][
                raw["ticket_interactions"]["ticket_id"].map(id_key).isin(self.ticket_ids)
                | raw["ticket_interactions"]["author_id"].map(id_key).isin(self.ids)],
            "emails": raw["emails"][raw["emails"]["from_address"].map(email_key)
                                    .isin(self.emails)],
            "incoming_customers": raw["incoming_customers"][
                raw["incoming_customers"]["email"].map(email_key).isin(self.emails)
                | raw["incoming_customers"]["phone"].map(phone_key).isin(self.phones)],
            "chats": raw["chats"][raw["chats"]["raw_line"].str.lower().map(
                lambda line: any(f'"{key.lower()}"' in line for key in self.ids | self.emails))],
        }
        self.receipts = receipts[receipts["customer_id"].map(id_key).isin(self.ids)
                                 | receipts["card_number"].map(digits).isin(self.cards)]
        # What must not be found anywhere but the request log and the erasure audit.
        raw_values = set()
        for _, row in self.rows["customers"].iterrows():
            raw_values |= {row["customer_name"], row["email"], row["phone"], row["cpf"]}
        for _, row in self.rows["incoming_customers"].iterrows():
            raw_values |= {row["contact_name"], row["email"], row["phone"]}
        raw_values |= set(self.receipts["card_number"].dropna())
        hashes = ({pii_hash(e) for e in self.emails} | {pii_hash(p) for p in self.phones}
                  | {pii_hash(c) for c in self.cpfs} | {pii_hash(c) for c in self.cards})
        self.needles = {str(v).strip().lower() for v in raw_values | self.ids | hashes
                        if isinstance(v, str) and len(str(v).strip()) >= 6}


def pick_people(raw: dict[str, pd.DataFrame], truth: Path) -> list[Person]:
    """Two valid customers of different people (no shared email, phone or CPF): those with a
    rejected copy of their customer row first, then the most kinds of data about them, then
    the smallest id; so each request is a real test."""
    dirty = pq.read_table(truth / "dirty_rows.parquet").to_pandas()
    dirty_ids = set(dirty[(dirty["source_table"] == "customers")]["record_key"])
    candidates = []
    for customer_id in sorted(set(raw["customers"]["customer_id"].dropna()) - dirty_ids):
        person = Person(raw, customer_id)
        kinds = sum(len(rows) > 0 for rows in person.rows.values()) + (len(person.receipts) > 0)
        has_copy = len(person.rows["customers"]) > 1  # a rejected copy of their customer row
        candidates.append((-has_copy, -kinds, customer_id, person))
    candidates.sort(key=lambda c: c[:3])
    first = candidates[0][3]
    for *_, person in candidates[1:]:
        if not (person.emails & first.emails or person.phones & first.phones
                or person.cpfs & first.cpfs):
            return [first, person]
    raise AssertionError("the dataset has no two distinct customers to erase")


@pytest.fixture(scope="module")
def erased(tmp_path_factory):
    root = tmp_path_factory.mktemp("erasure")
    raw_dir, truth, db = root / "raw", root / "truth", root / "warehouse.duckdb"
    generate(raw_dir, truth, scale=SCALE, seed=SEED)
    assert (raw_dir / "erasure_requests.csv").read_text().strip().count("\n") == 0  # header only
    raw = read_raw(raw_dir)
    by_id, by_email = pick_people(raw, truth)
    with open(raw_dir / "erasure_requests.csv", "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        # Written the way people write: stray spaces and other case must still match.
        writer.writerow(["ERA-000001", f" {by_id.customer_id.lower()} ", "",
                         "2026-06-01T10:00:00Z"])
        writer.writerow(["ERA-000002", "", by_email.email.upper(), "2026-06-02T10:00:00Z"])
    env = dbt_env(raw_dir, db)
    # Everything but the product embeddings (products are not people; the model alone takes
    # longer than the rest) and the data tests (the session build runs them); the row
    # accounting is asserted below instead.
    build = run_dbt(["build", "--exclude-resource-type", "test",
                     "--exclude-resource-type", "unit_test",
                     "--exclude", "int_product_embeddings_computed+",
                     "--target-path", str(root / "target")], env, root / "logs")
    assert build.returncode == 0, build.stdout[-6000:]
    con = duckdb.connect(str(db), read_only=True)
    yield {"raw": raw, "truth": truth, "people": [by_id, by_email], "con": con}
    con.close()


def test_people_picked_have_data_everywhere(erased):
    by_id, by_email = erased["people"]
    for person in (by_id, by_email):
        assert len(person.rows["tickets"]) + len(person.rows["emails"]) > 0
        assert len(person.rows["chats"]) > 0
    assert len(by_id.rows["customers"]) + len(by_email.rows["customers"]) > 2  # a dirty copy
    assert sum(len(p.rows["incoming_customers"]) for p in (by_id, by_email)) > 0
    assert sum(len(p.receipts) for p in (by_id, by_email)) > 0


def test_erased_people_are_nowhere_but_the_request_log_and_audit(erased):
    con = erased["con"]
    needles = sorted(set().union(*(p.needles for p in erased["people"])))
    assert len(needles) > 10
    con.execute("create or replace temp table erasure_needles (needle varchar)")
    con.executemany("insert into erasure_needles values (?)", [[n] for n in needles])
    columns = con.execute(
        "select table_schema, table_name, column_name, data_type "
        "from information_schema.columns "
        "where table_catalog = current_database() and table_schema not like 'temp%' "
        "order by 1, 2, ordinal_position").fetchall()
    relations: dict[tuple[str, str], list[str]] = {}
    for schema, table, column, data_type in columns:
        if not SKIPPED_TYPES.match(data_type):
            relations.setdefault((schema, table), []).append(column)
    schemas = {schema for schema, _ in relations}
    assert {"staging", "intermediate", "marts", "restricted", "quarantine", "audit"} <= schemas
    found, searched_allowed = [], {}
    for (schema, table), cols in relations.items():
        cells = " or ".join(
            f'contains(lower(cast(scanned."{c}" as varchar)), erasure_needles.needle)'
            for c in cols)
        hits = con.execute(
            f'select distinct erasure_needles.needle from "{schema}"."{table}" as scanned '
            f"inner join erasure_needles on {cells}").fetchall()
        if (schema, table) in ALLOWED:
            searched_allowed[(schema, table)] = len(hits)
        elif hits:
            found.append((f"{schema}.{table}", sorted(h[0] for h in hits)[:3]))
    assert not found, f"erased people still found: {found}"
    # The search can find them: the request log names both, the audit holds their hashes.
    assert searched_allowed[("restricted", "vault_landing__erasure_requests")] >= 2
    assert searched_allowed[("audit", "erasure_log")] >= 1


def test_every_raw_row_is_staged_quarantined_or_erased(erased):
    con, raw, people = erased["con"], erased["raw"], erased["people"]
    dirty = pq.read_table(erased["truth"] / "dirty_rows.parquet").to_pandas()
    recon = con.execute(
        "select table_name, raw_rows, staged_rows, quarantined_rows, erased_rows, "
        "unaccounted_rows from audit.source_reconciliation").df().set_index("table_name")
    assert (recon["unaccounted_rows"] == 0).all(), recon
    for table, frame in raw.items():
        erased_rows = pd.concat([p.rows.get(table, frame.iloc[0:0]) for p in people])
        erased_rows = erased_rows.drop_duplicates("row_number")
        dirty_rows = set(dirty[dirty["source_table"] == table]["row_number"])
        erased_dirty = len(set(erased_rows["row_number"]) & dirty_rows)
        row = recon.loc[table]
        assert row["raw_rows"] == len(frame), table
        assert row["erased_rows"] == len(erased_rows), table
        assert row["quarantined_rows"] == len(dirty_rows) - erased_dirty, table
        assert row["staged_rows"] == len(frame) - len(dirty_rows) - len(erased_rows) + erased_dirty
    assert recon.loc["tickets", "erased_rows"] > 0


def test_marts_simply_no_longer_include_them(erased):
    con, raw, people = erased["con"], erased["raw"], erased["people"]
    dirty = pq.read_table(erased["truth"] / "dirty_rows.parquet").to_pandas()

    def valid(table: str) -> pd.DataFrame:
        bad = set(dirty[dirty["source_table"] == table]["row_number"])
        return raw[table][~raw[table]["row_number"].isin(bad)]

    tickets = valid("tickets")
    theirs = tickets["customer_id"].map(id_key).isin(set().union(*(p.ids for p in people)))
    assert theirs.sum() > 0
    assert con.execute("select count(*) from marts.fct_tickets").fetchone()[0] == (~theirs).sum()
    # Receipts are de-identified, not deleted: every valid sale stays, with its total.
    receipts = valid("receipts")
    count, total, linked = con.execute(
        "select count(*), sum(total), count(*) filter (where customer_id in ("
        + ", ".join(f"'{i}'" for i in set().union(*(p.ids for p in people))) + "))"
        " from marts.fct_receipts").fetchone()
    assert count == len(receipts)
    assert float(total) == pytest.approx(receipts["total"].astype(float).sum(), abs=0.01)
    assert linked == 0
    emails = valid("emails")
    theirs = emails["from_address"].map(email_key).isin(set().union(*(p.emails for p in people)))
    assert con.execute("select count(*) from staging.stg_email__emails").fetchone()[0] \
        == (~theirs).sum()


def test_erasure_log_says_when_and_how_much(erased):
    con, (by_id, by_email) = erased["con"], erased["people"]
    log = con.execute("select * from audit.erasure_log order by request_id").df()
    assert list(log["request_id"]) == ["ERA-000001", "ERA-000002"]
    assert log["effective_at"].notna().all() and log["effective_extracted_at"].notna().all()
    assert log.loc[0, "customer_id_hash"] == pii_hash(by_id.customer_id)
    assert log.loc[1, "email_hash"] == pii_hash(email_key(by_email.email))
    for i, person in enumerate((by_id, by_email)):
        for table in ["customers", "tickets", "ticket_interactions", "chats", "emails",
                      "incoming_customers"]:
            assert log.loc[i, f"{table}_erased_rows"] == len(person.rows[table]), table
        assert log.loc[i, "receipts_deidentified_rows"] == len(person.receipts)
