"""Tests for the synthetic data generator (cx_warehouse.generator).

The reference validator below re-implements the staging reject rules of docs/synthetic_data.md
independently of the generator, and the tests require that it finds exactly the dirty rows the
generator recorded in dirty_rows.parquet (same row, same reason) and nothing else.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "generate_data.py"

RAW_TABLES = ["companies", "customers", "agents", "tickets", "ticket_interactions", "stores", "products",
              "receipts", "receipt_items", "chats", "emails", "incoming_customers"]
EXPECTED_REASONS = {
    "companies": {"missing_required", "unknown_enum", "duplicate_id"},
    "customers": {"missing_required", "invalid_email", "future_timestamp", "orphan_fk", "duplicate_id"},
    "agents": {"missing_required", "unknown_enum", "invalid_email", "duplicate_id"},
    "tickets": {"missing_required", "unknown_enum", "future_timestamp", "timestamp_before_parent", "orphan_fk",
                "duplicate_id"},
    "ticket_interactions": {"missing_required", "unknown_enum", "future_timestamp", "timestamp_before_parent",
                            "orphan_fk", "duplicate_id"},
    "stores": {"missing_required", "duplicate_id"},
    "products": {"missing_required", "invalid_amount", "duplicate_id"},
    "receipts": {"missing_required", "unknown_enum", "invalid_amount", "future_timestamp", "orphan_fk",
                 "duplicate_id"},
    "receipt_items": {"missing_required", "invalid_amount", "orphan_fk", "duplicate_id"},
    "chats": {"broken_json", "unknown_schema", "missing_required", "duplicate_id"},
    "emails": {"missing_required", "invalid_email", "future_timestamp", "duplicate_id"},
    "incoming_customers": {"missing_required", "duplicate_id"},
}
KEYS = {"companies": "company_id", "customers": "customer_id", "agents": "agent_id", "tickets": "ticket_id",
        "ticket_interactions": "interaction_id", "stores": "store_id", "products": "product_id",
        "receipts": "receipt_id", "emails": "email_id", "incoming_customers": "incoming_id"}
NULLABLE = {
    "tickets": {"agent_id", "csat_score", "nps_score", "resolution_time_hours", "first_response_time_minutes"},
    "ticket_interactions": {"author_id", "message", "new_status", "new_priority", "new_agent_id"},
    "receipts": {"customer_id", "card_number"},
    # Optional person fields (identity resolution compares them when filled).
    "customers": {"birth_date", "address_line1", "city", "postal_code"},
    "incoming_customers": {"birth_date", "cpf"},
}
ENUMS = {
    "companies": {"segment": ["RETAIL", "FOOD_SERVICE", "SERVICES", "HEALTHCARE", "EDUCATION", "TECHNOLOGY",
                              "HOSPITALITY"],
                  "company_size": ["MICRO", "SMALL", "MEDIUM", "LARGE", "ENTERPRISE"],
                  "status": ["ACTIVE", "INACTIVE", "SUSPENDED"],
                  "region": ["NORTH", "NORTHEAST", "MIDWEST", "SOUTHEAST", "SOUTH"]},
    "customers": {"role": ["OWNER", "MANAGER", "FINANCE", "OPERATOR", "IT"]},
    "agents": {"team": ["TIER1", "TIER2", "SPECIALIST"],
               "specialization": ["TECHNICAL", "FINANCIAL", "COMMERCIAL", "COMPLAINT", "INFORMATION"],
               "status": ["ACTIVE", "INACTIVE", "ON_LEAVE"]},
    "tickets": {"status": ["OPEN", "IN_PROGRESS", "PENDING_CUSTOMER", "RESOLVED", "CLOSED", "CANCELLED"],
                "priority": ["CRITICAL", "HIGH", "MEDIUM", "LOW"],
                "category": ["TECHNICAL", "FINANCIAL", "COMMERCIAL", "COMPLAINT", "INFORMATION"],
                "channel": ["EMAIL", "PHONE", "CHAT", "WHATSAPP", "PORTAL"]},
    "ticket_interactions": {"author_type": ["CUSTOMER", "AGENT", "SYSTEM"],
                            "interaction_type": ["CREATED", "REPLY", "NOTE", "STATUS_CHANGE", "ASSIGNMENT",
                                                 "PRIORITY_CHANGE"],
                            "new_status": ["OPEN", "IN_PROGRESS", "PENDING_CUSTOMER", "RESOLVED", "CLOSED",
                                           "CANCELLED"],
                            "new_priority": ["CRITICAL", "HIGH", "MEDIUM", "LOW"]},
    "receipts": {"payment_method": ["CARD", "CASH", "MOBILE", "GIFT_CARD"]},
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=300)


def generate(out: Path, scale: float, seed: int = 42) -> tuple[Path, Path]:
    raw, truth = out / "raw", out / "truth"
    r = run_cli("--scale", str(scale), "--seed", str(seed), "--out", str(raw), "--truth-out", str(truth), "--quiet")
    assert r.returncode == 0, r.stderr
    return raw, truth


def sha_all(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


# --------------------------------------------------------------------------- reference validator

def _blank(s: pd.Series) -> pd.Series:
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        return s.isna() | s.astype("string").str.strip().eq("").fillna(True)
    return s.isna()


def _norm(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.upper()


def _parse_offset_ts(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, utc=True, format="ISO8601").dt.tz_localize(None)


def load_raw(raw: Path) -> dict[str, pd.DataFrame]:
    out = {}
    for t in RAW_TABLES:
        if t == "chats":
            continue
        if t == "emails":
            out[t] = pd.read_csv(raw / "emails.csv", dtype=str, keep_default_na=False, na_values=[""])
        else:
            out[t] = pq.read_table(raw / f"{t}.parquet").to_pandas()
    return out


def validate(raw: Path) -> dict[str, pd.Series]:
    """Reject reason per raw row (None = valid), evaluated in the documented order."""
    extracted = pd.Timestamp(json.loads((raw / "_extract.json").read_text())["extracted_at"]).tz_localize(None)
    d = load_raw(raw)
    res: dict[str, pd.Series] = {}
    valid_keys: dict[str, set] = {}

    def finish(t: str, reason: pd.Series, key: pd.Series) -> pd.Series:
        # duplicate check last, among rows that passed every other check; first occurrence wins
        ok = reason.isna()
        dup = key.where(ok).duplicated(keep="first") & ok
        reason = reason.mask(dup, "duplicate_id")
        res[t] = reason
        valid_keys[t] = set(key[reason.isna()])
        return reason

    def base(t: str) -> pd.Series:
        df = d[t]
        reason = pd.Series([None] * len(df), dtype=object)
        nullable = NULLABLE.get(t, set())
        miss = np.zeros(len(df), dtype=bool)
        for c in df.columns:
            if c not in nullable:
                miss |= _blank(df[c]).to_numpy()
        reason[miss] = "missing_required"
        for c, allowed in ENUMS.get(t, {}).items():
            v = _norm(df[c])
            bad = v.notna() & ~v.isin(allowed)
            reason = reason.mask(reason.isna() & bad.to_numpy(), "unknown_enum")
        return reason

    def setr(reason, mask, name):
        return reason.mask(reason.isna() & np.asarray(mask, dtype=bool), name)

    # companies
    r = base("companies")
    finish("companies", r, d["companies"]["company_id"])
    comp_start = d["companies"].loc[res["companies"].isna()].set_index("company_id")["contract_start_date"]
    # customers
    df = d["customers"]
    r = base("customers")
    r = setr(r, ~df["email"].fillna("").str.match(EMAIL_RE), "invalid_email")
    r = setr(r, df["created_at"] > extracted, "future_timestamp")
    r = setr(r, ~df["company_id"].isin(valid_keys["companies"]), "orphan_fk")
    finish("customers", r, df["customer_id"])
    # agents
    df = d["agents"]
    r = base("agents")
    r = setr(r, ~df["email"].fillna("").str.match(EMAIL_RE), "invalid_email")
    finish("agents", r, df["agent_id"])
    # tickets
    df = d["tickets"]
    r = base("tickets")
    r = setr(r, (df["created_at"] > extracted) | (df["updated_at"] > extracted), "future_timestamp")
    cs = pd.to_datetime(df["company_id"].map(comp_start))
    r = setr(r, cs.notna() & (df["created_at"] < cs), "timestamp_before_parent")
    orphan = ~df["company_id"].isin(valid_keys["companies"]) | ~df["customer_id"].isin(valid_keys["customers"]) \
        | (df["agent_id"].notna() & ~df["agent_id"].isin(valid_keys["agents"]))
    r = setr(r, orphan, "orphan_fk")
    finish("tickets", r, df["ticket_id"])
    t_created = df.loc[res["tickets"].isna()].set_index("ticket_id")["created_at"]
    # interactions
    df = d["ticket_interactions"]
    r = base("ticket_interactions")
    r = setr(r, df["interaction_at"] > extracted, "future_timestamp")
    tc = df["ticket_id"].map(t_created)
    r = setr(r, tc.notna() & (df["interaction_at"] < tc), "timestamp_before_parent")
    r = setr(r, ~df["ticket_id"].isin(valid_keys["tickets"]), "orphan_fk")
    finish("ticket_interactions", r, df["interaction_id"])
    # stores, products
    finish("stores", base("stores"), d["stores"]["store_id"])
    df = d["products"]
    r = base("products")
    r = setr(r, df["unit_price"].astype(float) < 0, "invalid_amount")
    finish("products", r, df["product_id"])
    # receipts
    df = d["receipts"]
    r = base("receipts")
    sub, tax, tot = (df[c].astype(float) for c in ("subtotal", "tax", "total"))
    r = setr(r, (sub < 0) | (tax < 0) | (tot < 0) | ((tot - sub - tax).abs() > 0.01), "invalid_amount")
    r = setr(r, _parse_offset_ts(df["transaction_at"].where(r.isna(), "2000-01-01T00:00:00+00:00")) > extracted,
             "future_timestamp")
    orphan = ~df["store_id"].isin(valid_keys["stores"]) | (df["customer_id"].notna() & ~df["customer_id"].isin(valid_keys["customers"]))
    r = setr(r, orphan, "orphan_fk")
    finish("receipts", r, df["receipt_id"])
    # receipt items
    df = d["receipt_items"]
    r = base("receipt_items")
    q, p, disc, lt = (df[c].astype(float) for c in ("quantity", "unit_price", "discount", "line_total"))
    r = setr(r, (q < 0) | (p < 0) | (disc < 0) | ((lt - (q * p - disc)).abs() > 0.01), "invalid_amount")
    r = setr(r, ~df["receipt_id"].isin(valid_keys["receipts"]) | ~df["product_id"].isin(valid_keys["products"]),
             "orphan_fk")
    finish("receipt_items", r, df["receipt_id"].astype(str) + "|" + df["line_number"].astype("Int64").astype(str))
    # emails
    df = d["emails"]
    r = base("emails")
    r = setr(r, ~df["from_address"].fillna("").str.match(EMAIL_RE), "invalid_email")
    r = setr(r, _parse_offset_ts(df["received_at"].where(r.isna(), "2000-01-01T00:00:00+00:00")) > extracted,
             "future_timestamp")
    finish("emails", r, df["email_id"])
    finish("incoming_customers", base("incoming_customers"), d["incoming_customers"]["incoming_id"])
    # chats
    reasons, keys = [], []
    for line in (raw / "chats.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            o = json.loads(line)
        except json.JSONDecodeError:
            reasons.append("broken_json")
            keys.append(None)
            continue
        v = o.get("schema_version") if isinstance(o, dict) else None
        if v == 1:
            cid, ok = o.get("conversation_id"), bool(o.get("conversation_id")) and bool(o.get("channel")) \
                and bool(o.get("started_at")) and bool(o.get("messages"))
        elif v == 2:
            meta = o.get("meta") or {}
            cid, ok = o.get("id"), bool(o.get("id")) and bool(meta.get("channel")) and meta.get("start_ts") is not None \
                and bool(o.get("transcript"))
        else:
            reasons.append("unknown_schema")
            keys.append(None)
            continue
        reasons.append(None if ok else "missing_required")
        keys.append(cid)
    finish("chats", pd.Series(reasons, dtype=object), pd.Series(keys, dtype=object))
    return res


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def scale1(tmp_path_factory) -> tuple[Path, Path]:
    return generate(tmp_path_factory.mktemp("s1"), 1)


@pytest.fixture(scope="module")
def dirty_truth(scale1) -> pd.DataFrame:
    return pd.read_parquet(scale1[1] / "dirty_rows.parquet")


def raw_row_counts(raw: Path) -> dict[str, int]:
    out = {}
    for t in RAW_TABLES:
        if t == "chats":
            out[t] = sum(1 for _ in open(raw / "chats.jsonl", encoding="utf-8"))
        elif t == "emails":
            out[t] = len(pd.read_csv(raw / "emails.csv", dtype=str))
        else:
            out[t] = pq.ParquetFile(raw / f"{t}.parquet").metadata.num_rows
    return out


# --------------------------------------------------------------------------- determinism

def test_same_seed_is_byte_identical_and_other_seed_differs(tmp_path):
    raw_a, truth_a = generate(tmp_path / "a", 0.2, seed=7)
    raw_b, truth_b = generate(tmp_path / "b", 0.2, seed=7)
    raw_c, _ = generate(tmp_path / "c", 0.2, seed=8)
    ha, hb, hc = sha_all(raw_a), sha_all(raw_b), sha_all(raw_c)
    assert set(ha) == {"_extract.json", "chats.jsonl", "emails.csv", "erasure_requests.csv"} | {
        f"{t}.parquet" for t in RAW_TABLES if t not in ("chats", "emails")}
    assert ha == hb
    assert sha_all(truth_a) == sha_all(truth_b)
    # The manifest is checked elsewhere, and the erasure request log is a bare header (no
    # requests) for every seed.
    same_for_every_seed = {"_extract.json", "erasure_requests.csv"}
    differing = [f for f in ha if f not in same_for_every_seed and ha[f] != hc[f]]
    assert len(differing) == len(ha) - len(same_for_every_seed), (
        f"files identical across seeds: {set(ha) - set(differing)}")
    with open(raw_a / "erasure_requests.csv", newline="") as requests:
        assert list(csv.reader(requests)) == [["request_id", "customer_id", "email",
                                               "requested_at"]]


def test_overwrites_existing_output(tmp_path):
    raw, _ = generate(tmp_path, 0.1)
    before = sha_all(raw)
    (raw / "tickets.parquet").write_bytes(b"garbage")
    generate(tmp_path, 0.1)
    assert sha_all(raw) == before


# --------------------------------------------------------------------------- sizes

TARGETS_S1 = {"companies": 100, "customers": 300, "agents": 25, "tickets": 500, "ticket_interactions": 2650,
              "stores": 20, "products": 500, "receipts": 20000, "receipt_items": 60000, "chats": 2000,
              "emails": 1000, "incoming_customers": 200}


def _clean_counts(raw: Path, truth: Path) -> dict[str, int]:
    dirty = pd.read_parquet(truth / "dirty_rows.parquet").groupby("source_table").size()
    tot = raw_row_counts(raw)
    return {t: tot[t] - int(dirty.get(t, 0)) for t in RAW_TABLES}


def test_scale1_sizes_near_targets(scale1):
    clean = _clean_counts(*scale1)
    for t, target in TARGETS_S1.items():
        assert abs(clean[t] - target) <= 0.12 * target, (t, clean[t], target)
    msgs = pd.read_parquet(scale1[1] / "message_labels.parquet")
    assert 8.5 <= len(msgs) / clean["chats"] <= 11.5


def test_scale2_doubles_linear_tables(scale1, tmp_path):
    raw2, truth2 = generate(tmp_path, 2)
    c1, c2 = _clean_counts(*scale1), _clean_counts(raw2, truth2)
    for t in ["companies", "customers", "agents", "tickets", "ticket_interactions", "receipts", "receipt_items",
              "chats", "emails", "incoming_customers"]:
        assert 1.8 <= c2[t] / c1[t] <= 2.2, (t, c1[t], c2[t])
    for t in ["stores", "products"]:  # sub-linear
        assert 1.2 <= c2[t] / c1[t] <= 1.6, (t, c1[t], c2[t])


# --------------------------------------------------------------------------- dirty rows

def test_dirty_rates_and_reasons(scale1, dirty_truth):
    tot = raw_row_counts(scale1[0])
    for t in RAW_TABLES:
        sub = dirty_truth[dirty_truth.source_table == t]
        assert set(sub.reject_reason) == EXPECTED_REASONS[t], t
        rate = len(sub) / tot[t]
        if tot[t] >= 50 * len(EXPECTED_REASONS[t]):  # tiny tables are dominated by the 1-per-reason floor
            assert 0.01 <= rate <= 0.04, (t, rate)
        assert sub.row_number.is_unique
        assert sub.row_number.between(0, tot[t] - 1).all()


def test_truth_row_numbers_point_at_record_keys(scale1, dirty_truth):
    raw = scale1[0]
    d = load_raw(raw)
    for t, key in KEYS.items():
        df = d[t]
        sub = dirty_truth[dirty_truth.source_table == t]
        at = df[key].iloc[sub.row_number.to_numpy()].astype(object).where(lambda s: s.notna(), None).to_list()
        exp = sub.record_key.astype(object).where(sub.record_key.notna(), None).to_list()
        assert at == exp, t
        # a null record key only for null primary keys (missing_required)
        assert set(sub.loc[sub.record_key.isna(), "reject_reason"]) <= {"missing_required"}
    items = d["receipt_items"]
    sub = dirty_truth[dirty_truth.source_table == "receipt_items"]
    rows = items.iloc[sub.row_number.to_numpy()]
    assert (rows.receipt_id + "|" + rows.line_number.astype("Int64").astype(str)).to_list() == sub.record_key.to_list()
    lines = (raw / "chats.jsonl").read_text(encoding="utf-8").splitlines()
    sub = dirty_truth[dirty_truth.source_table == "chats"]
    for rn, key, reason in zip(sub.row_number, sub.record_key, sub.reject_reason):
        if reason == "broken_json":
            assert pd.isna(key)
            continue
        o = json.loads(lines[rn])
        assert key in (o.get("conversation_id"), o.get("id"))


def test_reference_validator_matches_truth_exactly(scale1, dirty_truth):
    found = validate(scale1[0])
    for t in RAW_TABLES:
        r = found[t]
        got = {(int(i), v) for i, v in r.items() if v is not None}
        sub = dirty_truth[dirty_truth.source_table == t]
        exp = set(zip(sub.row_number.astype(int), sub.reject_reason))
        assert got == exp, (t, sorted(got - exp)[:5], sorted(exp - got)[:5])


def test_duplicates_come_after_a_clean_original(scale1, dirty_truth):
    d = load_raw(scale1[0])
    for t, key in KEYS.items():
        sub = dirty_truth[(dirty_truth.source_table == t) & (dirty_truth.reject_reason == "duplicate_id")]
        bad_rows = set(dirty_truth.loc[dirty_truth.source_table == t, "row_number"])
        for rn, k in zip(sub.row_number, sub.record_key):
            first = d[t].index[d[t][key] == k].min()
            assert first < rn and first not in bad_rows


def test_dirty_parents_are_not_referenced(scale1, dirty_truth):
    d = load_raw(scale1[0])
    extra = dirty_truth[dirty_truth.reject_reason != "duplicate_id"]
    pairs = [("companies", "customers", "company_id"), ("companies", "tickets", "company_id"),
             ("customers", "tickets", "customer_id"), ("customers", "receipts", "customer_id"),
             ("agents", "tickets", "agent_id"), ("tickets", "ticket_interactions", "ticket_id"),
             ("stores", "receipts", "store_id"), ("products", "receipt_items", "product_id"),
             ("receipts", "receipt_items", "receipt_id")]
    for parent, child, col in pairs:
        ids = set(extra.loc[extra.source_table == parent, "record_key"].dropna())
        assert ids, parent
        assert not (set(d[child][col].dropna()) & ids), (parent, child)


# --------------------------------------------------------------------------- business rules

def _clean_frame(raw: Path, dirty: pd.DataFrame, t: str) -> pd.DataFrame:
    df = pq.read_table(raw / f"{t}.parquet").to_pandas()
    bad = dirty.loc[dirty.source_table == t, "row_number"]
    return df.drop(index=bad.to_numpy())


def test_receipt_amounts(scale1, dirty_truth):
    raw = scale1[0]
    rc = _clean_frame(raw, dirty_truth, "receipts")
    it = _clean_frame(raw, dirty_truth, "receipt_items")
    assert (rc.subtotal + rc.tax == rc.total).all()
    assert (it.quantity.astype(int) * it.unit_price - it.discount == it.line_total).all()
    assert (it.discount >= 0).all() and (it.quantity >= 1).all()
    sums = it.groupby("receipt_id").line_total.sum()
    assert (rc.set_index("receipt_id").subtotal == sums.reindex(rc.receipt_id).to_numpy()).all()
    stores = _clean_frame(raw, dirty_truth, "stores").set_index("store_id")
    # tax = round(subtotal * rate, 2) with one rate per store
    rate = (rc.tax.astype(float) / rc.subtotal.astype(float)).groupby(rc.store_id).median()
    assert ((rc.tax.astype(float) - (rc.subtotal.astype(float) * rc.store_id.map(rate))).abs() <= 0.011).mean() > 0.99
    assert set(rc.store_id) <= set(stores.index)
    # cards only for CARD payments; full Luhn-valid 16-digit numbers
    card = rc.card_number.notna()
    assert (card == (rc.payment_method == "CARD")).all()
    digits = rc.loc[card, "card_number"].str.replace(r"[ -]", "", regex=True)
    assert digits.str.fullmatch(r"\d{16}").all()

    def luhn(s):
        tot = 0
        for i, ch in enumerate(reversed(s)):
            v = int(ch) * (2 if i % 2 else 1)
            tot += v - 9 if v > 9 else v
        return tot % 10 == 0
    assert digits.head(2000).map(luhn).all()
    share_loyal = rc.customer_id.notna().mean()
    assert 0.22 <= share_loyal <= 0.38
    assert rc.transaction_at.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d").all()


def test_ticket_state_matches_interactions(scale1, dirty_truth):
    raw = scale1[0]
    tk = _clean_frame(raw, dirty_truth, "tickets")
    ti = _clean_frame(raw, dirty_truth, "ticket_interactions").drop_duplicates("interaction_id")
    ti = ti.sort_values(["ticket_id", "interaction_at", "interaction_id"])
    assert (ti.groupby("ticket_id").interaction_type.first() == "CREATED").all()
    first = ti.groupby("ticket_id").first()
    assert (first.author_type == "CUSTOMER").all()
    tk = tk.set_index("ticket_id")
    last_status = ti[ti.interaction_type == "STATUS_CHANGE"].groupby("ticket_id").new_status.last()
    status = tk.status.str.strip().str.upper()
    exp_status = last_status.reindex(tk.index).fillna("OPEN")
    assert (status == exp_status).all()
    last_agent = ti[ti.interaction_type == "ASSIGNMENT"].groupby("ticket_id").new_agent_id.last()
    assert (tk.agent_id.fillna("-") == last_agent.reindex(tk.index).fillna("-")).all()
    last_prio = ti[ti.interaction_type == "PRIORITY_CHANGE"].groupby("ticket_id").new_priority.last()
    has = last_prio.index
    assert (tk.loc[has, "priority"].str.strip().str.upper() == last_prio).all()
    assert (tk.updated_at == ti.groupby("ticket_id").interaction_at.max().reindex(tk.index)).all()
    assert (tk.created_at == first.interaction_at.reindex(tk.index)).all()
    # CSAT only on resolved/closed tickets, ~60% of them
    resolved = status.isin(["RESOLVED", "CLOSED"])
    assert tk.loc[~resolved, "csat_score"].isna().all()
    assert 0.45 <= tk.loc[resolved, "csat_score"].notna().mean() <= 0.75
    assert tk.csat_score.dropna().between(1, 5).all() and tk.nps_score.dropna().between(0, 10).all()
    assert (tk.resolution_time_hours.notna() == resolved).all()
    # a realistic mix: several statuses, reopen chains, reassignments, priority changes
    assert status.nunique() >= 5
    assert (ti[ti.interaction_type == "ASSIGNMENT"].groupby("ticket_id").size() > 1).sum() >= 5
    assert (ti.interaction_type == "PRIORITY_CHANGE").sum() >= 5
    reopened = ti[(ti.interaction_type == "STATUS_CHANGE")].groupby("ticket_id").new_status.apply(
        lambda s: ((s.shift() == "RESOLVED") & s.isin(["OPEN", "IN_PROGRESS"])).any())
    assert reopened.sum() >= 5
    # business-hours arrival peak: weekday 9-18 local (UTC-3) dominates
    local = tk.created_at - pd.Timedelta(hours=3)
    biz = (local.dt.day_of_week < 5) & local.dt.hour.between(9, 17)
    assert biz.mean() > 0.55
    prio = tk.priority.str.strip().str.upper().value_counts(normalize=True)
    assert 0.35 <= prio["MEDIUM"] <= 0.55 and prio["CRITICAL"] < 0.12


def test_churn_truth_is_learnable(scale1):
    raw, truth = scale1
    ch = pd.read_parquet(truth / "company_churn.parquet")
    comp = pq.read_table(raw / "companies.parquet").to_pandas().drop_duplicates("company_id")
    m = ch.merge(comp, on="company_id")
    assert m.latent_risk.corr(m.churn_risk_score) > 0.7
    assert m.loc[m.churned_in_next_90_days, "latent_risk"].mean() > m.loc[~m.churned_in_next_90_days, "latent_risk"].mean() + 0.1
    assert (ch.churned_at.notna() == ch.churned_in_next_90_days).all()


def test_chats_parse_and_labels(scale1, dirty_truth):
    raw, truth = scale1
    lines = (raw / "chats.jsonl").read_text(encoding="utf-8").splitlines()
    broken = set(dirty_truth.loc[(dirty_truth.source_table == "chats") & (dirty_truth.reject_reason == "broken_json"),
                                 "row_number"])
    versions = {1: 0, 2: 0}
    for i, line in enumerate(lines):
        if i in broken:
            with pytest.raises(json.JSONDecodeError):
                json.loads(line)
        else:
            v = json.loads(line).get("schema_version")
            if v in versions:
                versions[v] += 1
    assert 0.3 <= versions[2] / (versions[1] + versions[2]) <= 0.7
    labels = pd.read_parquet(truth / "message_labels.parquet")
    assert set(labels.sentiment) == {"positive", "neutral", "negative"}
    # the labels are learnable by simple lexicon cues
    first = {}
    for line in lines[:400]:
        try:
            o = json.loads(line)
        except json.JSONDecodeError:
            continue
        if o.get("schema_version") == 1 and o.get("messages"):
            first[o["conversation_id"]] = [m["text"] for m in o["messages"]]
    lab = labels[labels.conversation_id.isin(first)]
    texts = lab.apply(lambda r: first[r.conversation_id][r.message_index], axis=1)
    neg = texts.str.contains(r"terrible|furious|awful|unacceptable|angry|hate|frustrated|disappointed|worst|ridiculous|"
                             r"disaster|pathetic|upset|annoyed")
    pos = texts.str.contains(r"[Tt]hank|great|[Aa]ppreciate|[Ee]xcellent|[Ww]onderful|[Hh]appy|[Pp]erfect|[Aa]mazing|"
                             r"[Bb]rilliant|[Aa]wesome|[Ll]ove|[Gg]lad|[Ff]antastic|[Ss]uper helpful")
    assert (neg[lab.sentiment == "negative"]).mean() > 0.95
    assert (pos[lab.sentiment == "positive"]).mean() > 0.95
    assert (~neg & ~pos)[lab.sentiment == "neutral"].mean() > 0.9


def test_incoming_identity_truth(scale1):
    raw, truth = scale1
    idt = pd.read_parquet(truth / "incoming_identity.parquet")
    assert 0.5 <= idt.true_customer_id.notna().mean() <= 0.7
    assert set(idt.variation) == {"none", "typo", "nickname", "email_format", "phone_format", "abbreviation"}
    inc = pq.read_table(raw / "incoming_customers.parquet").to_pandas().drop_duplicates("incoming_id")
    cus = pq.read_table(raw / "customers.parquet").to_pandas().drop_duplicates("customer_id").set_index("customer_id")
    m = idt.merge(inc, on="incoming_id")
    ex = m[m.true_customer_id.notna()]
    same_email = ex.email == ex.true_customer_id.map(cus.email)
    assert same_email[ex.variation == "email_format"].sum() == 0
    assert same_email[ex.variation.isin(["typo", "nickname", "phone_format"])].all()
    same_name = ex.contact_name == ex.true_customer_id.map(cus.customer_name)
    assert not same_name[ex.variation.isin(["typo", "nickname"])].any()
    new = m[m.true_customer_id.isna()]
    assert not new.email.str.lower().isin(cus.email.str.lower()).any()


def test_pii_registry_covers_raw_values(scale1):
    raw, truth = scale1
    pii = pd.read_parquet(truth / "pii_values.parquet")
    vals = set(pii.value)
    assert set(pii.kind) == {"email", "phone", "card", "cpf", "cnpj"}
    cus = pq.read_table(raw / "customers.parquet").to_pandas()
    for c in ("email", "phone", "cpf"):
        assert set(cus[c].dropna()) <= vals
    rc = pq.read_table(raw / "receipts.parquet").to_pandas()
    assert set(rc.card_number.dropna()) <= vals
    assert set(pq.read_table(raw / "companies.parquet").to_pandas().cnpj.dropna()) <= vals
    # every card/CPF/email-looking token in free text is registered
    tk = pq.read_table(raw / "tickets.parquet").to_pandas()
    em = pd.read_csv(raw / "emails.csv", dtype=str)
    text = pd.concat([tk.description, em.body, pd.Series((raw / "chats.jsonl").read_text(encoding="utf-8").splitlines())])
    cpfs = set(text.str.findall(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b").explode().dropna())
    assert cpfs and cpfs <= vals
    emails_in_text = set(tk.description.str.findall(r"[\w.+-]+@[\w-]+\.[\w.]+[A-Za-z]").explode().dropna())
    assert emails_in_text and emails_in_text <= vals
    share = tk.description.str.contains(r"@|\d{3}\.\d{3}\.\d{3}-\d{2}|\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}|\d{5}-\d{4}").mean()
    assert 0.02 <= share <= 0.1


def test_extract_manifest_and_no_future_clean_rows(scale1, dirty_truth):
    raw = scale1[0]
    man = json.loads((raw / "_extract.json").read_text())
    assert man["extracted_at"] == "2026-06-30T23:59:59Z"
    assert man["window_start"] == "2026-01-01" and man["window_end"] == "2026-06-30"
    assert man["seed"] == 42 and man["scale"] == 1.0
    tk = _clean_frame(raw, dirty_truth, "tickets")
    assert tk.created_at.min() >= pd.Timestamp("2026-01-01") and tk.updated_at.max() <= pd.Timestamp("2026-06-30 23:59:59")
    sch = pq.read_schema(raw / "receipts.parquet")
    assert str(sch.field("total").type) == "decimal128(12, 2)"
    assert str(pq.read_schema(raw / "tickets.parquet").field("created_at").type) == "timestamp[us]"
    assert str(pq.read_schema(raw / "companies.parquet").field("monthly_transaction_volume").type) == "decimal128(14, 2)"


def test_small_scale_has_every_reason(tmp_path):
    raw, truth = generate(tmp_path, 0.1)
    dirty = pd.read_parquet(truth / "dirty_rows.parquet")
    for t in RAW_TABLES:
        assert set(dirty.loc[dirty.source_table == t, "reject_reason"]) == EXPECTED_REASONS[t], t
    found = validate(raw)
    for t in RAW_TABLES:
        got = {(int(i), v) for i, v in found[t].items() if v is not None}
        sub = dirty[dirty.source_table == t]
        assert got == set(zip(sub.row_number.astype(int), sub.reject_reason)), t


# --------------------------------------------------------------------------- CLI errors

@pytest.mark.parametrize("scale", ["-1", "0", "abc", "nan"])
def test_cli_rejects_bad_scale(tmp_path, scale):
    r = run_cli("--scale", scale, "--out", str(tmp_path / "raw"), "--truth-out", str(tmp_path / "truth"))
    assert r.returncode == 2
    assert "--scale" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "raw").exists()


def test_cli_rejects_bad_end_date(tmp_path):
    r = run_cli("--end-date", "2026-13-45", "--out", str(tmp_path / "raw"))
    assert r.returncode == 2 and "--end-date" in r.stderr and "Traceback" not in r.stderr


def test_cli_rejects_out_under_a_file(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x")
    r = run_cli("--scale", "0.1", "--out", str(f / "raw"), "--truth-out", str(tmp_path / "truth"))
    assert r.returncode == 2
    assert "--out" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write to read-only folders")
def test_cli_rejects_read_only_out(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        r = run_cli("--scale", "0.1", "--out", str(ro), "--truth-out", str(tmp_path / "truth"))
    finally:
        ro.chmod(0o700)
    assert r.returncode == 2 and "--out" in r.stderr and "Traceback" not in r.stderr


def test_cli_defaults_and_help(tmp_path):
    r = run_cli("--help")
    assert r.returncode == 0 and "--scale" in r.stdout and "--truth-out" in r.stdout
    r = run_cli("--scale", "0.1", "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "data" / "raw" / "tickets.parquet").exists()
    assert (tmp_path / "data" / "truth" / "dirty_rows.parquet").exists()
    man = json.loads((tmp_path / "data" / "raw" / "_extract.json").read_text())
    assert man["extracted_at"] == "2026-06-30T23:59:59Z"


# --------------------------------------------------------------------------- streaming and volumes

def test_chunked_output_matches_the_truth(tmp_path, monkeypatch):
    """With tiny chunks every large table is written in many pieces; the truth must still point
    at the right file rows, ids stay unique and receipts / emails stay in time order."""
    from cx_warehouse.generator import chat, emails, retail, support
    from cx_warehouse.generator.config import Config
    from cx_warehouse.generator.generate import generate as generate_in_process

    monkeypatch.setattr(retail, "RECEIPT_CHUNK", 1_500)
    monkeypatch.setattr(emails, "EMAIL_CHUNK", 120)
    monkeypatch.setattr(chat, "CHAT_CHUNK", 300)
    monkeypatch.setattr(support, "TICKET_CHUNK", 80)
    raw, truth = tmp_path / "raw", tmp_path / "truth"
    generate_in_process(Config(scale=0.5, seed=3), raw, truth, progress=False)
    assert pq.ParquetFile(raw / "receipts.parquet").num_row_groups > 3
    dirty = pd.read_parquet(truth / "dirty_rows.parquet")
    found = validate(raw)
    for t in RAW_TABLES:
        got = {(int(i), v) for i, v in found[t].items() if v is not None}
        sub = dirty[dirty.source_table == t]
        assert got == set(zip(sub.row_number.astype(int), sub.reject_reason)), t
    d = load_raw(raw)
    for t, key in KEYS.items():
        clean = d[t].drop(index=dirty.loc[dirty.source_table == t, "row_number"].to_numpy())
        assert clean[key].is_unique, t
    rc = d["receipts"].drop(index=dirty.loc[dirty.source_table == "receipts", "row_number"].to_numpy())
    at = pd.to_datetime(rc.transaction_at, utc=True)
    assert at.is_monotonic_increasing
    labels = pd.read_parquet(truth / "message_labels.parquet")
    assert labels.conversation_id.nunique() == len(pd.read_parquet(truth / "conversation_labels.parquet"))


def test_domain_scale_changes_only_its_domain(scale1, tmp_path):
    raw, truth = tmp_path / "raw", tmp_path / "truth"
    r = run_cli("--scale", "1", "--contact-scale", "2", "--out", str(raw), "--truth-out", str(truth), "--quiet")
    assert r.returncode == 0, r.stderr
    c1, c2 = _clean_counts(*scale1), _clean_counts(raw, truth)
    assert c2["chats"] == 2 * c1["chats"] and c2["emails"] == 2 * c1["emails"]
    for t in ("companies", "customers", "agents", "tickets", "stores", "products", "receipts"):
        assert c2[t] == c1[t], t
    man = json.loads((raw / "_extract.json").read_text())
    assert "scale" not in man and man["profile"] == "support scale 1, retail scale 1, contact scale 2"


@pytest.mark.parametrize("args, message", [
    (["--profile", "huge"], "--profile 'huge' is unknown"),
    (["--profile", "large", "--scale", "2"], "drop --scale"),
    (["--profile", "large", "--retail-scale", "2"], "drop --retail-scale"),
    (["--retail-scale", "-1"], "--retail-scale must be a number > 0"),
])
def test_cli_rejects_bad_volume_flags(tmp_path, args, message):
    r = run_cli(*args, "--out", str(tmp_path / "raw"), "--truth-out", str(tmp_path / "truth"))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_large_profile_volumes_are_per_domain():
    from cx_warehouse.generator.config import Config

    cfg = Config(profile="large")
    assert cfg.n_days == 365
    assert cfg.sizes["stores"] == 400 and cfg.sizes["receipts"] == 33_000_000
    assert cfg.sizes["chats"] == 800 * 365 and cfg.sizes["emails"] == 1_200 * 365
    # about 100 million lines: 1 + Poisson(basket_extra, + 0.35 on weekends) per receipt
    lines = cfg.sizes["receipts"] * (1 + cfg.basket_extra + 0.35 * 2 / 7)
    assert 95e6 < lines < 105e6
