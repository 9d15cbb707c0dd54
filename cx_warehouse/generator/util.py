"""Vectorised helpers: deterministic random streams, id/decimal/timestamp arrays, text rendering."""

from __future__ import annotations

import re
import zlib
from typing import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

US = 1
SEC = 1_000_000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR


def substream(seed: int, name: str) -> np.random.Generator:
    """A named, independent random stream derived from the one --seed.

    Each table/step gets its own stream so adding draws in one table never shifts another.
    """
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), key])))


# ----------------------------------------------------------------------------- strings

def _validity(mask: np.ndarray | None):
    """Arrow validity bitmap from a boolean *null* mask (True = null)."""
    if mask is None or not np.any(mask):
        return None, 0
    valid = ~np.asarray(mask, dtype=bool)
    return pa.py_buffer(np.packbits(valid, bitorder="little").tobytes()), int((~valid).sum())


def strings_from_matrix(mat: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    """Fixed-width uint8 matrix (n, w) of ASCII codes -> Arrow string array."""
    mat = np.ascontiguousarray(mat, dtype=np.uint8)
    n, w = mat.shape
    offsets = np.arange(n + 1, dtype=np.int32) * w
    validity, _ = _validity(null_mask)
    return pa.Array.from_buffers(
        pa.string(), n, [validity, pa.py_buffer(offsets.tobytes()), pa.py_buffer(mat.tobytes())]
    )


def digit_matrix(nums: np.ndarray, width: int) -> np.ndarray:
    """(n, width) ASCII digit codes of non-negative integers (zero padded, truncated on the left)."""
    v = np.asarray(nums, dtype=np.int64).copy()
    out = np.empty((len(v), width), dtype=np.uint8)
    for c in range(width - 1, -1, -1):
        out[:, c] = (v % 10).astype(np.uint8) + 48
        v //= 10
    return out


def fixed_ids(prefix: str, nums: np.ndarray, width: int, null_mask: np.ndarray | None = None) -> pa.Array:
    """e.g. fixed_ids('TKT-', [1, 2], 7) -> ['TKT-0000001', 'TKT-0000002']"""
    nums = np.asarray(nums, dtype=np.int64)
    p = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    mat = np.empty((len(nums), len(p) + width), dtype=np.uint8)
    mat[:, : len(p)] = p
    mat[:, len(p):] = digit_matrix(nums, width)
    return strings_from_matrix(mat, null_mask)


def digits_str(nums: np.ndarray, width: int) -> pa.Array:
    return strings_from_matrix(digit_matrix(nums, width))


def pattern_digits(pattern: str, digits: np.ndarray) -> pa.Array:
    """Fill '#' placeholders of `pattern` with columns of a (n, k) digit array (0-9)."""
    digits = np.asarray(digits)
    n = digits.shape[0]
    pat = np.frombuffer(pattern.encode("ascii"), dtype=np.uint8)
    slots = np.nonzero(pat == ord("#"))[0]
    assert len(slots) == digits.shape[1], (pattern, digits.shape)
    mat = np.empty((n, len(pat)), dtype=np.uint8)
    mat[:] = pat
    mat[:, slots] = digits.astype(np.uint8) + 48
    return strings_from_matrix(mat)


def take(pool, idx) -> pa.Array:
    """Pick pool[idx] for a Python list / Arrow array pool with numpy indices."""
    if not isinstance(pool, (pa.Array, pa.ChunkedArray)):
        pool = pa.array(list(pool), type=pa.string())
    return pc.take(pool, pa.array(np.asarray(idx, dtype=np.int64)))


def concat(*parts, sep: str = "") -> pa.Array:
    """Element-wise string concatenation of arrays / python str scalars."""
    args = [pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, sep)


def set_null(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return arr
    return pc.if_else(pa.array(mask), pa.scalar(None, arr.type), arr)


def choose(mask: np.ndarray, a: pa.Array, b: pa.Array) -> pa.Array:
    """mask ? a : b"""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), a, b)


# ----------------------------------------------------------------------------- numbers / time

