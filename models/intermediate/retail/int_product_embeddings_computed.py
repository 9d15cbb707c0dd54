"""One embedding per product for semantic product search (dbt Python model).

The public, contracted mart is dim_product_embeddings (SQL, reads this table): dbt enforces
model contracts on SQL models only.

Embeds each valid product's name, category, subcategory and description (from
stg_retail__products, the rows dim_products publishes) with the offline all-MiniLM-L6-v2
sentence model (cx_warehouse.embeddings; optional extra `embeddings`). Without the extra the
table is built empty and the log says why, so the default build needs no torch; `make test`
installs the extra and tests the search.
"""

from dbt.adapters.events.logging import AdapterLogger

from cx_warehouse import embeddings

LOGGER = AdapterLogger("cx_warehouse")


def model(dbt, session):
    dbt.config(materialized="table")
    products = dbt.ref("stg_retail__products")
    available, why = embeddings.availability()
    if not available:
        LOGGER.warning(f"int_product_embeddings_computed: SKIPPED, built empty: {why}")
        return embeddings.empty_table()
    table = embeddings.product_embeddings_table(products.arrow())
    LOGGER.info(
        f"int_product_embeddings_computed: {table.num_rows} products embedded with "
        f"{embeddings.model_version()}"
    )
    return table
