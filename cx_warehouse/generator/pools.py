"""Small Faker-built pools plus vectorised PII generators (CPF, CNPJ, phones, cards, emails)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from faker import Faker

from . import util as U


def _unique(fn, n: int, max_tries: int | None = None) -> list[str]:
    seen: dict[str, None] = {}
    tries = 0
    max_tries = max_tries or n * 20
    while len(seen) < n and tries < max_tries:
        v = fn()
        seen.setdefault(v, None)
        tries += 1
    return list(seen)


@dataclass
class Pools:
    br_first: list[str]
    br_last: list[str]
    us_first: list[str]
    us_last: list[str]
    br_company_core: list[str]
    us_company: list[str]
    br_street: list[str]
    br_city_state: list[tuple[str, str]]
    us_street: list[str]
    us_city_state: list[tuple[str, str]]
    words: list[str]


# first names that are sentiment words for lexicon models; left out so free text stays neutral
NAME_STOP = {"Joy", "Grace", "Hope", "Faith", "Glory", "Charity", "Destiny", "Honor", "Angel", "Precious",
             "Merry", "Happy", "Sunny", "Bliss", "Harmony", "Miracle", "Heaven", "Love", "Star", "Dawn"}


def build_pools(seed: int) -> Pools:
    br = Faker("pt_BR")
    br.seed_instance(seed)
    us = Faker("en_US")
    us.seed_instance(seed + 1)
    br_first = [n for n in _unique(br.first_name, 300) if n not in NAME_STOP]
    br_last = _unique(br.last_name, 150)
    us_first = [n for n in _unique(us.first_name, 300) if n not in NAME_STOP]
    us_last = _unique(us.last_name, 300)
    # company "core" names without legal suffix; the suffix is added separately
    br_company_core = _unique(lambda: br.last_name() + (" " + br.last_name() if br.random.random() < 0.5 else ""), 400)
    us_company = _unique(us.company, 400)
    br_street = _unique(lambda: br.street_name(), 300)
    us_street = _unique(lambda: us.street_address(), 400)
    br_city_state = _unique(lambda: (br.city(), br.estado_sigla()), 120)
    us_city_state = _unique(lambda: (us.city(), us.state_abbr()), 150)
    words = _unique(us.word, 300)
    return Pools(br_first, br_last, us_first, us_last, br_company_core, us_company, br_street,
                 br_city_state, us_street, us_city_state, words)


# ----------------------------------------------------------------------------- PII

def _cpf_digits(rng: np.random.Generator, n: int) -> np.ndarray:
    d = rng.integers(0, 10, size=(n, 11))
    w1 = np.arange(10, 1, -1)
    s1 = (d[:, :9] * w1).sum(axis=1)
    r1 = (s1 * 10) % 11
    d[:, 9] = np.where(r1 == 10, 0, r1)
    w2 = np.arange(11, 1, -1)
    s2 = (d[:, :10] * w2).sum(axis=1)
    r2 = (s2 * 10) % 11
    d[:, 10] = np.where(r2 == 10, 0, r2)
    return d


def cpf(rng: np.random.Generator, n: int) -> pa.Array:
    return U.pattern_digits("###.###.###-##", _cpf_digits(rng, n))


def cnpj(rng: np.random.Generator, n: int) -> pa.Array:
    d = np.zeros((n, 14), dtype=np.int64)
    d[:, :8] = rng.integers(0, 10, size=(n, 8))
    d[:, 8:12] = [0, 0, 0, 1]
    w1 = np.array([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    r = (d[:, :12] * w1).sum(axis=1) % 11
    d[:, 12] = np.where(r < 2, 0, 11 - r)
    w2 = np.array([6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    r = (d[:, :13] * w2).sum(axis=1) % 11
    d[:, 13] = np.where(r < 2, 0, 11 - r)
    return U.pattern_digits("##.###.###/####-##", d)


BR_DDD = np.array([11, 11, 11, 21, 21, 31, 41, 47, 48, 51, 61, 62, 71, 81, 85, 91, 27, 19, 12])


def br_phone_digits(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 11) digits: DDD (2) + 9 + 8 digits."""
    ddd = BR_DDD[rng.integers(0, len(BR_DDD), n)]
    d = np.empty((n, 11), dtype=np.int64)
    d[:, 0] = ddd // 10
    d[:, 1] = ddd % 10
    d[:, 2] = 9
    d[:, 3] = rng.integers(6, 10, n)
    d[:, 4:] = rng.integers(0, 10, size=(n, 7))
    return d


BR_PHONE_FORMATS = ["+55 ## #####-####", "(##) #####-####", "###########", "+55 (##) #####-####", "## #####-####"]


def format_phone(digits: np.ndarray, fmt_idx: np.ndarray, formats: list[str]) -> pa.Array:
    """Format digit rows with per-row pattern choice ('#' = digit)."""
    fmt_idx = np.asarray(fmt_idx)
    n = len(fmt_idx)
    parts, rows = [], []
    for k, f in enumerate(formats):
        r = np.nonzero(fmt_idx == k)[0]
        if len(r):
            parts.append(U.pattern_digits(f, digits[r]))
            rows.append(r)
    if not parts:
        return pa.array([], pa.string())
    perm = np.concatenate(rows)
    inv = np.empty(n, dtype=np.int64)
    inv[perm] = np.arange(n)
    return pc.take(pa.concat_arrays(parts), pa.array(inv))


