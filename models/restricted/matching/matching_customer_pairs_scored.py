"""Restricted: identity resolution's candidate pairs, scored by a Fellegi-Sunter model.

Reads the matching keys of matching_customer_records (restricted: they are personal data) and
links every incoming CRM record to the existing support customers that could be the same
person, with Splink on a private in-memory DuckDB (cx_warehouse.matching). The output holds
only ids, comparison levels, similarities, match weights and the match probability.
"""

from dbt.adapters.events.logging import AdapterLogger

from cx_warehouse import python_models

LOGGER = AdapterLogger("cx_warehouse")


def model(dbt, session):
    dbt.config(materialized="table")
    return python_models.matching_pairs(
        dbt.ref("matching_customer_records").arrow(),
        seed=int(dbt.config.get("matching_seed")),
        keep_min_probability=float(dbt.config.get("matching_keep_min_score")),
        log=LOGGER.info,
    )
