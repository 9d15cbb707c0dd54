"""Dirty-row planning and placement (see docs/synthetic_data.md).

Every dirty row carries exactly one defect. Non-duplicate dirty rows are extra rows (new ids for
keyed tables) inserted at random file positions; duplicate rows copy a clean row and are placed
after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import util as U
from .config import DIRTY_RATE

REASONS: dict[str, list[str]] = {
    "companies": ["missing_required", "unknown_enum", "duplicate_id"],
    "customers": ["missing_required", "invalid_email", "future_timestamp", "orphan_fk", "duplicate_id"],
    "agents": ["missing_required", "unknown_enum", "invalid_email", "duplicate_id"],
    "tickets": ["missing_required", "unknown_enum", "future_timestamp", "timestamp_before_parent",
                "orphan_fk", "duplicate_id"],
    "ticket_interactions": ["missing_required", "unknown_enum", "future_timestamp",
                            "timestamp_before_parent", "orphan_fk", "duplicate_id"],
    "stores": ["missing_required", "duplicate_id"],
    "products": ["missing_required", "invalid_amount", "duplicate_id"],
    "receipts": ["missing_required", "unknown_enum", "invalid_amount", "future_timestamp", "orphan_fk",
                 "duplicate_id"],
    "receipt_items": ["missing_required", "invalid_amount", "orphan_fk", "duplicate_id"],
    "chats": ["broken_json", "unknown_schema", "missing_required", "duplicate_id"],
    "emails": ["missing_required", "invalid_email", "future_timestamp", "duplicate_id"],
    "incoming_customers": ["missing_required", "duplicate_id"],
}

# Fields the generator nulls/blanks for `missing_required` (besides the primary key).
REQUIRED_FIELDS: dict[str, list[str]] = {
    "companies": ["company_name"],
    "customers": ["created_at"],
    "agents": ["agent_name"],
    "tickets": ["created_at"],
    "ticket_interactions": ["interaction_at"],
    "stores": ["store_name"],
    "products": ["product_name"],
    "receipts": ["transaction_at"],
    "receipt_items": ["quantity"],
    "emails": ["received_at"],
    "incoming_customers": ["received_at"],
}


def plan_counts(n_clean: int, table: str, rng: np.random.Generator, rate: float = DIRTY_RATE) -> dict[str, int]:
    reasons = REASONS[table]
    total = max(len(reasons), int(round(rate * n_clean)))
    counts = {r: 1 for r in reasons}
    extra = total - len(reasons)
    if extra > 0:
        add = rng.multinomial(extra, np.full(len(reasons), 1.0 / len(reasons)))
        for r, a in zip(reasons, add):
            counts[r] += int(a)
    return counts


@dataclass
class DirtyBatch:
    """Dirty rows of one reason for one table."""

    reason: str
    table: pa.Table
    keys: list  # record_key per row (str or None)
    dup_of: np.ndarray | None = None  # clean row index that a duplicate copies


@dataclass
class Assembled:
    table: pa.Table
    truth: dict = field(default_factory=dict)  # columns for dirty_rows


def assemble(name: str, clean: pa.Table, batches: list[DirtyBatch], rng: np.random.Generator) -> Assembled:
    """Insert dirty batches into the clean table at random positions (duplicates after originals)."""
    n = clean.num_rows
    tables = [clean]
    keys = [np.arange(n, dtype=np.float64)]
    reasons, rkeys = [], []
    for b in batches:
        m = b.table.num_rows
        if m == 0:
            continue
        if b.reason == "duplicate_id":
            orig = np.asarray(b.dup_of, dtype=np.int64)
            pos = orig + np.floor(rng.random(m) * (n - orig)).astype(np.int64)
            k = pos.astype(np.float64) + 0.5
        else:
            k = rng.integers(-1, n, m).astype(np.float64) + 0.5
        tables.append(b.table.select(clean.column_names).cast(clean.schema))
        keys.append(k)
        reasons.extend([b.reason] * m)
        rkeys.extend(b.keys)
    if len(tables) == 1:
        return Assembled(clean, {"source_table": [], "record_key": [], "row_number": [], "reject_reason": []})
    dk = np.concatenate(keys[1:])
    dorder = np.argsort(dk, kind="stable")
    dirty_tbl = pa.concat_tables(tables[1:]).combine_chunks().take(pa.array(dorder))
    # insert before clean row floor(key) + 1; clean rows keep their order
    ins = np.floor(dk[dorder]).astype(np.int64) + 1
    m = len(ins)
    dirty_pos_sorted = ins + np.arange(m)  # final position of the j-th dirty row in key order
    out = merge_rows(clean, dirty_tbl, dirty_pos_sorted)
    dirty_pos = np.empty(m, dtype=np.int64)
    dirty_pos[dorder] = dirty_pos_sorted
    truth = {
        "source_table": [name] * len(reasons),
        "record_key": rkeys,
        "row_number": dirty_pos.tolist(),
        "reject_reason": reasons,
    }
    return Assembled(out, truth)


def pick_rows(rng: np.random.Generator, n_clean: int, m: int, eligible: np.ndarray | None = None) -> np.ndarray:
    """m clean row indices (without replacement when possible)."""
    idx = np.arange(n_clean) if eligible is None else np.nonzero(eligible)[0]
    if len(idx) == 0:
        idx = np.arange(n_clean)
    replace = m > len(idx)
    return np.sort(rng.choice(idx, size=m, replace=replace))


def replace_col(t: pa.Table, col: str, values) -> pa.Table:
    i = t.column_names.index(col)
    typ = t.schema.field(col).type
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(values, type=typ)
    return t.set_column(i, t.schema.field(col), values.cast(typ))


def col_values(t: pa.Table, col: str) -> list:
    return t.column(col).to_pylist()


def blank_or_null(rng: np.random.Generator, m: int, typ: pa.DataType):
    """For string columns alternate null / blank; other types null."""
    if pa.types.is_string(typ):
        return pa.array([None if rng.random() < 0.6 else "  " for _ in range(m)], type=typ)
    return pa.nulls(m, typ)


def truth_table(parts: list[dict]) -> pa.Table:
    cols = {"source_table": [], "record_key": [], "row_number": [], "reject_reason": []}
    for p in parts:
        for k in cols:
            cols[k].extend(p[k])
    return pa.table({
        "source_table": pa.array(cols["source_table"], pa.string()),
        "record_key": pa.array(cols["record_key"], pa.string()),
        "row_number": pa.array(cols["row_number"], pa.int64()),
        "reject_reason": pa.array(cols["reject_reason"], pa.string()),
    })


def missing_required_batch(name: str, clean: pa.Table, key_col: str | list[str], rng: np.random.Generator,
                           m: int, new_keys: list | None, key_fn=None) -> DirtyBatch:
    """Copy m clean rows; half get a null primary key, the rest a null/blank required field.

    new_keys: replacement ids for keyed parent tables (None keeps the copied key).
    """
    rows = pick_rows(rng, clean.num_rows, m)
    t = clean.take(pa.array(rows))
    kcols = [key_col] if isinstance(key_col, str) else list(key_col)
    if new_keys is not None:
        t = replace_col(t, kcols[0], new_keys)
    keys = key_fn(t) if key_fn else [str(v) if v is not None else None for v in col_values(t, kcols[0])]
    field_name = REQUIRED_FIELDS.get(name, [kcols[0]])[0]
    null_pk = np.zeros(m, dtype=bool)
    # first row: null required field; second: null key; then alternate at random
    for i in range(m):
        null_pk[i] = (i == 1) or (i > 1 and rng.random() < 0.4)
    if len(kcols) > 1:
        null_pk[:] = False  # composite keys: null a required field instead (key must stay readable)
    keys = [None if null_pk[i] else keys[i] for i in range(m)]
    pk_col = t.column(kcols[0]).to_pylist()
    pk_col = [None if null_pk[i] else pk_col[i] for i in range(m)]
    t = replace_col(t, kcols[0], pa.array(pk_col, type=t.schema.field(kcols[0]).type))
    typ = t.schema.field(field_name).type
    fvals = blank_or_null(rng, m, typ).to_pylist()
    orig = t.column(field_name).to_pylist()
    newf = [orig[i] if null_pk[i] else fvals[i] for i in range(m)]
    t = replace_col(t, field_name, pa.array(newf, type=typ))
    return DirtyBatch("missing_required", t, keys)


def duplicate_batch(clean: pa.Table, rng: np.random.Generator, m: int, key_fn,
                    eligible: np.ndarray | None = None) -> DirtyBatch:
    rows = pick_rows(rng, clean.num_rows, m, eligible)
    t = clean.take(pa.array(rows))
    return DirtyBatch("duplicate_id", t, key_fn(t), dup_of=rows)


def simple_keys(col: str):
    return lambda t: [None if v is None else str(v) for v in t.column(col).to_pylist()]


def is_enum_clean(values: pa.Array, allowed: list[str]) -> np.ndarray:
    norm = pc.utf8_upper(pc.utf8_trim_whitespace(values))
    return pc.is_in(norm, value_set=pa.array(allowed)).to_numpy(zero_copy_only=False)


# ----------------------------------------------------------------------------- fast row merge

_FIXED = {pa.int64(): np.int64, pa.float64(): np.float64, pa.int32(): np.int32, pa.date32(): np.int32,
          pa.timestamp("us"): np.int64}


def _fixed_values(arr: pa.Array):
    """(numpy values, validity bool or None) for fixed-width arrays, else None."""
    t = arr.type
    if t in _FIXED:
        vals = np.frombuffer(arr.buffers()[1], dtype=_FIXED[t])[arr.offset:arr.offset + len(arr)]
    elif pa.types.is_decimal128(t):
        vals = np.frombuffer(arr.buffers()[1], dtype=np.int64).reshape(-1, 2)[arr.offset:arr.offset + len(arr)]
    else:
        return None
    valid = None if arr.null_count == 0 else arr.is_valid().to_numpy(zero_copy_only=False)
    return vals, valid


def _fixed_strings(arr: pa.Array):
    """(n, w) uint8 matrix when every value is non-null and has the same byte length, else None."""
    if not pa.types.is_string(arr.type) or arr.null_count or len(arr) == 0:
        return None
    offs = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset:arr.offset + len(arr) + 1]
    w = int(offs[1] - offs[0])
    if w == 0 or int(offs[-1] - offs[0]) != w * len(arr) or not np.all(np.diff(offs) == w):
        return None
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    return data[offs[0]:offs[-1]].reshape(len(arr), w)


def merge_rows(clean: pa.Table, dirty: pa.Table, dirty_pos: np.ndarray) -> pa.Table:
    """Table with dirty rows placed at dirty_pos (ascending) and clean rows, in order, elsewhere."""
    n, m = clean.num_rows, dirty.num_rows
    total = n + m
    is_clean = np.ones(total, dtype=bool)
    is_clean[dirty_pos] = False
    cols = []
    take_idx = None
    for name in clean.column_names:
        c = clean.column(name).combine_chunks()
        d = dirty.column(name).combine_chunks()
        typ = c.type
        fc, fd = _fixed_values(c), _fixed_values(d)
        if fc is not None and fd is not None:
            vals = np.empty((total,) + fc[0].shape[1:], dtype=fc[0].dtype)
            vals[is_clean] = fc[0]
            vals[dirty_pos] = fd[0]
            validity = None
            if fc[1] is not None or fd[1] is not None:
                valid = np.ones(total, dtype=bool)
                if fc[1] is not None:
                    valid[is_clean] = fc[1]
                if fd[1] is not None:
                    valid[dirty_pos] = fd[1]
                if not valid.all():
                    validity = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
            cols.append(pa.Array.from_buffers(typ, total, [validity, pa.py_buffer(vals.tobytes())]))
            continue
        sc, sd = _fixed_strings(c), _fixed_strings(d)
        if sc is not None and sd is not None and sc.shape[1] == sd.shape[1]:
            mat = np.empty((total, sc.shape[1]), dtype=np.uint8)
            mat[is_clean] = sc
            mat[dirty_pos] = sd
            cols.append(U.strings_from_matrix(mat))
            continue
        if take_idx is None:
            take_idx = np.empty(total, dtype=np.int64)
            take_idx[is_clean] = np.arange(n)
            take_idx[dirty_pos] = n + np.arange(m)
            take_idx = pa.array(take_idx)
        cols.append(pc.take(pa.concat_arrays([c, d]), take_idx))
    return pa.table(cols, schema=clean.schema)
