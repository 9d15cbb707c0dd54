"""retail.* tables: stores, products, receipts, receipt_items."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dirty as D
from . import pools as P
from . import util as U
from .catalog import (BRANDS, ORIGIN_NOTES, PRODUCT_BASES, SIZES, STORE_LOCATIONS, US_CLOSED_DAYS,
                      US_PEAK_DAYS)
from .config import Config
from .util import DAY, HOUR, MIN, SEC

PAYMENT = ["CARD", "CASH", "MOBILE", "GIFT_CARD"]
PAYMENT_W = [0.55, 0.15, 0.22, 0.08]
RECEIPT_CHUNK = 300_000  # receipts per generated chunk (a few days at the large profile)
HOUR_W_RETAIL = np.array([0, 0, 0, 0, 0, 0, 0, 0.5, 1.2, 1.6, 2.0, 2.6, 3.4, 2.8, 2.2, 2.3, 3.0, 4.0,
                          4.2, 3.2, 2.0, 1.2, 0.5, 0])


class Retail:
    def __init__(self, cfg: Config, pools: P.Pools, pii: P.PIIRegistry, support):
        self.cfg = cfg
        self.pools = pools
        self.pii = pii
        self.sup = support
        self.seed = cfg.seed

    # ------------------------------------------------------------------ stores
    def stores(self) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "stores")
        n = cfg.sizes["stores"]
        pitt = [i for i, s in enumerate(STORE_LOCATIONS) if s[1] == "Pittsburgh"]
        other = [i for i, s in enumerate(STORE_LOCATIONS) if s[1] != "Pittsburgh"]
        n_p = min(len(pitt), max(1, int(round(0.65 * n))))
        pick = list(pitt[:4]) + list(rng.permutation(pitt[4:]))  # flagship neighbourhoods first
        chosen = pick[:n_p] + list(rng.permutation(other))[: max(0, n - n_p)]
        while len(chosen) < n:  # beyond the named locations: second stores
            chosen += chosen[: n - len(chosen)]
        names, seen = [], {}
        for c in chosen:
            nm = STORE_LOCATIONS[c][0]
            seen[nm] = seen.get(nm, 0) + 1
            names.append(nm if seen[nm] == 1 else f"{nm} {['', '', 'II', 'III', 'IV', 'V'][min(seen[nm], 5)]}")
        loc = [STORE_LOCATIONS[c] for c in chosen]
        self.n_stores = n
        self.store_tz = [l[3] for l in loc]
        self.store_tax = np.array([l[4] for l in loc])
        opened = cfg.start_day - rng.integers(60, 7000, n)
        self.store_ids = U.fixed_ids("STR-", np.arange(1, n + 1), 3)
        self.store_weight = np.exp(rng.normal(0, 0.45, n))
        t = pa.table({
            "store_id": self.store_ids,
            "store_name": pa.array(names, pa.string()),
            "city": pa.array([l[1] for l in loc], pa.string()),
            "region": pa.array([l[2] for l in loc], pa.string()),
            "timezone": pa.array(self.store_tz, pa.string()),
            "opened_date": U.date_array(opened),
        })
        drng = U.substream(self.seed, "stores.dirty")
        cnt = D.plan_counts(n, "stores", drng)
        m = cnt["missing_required"]
        batches = [D.missing_required_batch("stores", t, "store_id", drng, m,
                                            U.fixed_ids("STR-", np.arange(n + 1, n + 1 + m), 3))]
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], D.simple_keys("store_id")))
        self.stores_out = D.assemble("stores", t, batches, drng)

    # ------------------------------------------------------------------ products
    def products(self) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "products")
        n_target = cfg.sizes["products"]
        nb = len(PRODUCT_BASES)
        combos = []
        for b, (_, cat, _, _, _) in enumerate(PRODUCT_BASES):
            for br in range(len(BRANDS[cat])):
                for sz in range(len(SIZES[cat])):
                    for org in (0, 1):
                        combos.append((b, br, sz, org))
        n = min(n_target, len(combos))
        # every base product once first (so e.g. Roquefort always exists), then random combos
        first = []
        for b in range(nb):
            cat = PRODUCT_BASES[b][1]
            first.append((b, int(rng.integers(0, len(BRANDS[cat]))), int(rng.integers(0, len(SIZES[cat]))), 0))
        first_set = set(first)
        rest = [c for c in combos if c not in first_set]
        rest_idx = rng.permutation(len(rest))[: max(0, n - nb)]
        sel = (first + [rest[i] for i in rest_idx])[:n]
        sel_order = rng.permutation(len(sel))
        sel = [sel[i] for i in sel_order]
        names, cats, subs, descs, prices = [], [], [], [], []
        for b, br, sz, org in sel:
            base, cat, sub, desc, price = PRODUCT_BASES[b]
            brand = BRANDS[cat][br]
            size, mult = SIZES[cat][sz]
            org_s = "Organic " if org else ""
            names.append(f"{brand} {org_s}{base}, {size}")
            cats.append(cat)
            subs.append(sub)
            note = ORIGIN_NOTES[(b + br + sz) % len(ORIGIN_NOTES)]
            descs.append(f"{base} — {desc}. {org_s + 'Certified organic. ' if org else ''}{size} by {brand}. {note}")
            p = price * mult * (1.15 if org else 1.0) * float(np.exp(rng.normal(0, 0.06)))
            prices.append(int(round(p * 100 / 10)) * 10 - 1)  # ends in .x9
        self.n_products = n
        self.prod_price = np.maximum(np.array(prices, dtype=np.int64), 49)
        self.prod_ids = U.fixed_ids("PRD-", np.arange(1, n + 1), 5)
        self.prod_names = names
        self.prod_cats = cats
        t = pa.table({
            "product_id": self.prod_ids,
            "product_name": pa.array(names, pa.string()),
            "category": pa.array(cats, pa.string()),
            "subcategory": pa.array(subs, pa.string()),
            "description": pa.array(descs, pa.string()),
            "unit_price": U.decimal_from_cents(self.prod_price),
        })
        drng = U.substream(self.seed, "products.dirty")
        cnt = D.plan_counts(n, "products", drng)
        nid = [n + 1]

        def new_ids(m):
            a = U.fixed_ids("PRD-", np.arange(nid[0], nid[0] + m), 5)
            nid[0] += m
            return a

        keyf = D.simple_keys("product_id")
        batches = [D.missing_required_batch("products", t, "product_id", drng, cnt["missing_required"],
                                            new_ids(cnt["missing_required"]))]
        m = cnt["invalid_amount"]
        rows = D.pick_rows(drng, n, m)
        bt = D.replace_col(t.take(pa.array(rows)), "product_id", new_ids(m))
        bt = D.replace_col(bt, "unit_price", U.decimal_from_cents(-self.prod_price[rows]))
        batches.append(D.DirtyBatch("invalid_amount", bt, keyf(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], keyf))
        self.products_out = D.assemble("products", t, batches, drng)

    # ------------------------------------------------------------------ receipts
    def _offset_table(self) -> tuple[list[str], np.ndarray]:
        """UTC offset (minutes) per timezone per local hour of the window."""
        cfg = self.cfg
        tzs = sorted(set(self.store_tz))
        H = cfg.n_days * 24
        tab = np.zeros((len(tzs), H), dtype=np.int64)
        for z, tz in enumerate(tzs):
            zi = ZoneInfo(tz)
            for h in range(H):
                d = dt.datetime.combine(cfg.window_start, dt.time()) + dt.timedelta(hours=h)
                tab[z, h] = int(d.replace(tzinfo=zi).utcoffset().total_seconds() // 60)
        return tzs, tab

    def receipts(self, out) -> None:
        """Receipts and their lines, generated and written a few days at a time (RECEIPT_CHUNK)."""
        cfg, rng = self.cfg, U.substream(self.seed, "receipts")
        N = cfg.sizes["receipts"]
        # day weights: weekends, peak days, closures, slow upward trend
        dw = np.empty(cfg.n_days)
        for i in range(cfg.n_days):
            d = cfg.window_start + dt.timedelta(days=i)
            w = [1.0, 0.95, 1.0, 1.05, 1.2, 1.5, 1.3][d.weekday()]
            md = d.strftime("%m-%d")
            if md in US_PEAK_DAYS:
                w *= 1.8
            if md in US_CLOSED_DAYS:
                w *= 0.05
            dw[i] = w * (1 + 0.1 * i / cfg.n_days)
        per_day = rng.multinomial(N, dw / dw.sum())
        # loyalty members: 75 % of customers; a third of them shop once, the rest repeatedly
        nc = self.sup.n_cust
        member = rng.random(nc) < 0.75
        once = member & (rng.random(nc) < 0.33)
        freq = member & ~once
        w = np.where(freq, np.exp(rng.normal(0, 1.0, nc)), 0.0)
        if w.sum() == 0:
            w = np.ones(nc)
        home = U.weighted_choice(rng, nc, self.store_weight)
        # loyalty purchases cannot predate the customer's creation
        created_day = (self.sup.cust_created // DAY - cfg.start_day)
        once_idx = np.nonzero(once)[0]
        lo = np.clip(created_day[once_idx] + 1, 0, cfg.n_days - 1)
        once_day = lo + np.floor(rng.random(len(once_idx)) * (cfg.n_days - lo)).astype(np.int64)
        once_u = rng.random(len(once_idx))
        n_freq = max(0, int(round(0.3 * N)) - len(once_idx))
        p_freq = min(1.0, n_freq / max(1, N - len(once_idx)))
        # loyalty members reuse one of their two cards; anonymous shoppers bring a new card each time
        self._own_cards = pa.concat_arrays([P.card(rng, nc), P.card(rng, nc)])
        pop = 1.0 / (np.arange(self.n_products) + 8.0) ** 0.9
        self._pop = pop[rng.permutation(self.n_products)]
        self._tzs, self._tab = self._offset_table()
        self._tz_of_store = np.array([self._tzs.index(z) for z in self.store_tz])
        self._next_rid = N + 1  # ids of dirty extra receipts follow the clean ones
        self.n_receipts = N
        id0 = 0
        for c, (d0, d1) in enumerate(_day_chunks(per_day, RECEIPT_CHUNK)):
            crng = U.substream(self.seed, f"receipts.{c}")
            counts = per_day[d0:d1]
            n = int(counts.sum())
            if n == 0:
                continue
            day = np.repeat(np.arange(d0, d1), counts)
            day_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
            cust = np.full(n, -1, dtype=np.int64)
            sel = (once_day >= d0) & (once_day < d1)
            od = once_day[sel] - d0
            ok = counts[od] > 0
            cust[day_start[od[ok]] + np.floor(once_u[sel][ok] * counts[od[ok]]).astype(np.int64)] = once_idx[sel][ok]
            free = np.nonzero(cust < 0)[0]
            k_f = int(crng.binomial(len(free), p_freq))
            rows = np.sort(crng.choice(free, size=k_f, replace=False))
            pick = U.weighted_choice(crng, k_f, w)
            for _ in range(3):  # a customer created later than the purchase: draw again
                bad = day[rows] < created_day[pick] + 1
                if not bad.any():
                    break
                pick[bad] = U.weighted_choice(crng, int(bad.sum()), w)
            keep = day[rows] >= created_day[pick] + 1
            cust[rows[keep]] = pick[keep]
            self._receipt_chunk(out, c, crng, day, cust, home, id0)
            id0 += n

    def _receipt_chunk(self, out, c: int, rng, day, cust, home, id0: int) -> None:
        cfg = self.cfg
        N = len(day)
        hour = U.weighted_choice(rng, N, HOUR_W_RETAIL)
        sec = rng.integers(0, 3600, N)
        store = U.weighted_choice(rng, N, self.store_weight)
        at_home = (cust >= 0) & (rng.random(N) < 0.8)
        store[at_home] = home[cust[at_home]]
        # local time -> UTC via the store timezone
        tz_idx = self._tz_of_store[store]
        local_us = cfg.start_us + day.astype(np.int64) * DAY + hour.astype(np.int64) * HOUR + sec.astype(np.int64) * SEC
        off = self._tab[tz_idx, day * 24 + hour]
        utc = local_us - off * MIN
        # nothing after the extract instant
        late = utc > cfg.extract_us - MIN
        utc[late] -= DAY
        local_us[late] -= DAY
        order = np.lexsort((np.arange(N), utc))
        day, store, cust, local_us, off, utc = (a[order] for a in (day, store, cust, local_us, off, utc))
        # payment + cards
        nc = self.sup.n_cust
        pay = U.weighted_choice(rng, N, PAYMENT_W)
        is_card = pay == 0
        use_b = rng.random(N) < 0.3
        own = is_card & (cust >= 0)
        anon = is_card & (cust < 0)
        own_card = pc.take(self._own_cards, pa.array(np.where(own, np.maximum(cust, 0) + nc * use_b, 0)))
        anon_src = np.cumsum(anon) - 1
        anon_cards = P.card(rng, int(anon.sum()))
        anon_card = pc.take(anon_cards, pa.array(np.where(anon, anon_src, 0))) if len(anon_cards) else own_card
        card = U.set_null(U.choose(own, own_card, anon_card), ~is_card)
        # items
        k = 1 + rng.poisson(cfg.basket_extra + 0.35 * (np.isin((day + (cfg.window_start.weekday())) % 7, [5, 6])), N)
        n_items = int(k.sum())
        rec_of_item = np.repeat(np.arange(N), k)
        starts = np.concatenate([[0], np.cumsum(k)[:-1]])
        line = np.arange(n_items) - np.repeat(starts, k) + 1
        prod = U.weighted_choice(rng, n_items, self._pop)
        qty = U.weighted_choice(rng, n_items, [0.72, 0.18, 0.06, 0.04]) + 1
        price = self.prod_price[prod]
        gross = qty * price
        has_disc = rng.random(n_items) < 0.12
        rate = np.array([0.1, 0.15, 0.2, 0.25])[rng.integers(0, 4, n_items)]
        disc = np.where(has_disc, U.round_half_up_cents(gross * rate), 0)
        line_total = gross - disc
        subtotal = np.add.reduceat(line_total, starts)
        tax = U.round_half_up_cents(subtotal * self.store_tax[store])
        total = subtotal + tax
        rids = U.fixed_ids("RCP-", id0 + np.arange(1, N + 1), 9)
        txn = U.iso_local_offset(utc, off)
        t = pa.table({
            "receipt_id": rids,
            "store_id": pc.take(self.store_ids, pa.array(store)),
            "customer_id": U.set_null(pc.take(self.sup.cust_ids, pa.array(np.maximum(cust, 0))), cust < 0),
            "transaction_at": txn,
            "payment_method": U.take(PAYMENT, pay),
            "card_number": card,
            "subtotal": U.decimal_from_cents(subtotal),
            "tax": U.decimal_from_cents(tax),
            "total": U.decimal_from_cents(total),
        })
        items = pa.table({
            "receipt_id": pc.take(rids, pa.array(rec_of_item)),
            "line_number": pa.array(line, pa.int64()),
            "product_id": pc.take(self.prod_ids, pa.array(prod)),
            "quantity": pa.array(qty.astype(np.int64), pa.int64()),
            "unit_price": U.decimal_from_cents(price),
            "discount": U.decimal_from_cents(disc),
            "line_total": U.decimal_from_cents(line_total),
        })
        out.emit("receipts", self._receipt_dirty(t, subtotal, tax, off, local_us, card, c))
        del t
        out.emit("receipt_items", self._item_dirty(items, k, rids, price, c))

    def _receipt_dirty(self, t, subtotal, tax, off, local_us, card, c: int) -> D.Assembled:
        cfg = self.cfg
        N = t.num_rows
        drng = U.substream(self.seed, "receipts.dirty" if c == 0 else f"receipts.dirty.{c}")
        cnt = D.plan_counts(N, "receipts", drng)

        def new_ids(m):
            a = U.fixed_ids("RCP-", np.arange(self._next_rid, self._next_rid + m), 9)
            self._next_rid += m
            return a

        keyf = D.simple_keys("receipt_id")
        batches = [D.missing_required_batch("receipts", t, "receipt_id", drng, cnt["missing_required"],
                                            new_ids(cnt["missing_required"]))]
        m = cnt["unknown_enum"]
        rows = D.pick_rows(drng, N, m)
        bt = D.replace_col(t.take(pa.array(rows)), "receipt_id", new_ids(m))
        bt = D.replace_col(bt, "payment_method", [["CRYPTO", "CHEQUE", "BITCOIN", "IOU"][i % 4] for i in range(m)])
        bt = D.replace_col(bt, "card_number", pa.nulls(m, pa.string()))
        batches.append(D.DirtyBatch("unknown_enum", bt, keyf(bt)))
        m = cnt["invalid_amount"]
        rows = D.pick_rows(drng, N, m)
        bt = D.replace_col(t.take(pa.array(rows)), "receipt_id", new_ids(m))
        st, tx = subtotal[rows], tax[rows]
        tot = st + tx
        mode = np.arange(m) % 2
        tot = np.where(mode == 0, tot + drng.integers(100, 2000, m), tot)  # total does not add up
        tx2 = np.where(mode == 1, -tx - 1, tx)  # negative tax
        tot = np.where(mode == 1, st + tx2, tot)
        bt = D.replace_col(bt, "tax", U.decimal_from_cents(tx2))
        bt = D.replace_col(bt, "total", U.decimal_from_cents(tot))
        batches.append(D.DirtyBatch("invalid_amount", bt, keyf(bt)))
        m = cnt["future_timestamp"]
        rows = D.pick_rows(drng, N, m)
        bt = D.replace_col(t.take(pa.array(rows)), "receipt_id", new_ids(m))
        fut = cfg.extract_us + drng.integers(2 * DAY, 40 * DAY, m)
        bt = D.replace_col(bt, "transaction_at", U.iso_local_offset(fut, off[rows]))
        batches.append(D.DirtyBatch("future_timestamp", bt, keyf(bt)))
        m = cnt["orphan_fk"]
        rows = D.pick_rows(drng, N, m)
        bt = D.replace_col(t.take(pa.array(rows)), "receipt_id", new_ids(m))
        sv = bt.column("store_id").to_pylist()
        cv = bt.column("customer_id").to_pylist()
        for i in range(m):
            if i % 2 == 0:
                sv[i] = f"STR-{900 + int(drng.integers(0, 99)):03d}"
            else:
                cv[i] = f"CUS-{900000 + int(drng.integers(0, 99999)):06d}"
        bt = D.replace_col(D.replace_col(bt, "store_id", sv), "customer_id", cv)
        batches.append(D.DirtyBatch("orphan_fk", bt, keyf(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], keyf))
        self.pii.add("card", card)
        return D.assemble("receipts", t, batches, drng)

    def _item_dirty(self, items, k, rids, price, c: int) -> D.Assembled:
        n = items.num_rows
        N = len(k)
        drng = U.substream(self.seed, "receipt_items.dirty" if c == 0 else f"receipt_items.dirty.{c}")
        cnt = D.plan_counts(n, "receipt_items", drng)
        starts = np.concatenate([[0], np.cumsum(k)[:-1]])

        def keyf(t):
            return [f"{r}|{l}" for r, l in zip(t.column("receipt_id").to_pylist(), t.column("line_number").to_pylist())]

        # extra lines on distinct valid receipts: line_number = n_lines + 1
        total_new = cnt["missing_required"] + cnt["invalid_amount"] + cnt["orphan_fk"]
        recs = drng.choice(N, size=min(total_new, N), replace=False)
        if len(recs) < total_new:
            recs = np.concatenate([recs, drng.integers(0, N, total_new - len(recs))])
        pos = [0]

        def extra_lines(m):
            r = recs[pos[0]:pos[0] + m]
            pos[0] += m
            src = starts[r] + drng.integers(0, 1 << 30, m) % k[r]
            bt = items.take(pa.array(src))
            bt = D.replace_col(bt, "line_number", pa.array(k[r] + 1, pa.int64()))
            return bt, src

        batches = []
        m = cnt["missing_required"]
        bt, _ = extra_lines(m)
        batches.append(D.missing_required_batch("receipt_items", bt, ["receipt_id", "line_number"], drng, m, None,
                                                key_fn=keyf))
        # missing_required_batch picks rows from bt itself: make it take all m rows exactly once
        m = cnt["invalid_amount"]
        bt, src = extra_lines(m)
        q = bt.column("quantity").to_numpy()
        p = price[src]
        mode = np.arange(m) % 2
        q2 = np.where(mode == 0, -q, q)
        lt = np.where(mode == 0, q2 * p, q * p + drng.integers(100, 900, m))
        bt = D.replace_col(bt, "quantity", pa.array(q2, pa.int64()))
        bt = D.replace_col(bt, "discount", U.decimal_from_cents(np.zeros(m, dtype=np.int64)))
        bt = D.replace_col(bt, "line_total", U.decimal_from_cents(lt))
        batches.append(D.DirtyBatch("invalid_amount", bt, keyf(bt)))
        m = cnt["orphan_fk"]
        bt, _ = extra_lines(m)
        rv = bt.column("receipt_id").to_pylist()
        pv = bt.column("product_id").to_pylist()
        lv = bt.column("line_number").to_pylist()
        for i in range(m):
            if i % 2 == 0:
                rv[i] = f"RCP-{900000000 + int(drng.integers(0, 99999999)):09d}"
                lv[i] = 1
            else:
                pv[i] = f"PRD-{90000 + int(drng.integers(0, 9999)):05d}"
        bt = D.replace_col(D.replace_col(D.replace_col(bt, "receipt_id", rv), "product_id", pv), "line_number", lv)
        batches.append(D.DirtyBatch("orphan_fk", bt, keyf(bt)))
        batches.append(D.duplicate_batch(items, drng, cnt["duplicate_id"], keyf))
        return D.assemble("receipt_items", items, batches, drng)


def _day_chunks(per_day: np.ndarray, target: int) -> list[tuple[int, int]]:
    """Consecutive day ranges [d0, d1) holding about `target` rows each (at least one day)."""
    chunks, d0, acc = [], 0, 0
    for d, n in enumerate(per_day.tolist()):
        if acc and acc + n > target:
            chunks.append((d0, d))
            d0, acc = d, 0
        acc += n
    chunks.append((d0, len(per_day)))
    return chunks
