"""Orchestration: build every table in a fixed order and write raw files + ground truth."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from . import dirty as D
from . import pools as P
from . import writer as W
from .chat import Chats
from .config import Config
from .crm import Incoming
from .emails import Emails
from .retail import Retail
from .support import Support

RAW_FILES = ["_extract.json", "companies.parquet", "customers.parquet", "agents.parquet", "tickets.parquet",
             "ticket_interactions.parquet", "stores.parquet", "products.parquet", "receipts.parquet",
             "receipt_items.parquet", "chats.jsonl", "emails.csv", "incoming_customers.parquet",
             "erasure_requests.csv"]
# Columns of erasure_requests.csv (docs/raw_source_contract.md); tests append rows to it.
ERASURE_REQUEST_COLUMNS = ["request_id", "customer_id", "email", "requested_at"]
TRUTH_FILES = ["dirty_rows.parquet", "message_labels.parquet", "conversation_labels.parquet",
               "email_labels.parquet", "ticket_labels.parquet", "incoming_identity.parquet",
               "company_churn.parquet", "pii_values.parquet"]


def generate(cfg: Config, out: Path, truth: Path, progress: bool = True) -> dict[str, tuple[int, int]]:
    """Generate everything; returns {raw table: (rows written, dirty rows)}."""
    out.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    pii = P.PIIRegistry()
    steps = ["pools", "companies", "customers", "agents", "tickets + interactions", "stores", "products",
             "receipts + items", "chats", "emails", "incoming customers", "write raw files", "write ground truth"]
    bar = tqdm(total=len(steps), desc="cx-generate", unit="step", disable=not progress or not sys.stderr.isatty(),
               file=sys.stderr)
    state: dict = {}

    def step(name: str):
        bar.set_postfix_str(name)
        if progress and not sys.stderr.isatty():
            sys.stderr.write(f"cx-generate: {name}\n")

    step("pools")
    pools = P.build_pools(cfg.seed)
    bar.update()
    sup = Support(cfg, pools, pii)
    step("companies"); sup.companies(); bar.update()
    step("customers"); sup.customers(); bar.update()
    step("agents"); sup.agents(); bar.update()
    step("tickets + interactions"); sup.tickets(); bar.update()
    ret = Retail(cfg, pools, pii, sup)
    step("stores"); ret.stores(); bar.update()
    step("products"); ret.products(); bar.update()
    step("receipts + items"); ret.receipts(); bar.update()
    ch = Chats(cfg, pools, pii, sup, ret)
    step("chats"); ch.build(); bar.update()
    em = Emails(cfg, pools, pii, sup, ret)
    step("emails"); em.build(); bar.update()
    inc = Incoming(cfg, pools, pii, sup)
    step("incoming customers"); inc.build(); bar.update()

    step("write raw files")
    parquet = {
        "companies": sup.companies_out, "customers": sup.customers_out, "agents": sup.agents_out,
        "tickets": sup.tickets_out, "ticket_interactions": sup.interactions_out, "stores": ret.stores_out,
        "products": ret.products_out, "receipts": ret.receipts_out, "receipt_items": ret.items_out,
        "incoming_customers": inc.incoming_out,
    }
    summary: dict[str, tuple[int, int]] = {}
    W.write_json(cfg.manifest(), out / "_extract.json")
    for name, asm in parquet.items():
        W.write_parquet(asm.table, out / f"{name}.parquet")
        summary[name] = (asm.table.num_rows, len(asm.truth["row_number"]))
    ch.write(out / "chats.jsonl")
    summary["chats"] = (ch.n_lines, len(ch.truth_dirty["row_number"]))
    W.write_csv(em.emails_out.table, out / "emails.csv")
    # The right-to-erasure request log: header only (no requests), so every other table is whole.
    W.write_csv(pa.table({c: pa.array([], pa.string()) for c in ERASURE_REQUEST_COLUMNS}),
                out / "erasure_requests.csv")
    summary["emails"] = (em.emails_out.table.num_rows, len(em.emails_out.truth["row_number"]))
    bar.update()

    step("write ground truth")
    order = ["companies", "customers", "agents", "tickets", "ticket_interactions", "stores", "products",
             "receipts", "receipt_items", "chats", "emails", "incoming_customers"]
    parts = []
    for name in order:
        if name == "chats":
            parts.append(ch.truth_dirty)
        elif name == "emails":
            parts.append(em.emails_out.truth)
        else:
            parts.append(parquet[name].truth)
    W.write_parquet(D.truth_table(parts), truth / "dirty_rows.parquet")
    W.write_parquet(ch.truth_messages, truth / "message_labels.parquet")
    W.write_parquet(ch.truth_conversations, truth / "conversation_labels.parquet")
    W.write_parquet(em.truth_labels, truth / "email_labels.parquet")
    W.write_parquet(sup.truth_ticket_labels, truth / "ticket_labels.parquet")
    W.write_parquet(inc.truth_identity, truth / "incoming_identity.parquet")
    W.write_parquet(sup.truth_churn, truth / "company_churn.parquet")
    W.write_parquet(pii.table(), truth / "pii_values.parquet")
    bar.update()
    bar.close()
    return {k: summary[k] for k in order}
