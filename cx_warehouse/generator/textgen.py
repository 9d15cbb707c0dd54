"""Shared slot values and composed customer-facing text (chats, emails)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import pools as P
from . import texts as T
from . import util as U
from .catalog import PRODUCT_BASES

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "the 14th",
        "the 3rd", "the 21st", "the 9th", "the 28th"]
UPS_SHIPPERS = ["999AA1", "A1B2C3", "4F7W92", "X9Y8Z7", "0E4R55", "V6829F", "12345E", "8A8A8A"]


def order_numbers(rng: np.random.Generator, n: int) -> pa.Array:
    return U.fixed_ids("ORD-", rng.integers(1_000_000, 9_999_999, n), 7)


def tracking_numbers(rng: np.random.Generator, n: int) -> pa.Array:
    ship = U.take(UPS_SHIPPERS, rng.integers(0, len(UPS_SHIPPERS), n))
    svc = U.take(["01", "02", "03", "12", "13"], rng.integers(0, 5, n))
    return U.concat("1Z", ship, svc, U.digits_str(rng.integers(0, 100_000_000, n), 8))


def usd(rng: np.random.Generator, n: int) -> pa.Array:
    return U.concat("$", pa.array(np.char.mod("%d", rng.integers(3, 400, n)).astype(object), pa.string()),
                    ".", U.digits_str(rng.integers(0, 100, n), 2))


# slot values that carry sentiment for lexicon models (VADER): kept out of free text
SLOT_STOP = {"Fresh Mozzarella", "Pain au Chocolat", "Romaine Hearts", "Sweet Potatoes", "Fresh Basil",
             "Champagne Brut", "Earl Grey Tea", "Sparkling Water", "Free-Range Eggs", "Fresh Cut Flowers",
             "East Liberty", "Friendship", "Northern Liberties"}


def slots(rng: np.random.Generator, n: int, pools: P.Pools, stores: list[str], names: pa.Array,
          agents: pa.Array) -> dict[str, pa.Array]:
    prods = [b[0] for b in PRODUCT_BASES if b[0] not in SLOT_STOP]
    stores = [x for x in stores if x not in SLOT_STOP] or stores
    return {
        "order": order_numbers(rng, n),
        "tracking": tracking_numbers(rng, n),
        "product": U.take(prods, rng.integers(0, len(prods), n)),
        "amount": usd(rng, n),
        "day": U.take(DAYS, rng.integers(0, len(DAYS), n)),
        "store": U.take(stores, rng.integers(0, len(stores), n)),
        "name": names,
        "agent": agents,
    }


def grouped_templates(groups: dict[str, list[str]], keys: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    tpl, base, size = [], [], []
    for k in keys:
        base.append(len(tpl))
        size.append(len(groups[k]))
        tpl.extend(groups[k])
    return tpl, np.array(base), np.array(size)


def pick_grouped(rng: np.random.Generator, group_idx: np.ndarray, base: np.ndarray, size: np.ndarray) -> np.ndarray:
    return base[group_idx] + (rng.random(len(group_idx)) * size[group_idx]).astype(np.int64)


def sentiment_clause(rng: np.random.Generator, sent: np.ndarray) -> pa.Array:
    n = len(sent)
    tpl = [" " + s for s in T.NEGATIVE] + [(" " + s if s else "") for s in T.NEUTRAL_TAIL] + [" " + s for s in T.POSITIVE]
    nn, nz = len(T.NEGATIVE), len(T.NEUTRAL_TAIL)
    idx = np.where(sent == 0, rng.integers(0, nn, n),
                   np.where(sent == 1, nn + rng.integers(0, nz, n), nn + nz + rng.integers(0, len(T.POSITIVE), n)))
    return U.render(tpl, idx, {})


def pii_sentences(rng: np.random.Generator, n: int, rate: float, pools: P.Pools, pii: P.PIIRegistry,
                  eligible: np.ndarray | None = None, us: bool = True) -> pa.Array:
    has = rng.random(n) < rate
    if eligible is not None:
        has &= np.asarray(eligible, dtype=bool)
    kind = rng.integers(0, 4, n)
    k_idx = np.nonzero(has)[0]
    m = len(k_idx)
    out_tpl = [""]
    tidx = np.zeros(n, dtype=np.int64)
    vals = pa.array([""] * n, pa.string()) if m == 0 else None
    if m:
        f = U.take(pools.us_first if us else pools.br_first, rng.integers(0, len(pools.us_first if us else pools.br_first), m))
        l_ = U.take(pools.us_last if us else pools.br_last, rng.integers(0, len(pools.us_last if us else pools.br_last), m))
        emails = P.email_addresses(rng, f, l_, ["gmail.com", "yahoo.com", "outlook.com", "icloud.com"])
        if us:
            phones = P.format_phone(P.us_phone_digits(rng, m), rng.integers(0, len(P.US_PHONE_FORMATS), m), P.US_PHONE_FORMATS)
        else:
            phones, _, _ = P.br_phone(rng, m)
        cards = P.card(rng, m)
        cpfs = P.cpf(rng, m)
        kk = kind[k_idx]
        v = emails
        v = U.choose(kk == 1, phones, v)
        v = U.choose(kk == 2, cards, v)
        v = U.choose(kk == 3, cpfs, v)
        kinds = ["email", "phone", "card", "cpf"]
        for j in range(4):
            sel = kk == j
            if sel.any():
                pii.add(kinds[j], v.filter(pa.array(sel)))
        full = np.zeros(n, dtype=np.int64)
        full[k_idx] = np.arange(m)
        vals = U.take(v, full)
        for j, kn in enumerate(kinds):
            b = len(out_tpl)
            out_tpl.extend(" " + s for s in T.PII_SENTENCES[kn])
            sel = k_idx[kk == j]
            tidx[sel] = b + rng.integers(0, len(T.PII_SENTENCES[kn]), len(sel))
    return U.render(out_tpl, tidx, {"pii": vals})
