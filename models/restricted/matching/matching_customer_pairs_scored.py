"""Restricted: identity resolution's candidate pairs, scored by a Fellegi-Sunter model.

Reads the matching keys of matching_customer_records (restricted: they are personal data) and
links every incoming CRM record to the existing support customers that could be the same
person, with Splink on a private in-memory DuckDB (cx_warehouse.matching). The output holds
only ids, comparison levels, similarities, match weights and the match probability.
"""

import hashlib

import pyarrow as pa
from dbt.adapters.events.logging import AdapterLogger

from cx_warehouse.matching import MatchingConfig, MatchingError, score_candidate_pairs

LOGGER = AdapterLogger("cx_warehouse")


def model(dbt, session):
    dbt.config(materialized="table")
    config = MatchingConfig(
        seed=int(dbt.config.get("matching_seed")),
        keep_min_probability=float(dbt.config.get("matching_keep_min_score")),
    )
    records = dbt.ref("matching_customer_records").arrow()
    notes = []
    try:
        pairs = score_candidate_pairs(records, config, notes=notes)
    except MatchingError as error:
        # Raised afresh so dbt's report ends with the one-line cause and fix, without the
        # frames inside the matching library.
        raise MatchingError(str(error)) from None
    for note in notes:
        LOGGER.info(note)
    return with_pair_id(pairs)


def with_pair_id(pairs: pa.Table) -> pa.Table:
    """Prepend matching_pair_id, the primary key of the (incoming_id, customer_id) grain: the
    recipe of the surrogate_key macro, md5 of the values joined by '-' (null as '_null_'), so
    it equals customer_match_id downstream."""
    def part(value: object) -> str:
        return "_null_" if value is None else str(value)

    ids = [
        hashlib.md5(f"{part(incoming)}-{part(customer)}".encode()).hexdigest()
        for incoming, customer in zip(
            pairs.column("incoming_id").to_pylist(), pairs.column("customer_id").to_pylist())
    ]
    return pairs.add_column(0, "matching_pair_id", pa.array(ids, type=pa.string()))
