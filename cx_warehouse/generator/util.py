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
    nums = np.asarray(nums, dtype=np.int64)
    pw = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((nums[:, None] // pw) % 10 + 48).astype(np.uint8)


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


def iso_seconds(us: np.ndarray) -> pa.Array:
    """int64 microseconds -> 'YYYY-MM-DDTHH:MM:SS' strings (no zone)."""
    sec = (np.asarray(us, dtype=np.int64) // SEC).view("datetime64[s]")
    return pc.strftime(pa.array(sec, type=pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S")


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


def render(templates: list[str], tidx: np.ndarray, slots: Mapping[str, pa.Array]) -> pa.Array:
    """Vectorised template filling.

    templates: list of strings with {slot} placeholders; tidx: template index per row;
    slots: name -> Arrow string array of length n (one candidate value per row).
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
        rows = pa.array(order[s:e])
        parts = _parse(templates[int(t)])
        args = []
        for is_slot, v in parts:
            args.append(pc.take(slots[v], rows) if is_slot else pa.scalar(v, pa.string()))
        if not args:
            res = pa.array([""] * (e - s), type=pa.string())
        elif len(args) == 1 and not parts[0][0]:
            res = pa.array([parts[0][1]] * (e - s), type=pa.string())
        else:
            if all(isinstance(a, pa.Scalar) for a in args):
                res = pa.array(["".join(p[1] for p in parts)] * (e - s), type=pa.string())
            else:
                res = pc.binary_join_element_wise(*args, "")
        pieces.append(res)
    joined = pa.concat_arrays(pieces)
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
