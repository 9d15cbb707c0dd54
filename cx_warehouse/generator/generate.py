"""Orchestration: build every table in a fixed order and stream raw files + ground truth.

Large tables (tickets, interactions, receipts, receipt lines, chats, emails) are generated and
written in chunks (`Output.emit`), so peak memory is bounded by a chunk, not by the dataset.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
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
               "company_churn.parquet", "pii_values.parquet", "sla_weeks.parquet"]
PARQUET_TABLES = ["companies", "customers", "agents", "tickets", "ticket_interactions", "stores", "products",
                  "receipts", "receipt_items", "incoming_customers"]
TABLE_ORDER = ["companies", "customers", "agents", "tickets", "ticket_interactions", "stores", "products",
               "receipts", "receipt_items", "chats", "emails", "incoming_customers"]
TRUTH_SCHEMA = pa.schema([("source_table", pa.string()), ("record_key", pa.string()),
                          ("row_number", pa.int64()), ("reject_reason", pa.string())])


class Output:
    """The open raw and truth files of one run; domains append chunks to them."""

    def __init__(self, out: Path, truth: Path) -> None:
        self.out, self.truth = out, truth
        self.parts = truth / "_parts"
        shutil.rmtree(self.parts, ignore_errors=True)
        self.parts.mkdir(parents=True)
        self.raw = {name: W.ParquetSink(out / f"{name}.parquet") for name in PARQUET_TABLES}
        self.raw["emails"] = W.CsvSink(out / "emails.csv")
        self.raw["chats"] = W.BytesSink(out / "chats.jsonl")
        self.dirty = {name: W.ParquetSink(self.parts / f"dirty_{name}.parquet", TRUTH_SCHEMA)
                      for name in TABLE_ORDER}
        self.dirty_count = {name: 0 for name in TABLE_ORDER}
        self.labels: dict[str, W.ParquetSink] = {}

    def rows(self, name: str) -> int:
        """Rows written so far to raw table `name` (the next chunk's first file row number)."""
        return self.raw[name].rows

    def truth_rows(self, name: str, truth: dict, row_offset: int) -> None:
        if not truth["row_number"]:
            return
        t = D.truth_table([truth])
        rn = np.asarray(truth["row_number"], dtype=np.int64) + row_offset
        t = t.set_column(2, "row_number", pa.array(rn, pa.int64()))
        self.dirty[name].write(t)
        self.dirty_count[name] += t.num_rows

    def emit(self, name: str, asm: D.Assembled) -> None:
        """Append one assembled chunk (clean + dirty rows) of a Parquet / CSV table."""
        offset = self.rows(name)
        self.raw[name].write(asm.table)
        self.truth_rows(name, asm.truth, offset)

    def label(self, file: str, table: pa.Table) -> None:
        if file not in self.labels:
            self.labels[file] = W.ParquetSink(self.truth / file)
        self.labels[file].write(table)

    def close(self) -> dict[str, tuple[int, int]]:
        for sink in self.raw.values():
            sink.close()
        for sink in self.labels.values():
            sink.close()
        for sink in self.dirty.values():
            sink.close()
        W.concat_parquet([self.parts / f"dirty_{name}.parquet" for name in TABLE_ORDER],
                         self.truth / "dirty_rows.parquet")
        shutil.rmtree(self.parts, ignore_errors=True)
        return {name: (self.raw[name].rows, self.dirty_count[name]) for name in TABLE_ORDER}


def generate(cfg: Config, out: Path, truth: Path, progress: bool = True) -> dict[str, tuple[int, int]]:
    """Generate everything; returns {raw table: (rows written, dirty rows)}."""
    out.mkdir(parents=True, exist_ok=True)
    truth.mkdir(parents=True, exist_ok=True)
    o = Output(out, truth)
    pii = P.PIIRegistry(W.ParquetSink(truth / "pii_values.parquet"))
    steps = ["pools", "companies", "customers", "agents", "tickets + interactions", "stores", "products",
             "receipts + items", "chats", "emails", "incoming customers", "write ground truth"]
    bar = tqdm(total=len(steps), desc="cx-generate", unit="step", disable=not progress or not sys.stderr.isatty(),
               file=sys.stderr)

    def step(name: str):
        bar.set_postfix_str(name)
        if progress and not sys.stderr.isatty():
            sys.stderr.write(f"cx-generate: {name}\n")

    (out / "_extract.json").unlink(missing_ok=True)  # written last: its presence means "complete"
    step("pools")
    pools = P.build_pools(cfg.seed)
    bar.update()
    sup = Support(cfg, pools, pii)
    step("companies"); sup.companies(); o.emit("companies", sup.companies_out); bar.update()
    step("customers"); sup.customers(); o.emit("customers", sup.customers_out); bar.update()
    step("agents"); sup.agents(); o.emit("agents", sup.agents_out); bar.update()
    step("tickets + interactions"); sup.tickets(o); bar.update()
    ret = Retail(cfg, pools, pii, sup)
    step("stores"); ret.stores(); o.emit("stores", ret.stores_out); bar.update()
    step("products"); ret.products(); o.emit("products", ret.products_out); bar.update()
    step("receipts + items"); ret.receipts(o); bar.update()
    ch = Chats(cfg, pools, pii, sup, ret)
    step("chats"); ch.build(o); bar.update()
    em = Emails(cfg, pools, pii, sup, ret)
    step("emails"); em.build(o); bar.update()
    inc = Incoming(cfg, pools, pii, sup)
    step("incoming customers"); inc.build(); o.emit("incoming_customers", inc.incoming_out); bar.update()
    # The right-to-erasure request log: header only (no requests), so every other table is whole.
    W.write_csv(pa.table({c: pa.array([], pa.string()) for c in ERASURE_REQUEST_COLUMNS}),
                out / "erasure_requests.csv")

    step("write ground truth")
    W.write_parquet(inc.truth_identity, truth / "incoming_identity.parquet")
    W.write_parquet(sup.truth_churn, truth / "company_churn.parquet")
    W.write_parquet(sup.truth_sla_weeks, truth / "sla_weeks.parquet")
    summary = o.close()
    pii.close()
    W.write_json(cfg.manifest(), out / "_extract.json")
    bar.update()
    bar.close()
    return summary