def decimal_from_cents(cents: np.ndarray, precision: int = 12, null_mask: np.ndarray | None = None) -> pa.Array:
    cents = np.asarray(cents, dtype=np.int64)
    buf = np.empty((len(cents), 2), dtype=np.int64)
    buf[:, 0] = cents
    buf[:, 1] = np.where(cents < 0, -1, 0)
    validity, _ = _validity(null_mask)
    return pa.Array.from_buffers(
        pa.decimal128(precision, 2), len(cents), [validity, pa.py_buffer(buf.tobytes())]
    )


def ts_array(us: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    """Whole-second timestamps (microsecond unit, no zone)."""
    us = np.asarray(us, dtype=np.int64)
    us = us - us % SEC
    return pa.array(us.view("datetime64[us]"), type=pa.timestamp("us"),
                    mask=None if null_mask is None else np.asarray(null_mask, dtype=bool))


def date_array(days: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    days = np.asarray(days, dtype=np.int32)
    return pa.array(days, type=pa.int32(),
                    mask=None if null_mask is None else np.asarray(null_mask, dtype=bool)).cast(pa.date32())


def _iso_matrix(us: np.ndarray, extra: int) -> np.ndarray:
    """(n, 19 + extra) uint8 matrix holding 'YYYY-MM-DDTHH:MM:SS' in the first 19 columns."""
    sec = np.asarray(us, dtype=np.int64) // SEC
    days = sec // 86400
    sod = sec - days * 86400
    d = days.astype("datetime64[D]")
    mon = d.astype("datetime64[M]")
    year = mon.astype("datetime64[Y]").astype(np.int64) + 1970
    month = mon.astype(np.int64) % 12 + 1
    dom = (d - mon.astype("datetime64[D]")).astype(np.int64) + 1
    mat = np.empty((len(sec), 19 + extra), dtype=np.uint8)
    mat[:, 0:4] = digit_matrix(year, 4)
    mat[:, 4] = ord("-")
    mat[:, 5:7] = digit_matrix(month, 2)
    mat[:, 7] = ord("-")
    mat[:, 8:10] = digit_matrix(dom, 2)
    mat[:, 10] = ord("T")
    mat[:, 11:13] = digit_matrix(sod // 3600, 2)
    mat[:, 13] = ord(":")
    mat[:, 14:16] = digit_matrix((sod // 60) % 60, 2)
    mat[:, 16] = ord(":")
    mat[:, 17:19] = digit_matrix(sod % 60, 2)
    return mat


def iso_seconds(us: np.ndarray) -> pa.Array:
    """int64 microseconds -> 'YYYY-MM-DDTHH:MM:SS' strings (no zone)."""
    return strings_from_matrix(_iso_matrix(us, 0))


def iso_utc_z(us: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    """int64 microseconds (UTC) -> 'YYYY-MM-DDTHH:MM:SSZ'."""
    mat = _iso_matrix(us, 1)
    mat[:, 19] = ord("Z")
    return strings_from_matrix(mat, null_mask)


def iso_local_offset(utc_us: np.ndarray, offset_minutes: np.ndarray) -> pa.Array:
    """UTC microseconds + UTC offset in minutes -> local wall clock with offset
    ('2026-03-14T17:42:05-04:00')."""
    o = np.asarray(offset_minutes, dtype=np.int64)
    mat = _iso_matrix(np.asarray(utc_us, dtype=np.int64) + o * MIN, 6)
    mat[:, 19] = np.where(o < 0, ord("-"), ord("+")).astype(np.uint8)
    a = np.abs(o)
    mat[:, 20:22] = digit_matrix(a // 60, 2)
    mat[:, 22] = ord(":")
    mat[:, 23:25] = digit_matrix(a % 60, 2)
    return strings_from_matrix(mat)


def offset_strings(offset_minutes: np.ndarray) -> pa.Array:
    """UTC offsets in minutes -> '+HH:MM' / '-HH:MM'."""
    o = np.asarray(offset_minutes, dtype=np.int64)
    sign = np.where(o < 0, ord("-"), ord("+")).astype(np.uint8)
    a = np.abs(o)
    mat = np.empty((len(o), 6), dtype=np.uint8)
    mat[:, 0] = sign
    mat[:, 1:3] = digit_matrix(a // 60, 2)
    mat[:, 3] = ord(":")
    mat[:, 4:6] = digit_matrix(a % 60, 2)
    return strings_from_matrix(mat)


def round_half_up_cents(x: np.ndarray) -> np.ndarray:
    """Round non-negative float amounts in *cents* to whole cents (half up, float-safe)."""
    return np.floor(np.asarray(x, dtype=np.float64) + 0.5 + 1e-9).astype(np.int64)


def weighted_choice(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(w)
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(w) - 1)


def alloc_counts(total: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return rng.multinomial(total, w / w.sum())


# ----------------------------------------------------------------------------- text templates

_SLOT = re.compile(r"\{(\w+)\}")


def _parse(template: str) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _SLOT.finditer(template):
        if m.start() > pos:
            out.append((False, template[pos:m.start()]))
        out.append((True, m.group(1)))
        pos = m.end()
    if pos < len(template):
        out.append((False, template[pos:]))
    return out


def _slot_rows(slot_index, name: str, rows: np.ndarray) -> np.ndarray:
    if slot_index is None:
        return rows
    if isinstance(slot_index, dict):
        ix = slot_index.get(name)
        return rows if ix is None else np.asarray(ix)[rows]
    return np.asarray(slot_index)[rows]


def render(templates: list[str], tidx: np.ndarray, slots: Mapping[str, pa.Array],
           slot_index=None) -> pa.Array:
    """Vectorised template filling.

    templates: list of strings with {slot} placeholders; tidx: template index per row;
    slots: name -> Arrow string array with one candidate value per row, or per entity when
    slot_index (row -> entity position; an array for every slot or a dict per slot name) is given.
    """
    tidx = np.asarray(tidx, dtype=np.int64)
    n = len(tidx)
    if n == 0:
        return pa.array([], type=pa.string())
    order = np.argsort(tidx, kind="stable")
    sorted_t = tidx[order]
    uniq, starts = np.unique(sorted_t, return_index=True)
    ends = np.append(starts[1:], n)
    pieces = []
    for t, s, e in zip(uniq, starts, ends):
        rows_np = order[s:e]
        parts = _parse(templates[int(t)])
        if all(not is_slot for is_slot, _ in parts):
            res = pa.repeat(pa.scalar("".join(v for _, v in parts), pa.string()), int(e - s))
        else:
            args = [pc.take(slots[v], pa.array(_slot_rows(slot_index, v, rows_np))) if is_slot
                    else pa.scalar(v, pa.string()) for is_slot, v in parts]
            res = args[0] if len(args) == 1 else pc.binary_join_element_wise(*args, "")
        pieces.append(res)
    joined = pa.concat_arrays(pieces)
    if len(uniq) == 1:
        return joined
    inv = np.empty(n, dtype=np.int64)
    inv[order] = np.arange(n)
    return pc.take(joined, pa.array(inv))


def luhn_check_digit(d: np.ndarray) -> np.ndarray:
    """d: (n, 15) digit matrix -> Luhn check digit so that the 16-digit number is valid."""
    d = np.asarray(d, dtype=np.int64)
    # positions from the right of the final 16-digit number: check digit is pos 0,
    # d[:, -1] is pos 1 (doubled), d[:, -2] pos 2, ...
    rev = d[:, ::-1]
    dbl = rev[:, 0::2] * 2
    dbl = np.where(dbl > 9, dbl - 9, dbl)
    s = dbl.sum(axis=1) + rev[:, 1::2].sum(axis=1)
    return (10 - s % 10) % 10


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, dgt in enumerate(reversed(digits)):
        if i % 2 == 1:
            dgt *= 2
            if dgt > 9:
                dgt -= 9
        total += dgt
    return total % 10 == 0