def br_phone(rng: np.random.Generator, n: int, weights=(0.4, 0.35, 0.25, 0.0, 0.0)) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    d = br_phone_digits(rng, n)
    f = U.weighted_choice(rng, n, weights)
    return format_phone(d, f, BR_PHONE_FORMATS), d, f


US_AREA = np.array([412, 412, 412, 724, 878, 215, 267, 216, 614, 312, 773, 612, 303, 602, 503, 206])
US_PHONE_FORMATS = ["(###) ###-####", "###-###-####", "+1 ### ### ####", "##########", "###.###.####"]


def us_phone_digits(rng: np.random.Generator, n: int) -> np.ndarray:
    area = US_AREA[rng.integers(0, len(US_AREA), n)]
    d = np.empty((n, 10), dtype=np.int64)
    d[:, 0] = area // 100
    d[:, 1] = (area // 10) % 10
    d[:, 2] = area % 10
    d[:, 3] = rng.integers(2, 10, n)
    d[:, 4:] = rng.integers(0, 10, size=(n, 6))
    return d


def card_digits(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 16) Luhn-valid digits with Visa / Mastercard / Discover prefixes."""
    d = rng.integers(0, 10, size=(n, 16))
    kind = rng.random(n)
    visa = kind < 0.55
    mc = (kind >= 0.55) & (kind < 0.9)
    disc = kind >= 0.9
    d[visa, 0] = 4
    d[mc, 0] = 5
    d[mc, 1] = rng.integers(1, 6, mc.sum())
    d[disc, 0:4] = [6, 0, 1, 1]
    d[:, 15] = U.luhn_check_digit(d[:, :15])
    return d


CARD_FORMATS = ["################", "#### #### #### ####", "####-####-####-####"]


def card(rng: np.random.Generator, n: int, weights=(0.6, 0.25, 0.15)) -> pa.Array:
    d = card_digits(rng, n)
    f = U.weighted_choice(rng, n, weights)
    return format_phone(d, f, CARD_FORMATS)


def ascii_slug(arr: pa.Array) -> pa.Array:
    """Lower-case ASCII version of names: accents stripped, spaces removed."""
    a = pc.utf8_normalize(arr, "NFKD")
    a = pc.replace_substring_regex(a, r"[^A-Za-z0-9 .\-]", "")
    a = pc.utf8_lower(a)
    a = pc.replace_substring_regex(a, r"[ \-]+", "")
    return a


def email_addresses(rng: np.random.Generator, first: pa.Array, last: pa.Array, domains: list[str]) -> pa.Array:
    """first.last@domain style addresses, unique by appending a counter on collisions."""
    n = len(first)
    f = ascii_slug(first)
    l_ = ascii_slug(last)
    style = rng.integers(0, 4, n)
    initial = pc.utf8_slice_codeunits(f, 0, 1)
    local = U.concat(f, ".", l_)
    local = U.choose(style == 1, U.concat(f, l_), local)
    local = U.choose(style == 2, U.concat(initial, l_), local)
    local = U.choose(style == 3, U.concat(f, "_", l_), local)
    if isinstance(domains, (pa.Array, pa.ChunkedArray)) and len(domains) == n:
        dom = domains
    else:
        dom = U.take(list(domains), rng.integers(0, len(domains), n))
    addr = U.concat(local, "@", dom)
    # de-duplicate: second occurrence gets a number
    import pandas as pd

    s = pd.Series(addr.to_numpy(zero_copy_only=False))
    cnt = s.groupby(s).cumcount().to_numpy()
    if cnt.max(initial=0) > 0:
        num = pa.array(np.char.mod("%d", cnt + 1).astype(object))
        local2 = U.concat(local, num)
        addr = U.choose(cnt > 0, U.concat(local2, "@", dom), addr)
    return addr


class PIIRegistry:
    """Collects every PII value written to a raw file (kind, value).

    With a sink, values are written out whenever `flush_at` of them are buffered (unique within a
    flush, grouped by kind), so memory stays bounded; a value can then appear more than once in the
    file. Small datasets flush once, at close.
    """

    KINDS = ["email", "phone", "card", "cpf", "cnpj"]

    def __init__(self, sink=None, flush_at: int = 2_000_000) -> None:
        self._parts: list[tuple[str, pa.Array]] = []
        self._buffered = 0
        self.sink = sink
        self.flush_at = flush_at

    def add(self, kind: str, values) -> None:
        if isinstance(values, (list, tuple)):
            values = pa.array(list(values), type=pa.string())
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        values = values.cast(pa.string())
        values = values.filter(pc.is_valid(values))
        if len(values):
            self._parts.append((kind, values))
            self._buffered += len(values)
        if self.sink is not None and self._buffered >= self.flush_at:
            self.flush()

    def table(self) -> pa.Table:
        kinds, vals = [], []
        for kind in self.KINDS:
            arrs = [v for k, v in self._parts if k == kind]
            if not arrs:
                continue
            u = pc.unique(pa.concat_arrays(arrs))
            u = u.filter(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(u)), 0))
            vals.append(u)
            kinds.append(pa.array(np.full(len(u), kind, dtype=object), type=pa.string()))
        if not vals:
            return pa.table({"kind": pa.array([], pa.string()), "value": pa.array([], pa.string())})
        return pa.table({"kind": pa.concat_arrays(kinds), "value": pa.concat_arrays(vals)})

    def flush(self) -> None:
        if self._parts:
            self.sink.write(self.table())
        self._parts, self._buffered = [], 0

    def close(self) -> None:
        if self.sink is None:
            return
        if self._parts or self.sink.rows == 0:
            self.sink.write(self.table())
        self._parts, self._buffered = [], 0
        self.sink.close()
