"""email.emails (CSV) and email labels."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dirty as D
from . import pools as P
from . import texts as T
from . import textgen as G
from . import util as U
from .config import Config
from .support import _break_email
from .util import DAY, HOUR, MIN, SEC

INTENT_W = [0.24, 0.14, 0.15, 0.1, 0.1, 0.12, 0.07, 0.08]
SENT_W = {"complaint": [0.75, 0.2, 0.05]}
SENT_W_DEFAULT = [0.3, 0.5, 0.2]
MAILBOXES = ["support@cxwarehouse.example", "help@cxwarehouse.example", "orders@cxwarehouse.example"]
EMAIL_CHUNK = 100_000  # emails generated and written at a time (whole days)
OFFSETS_MIN = [-180, -240, -300, 0, -360]


class Emails:
    def __init__(self, cfg: Config, pools: P.Pools, pii: P.PIIRegistry, support, retail):
        self.cfg, self.pools, self.pii, self.sup, self.ret = cfg, pools, pii, support, retail
        self.seed = cfg.seed

    def build(self, out) -> None:
        """All emails in received order, generated and appended to emails.csv a few days at a time."""
        from .catalog import BR_HOLIDAYS
        from .retail import _day_chunks
        from .support import HOUR_W_BUSINESS, _local_day_weights

        cfg = self.cfg
        total = cfg.sizes["emails"]
        dw = _local_day_weights(cfg, BR_HOLIDAYS, 1.0, 0.3, 0.15, 0.2)
        per_day = U.substream(self.seed, "emails.days").multinomial(total, dw / dw.sum())
        self._next_eid = total + 1  # ids of dirty extra emails follow the clean ones
        self.stores = [s for s in self.ret.stores_out.table.column("store_name").to_pylist() if s and s.strip()]
        id0 = 0
        for c, (d0, d1) in enumerate(_day_chunks(per_day, EMAIL_CHUNK)):
            rng = U.substream(self.seed, "emails" if c == 0 else f"emails.{c}")
            day = np.repeat(np.arange(d0, d1), per_day[d0:d1])
            N = len(day)
            if N == 0:
                continue
            hour = U.weighted_choice(rng, N, HOUR_W_BUSINESS)
            sec = rng.integers(0, 3600, N)
            local = cfg.start_us + day.astype(np.int64) * DAY + hour.astype(np.int64) * HOUR \
                + sec.astype(np.int64) * SEC
            utc = np.minimum(local + 4 * HOUR, cfg.extract_us - MIN)
            self._chunk(out, c, rng, utc, id0)
            id0 += N

    def _chunk(self, out, c: int, rng: np.random.Generator, utc: np.ndarray, id0: int) -> None:
        cfg = self.cfg
        N = len(utc)
        intent = U.weighted_choice(rng, N, INTENT_W)
        sw = np.array([SENT_W.get(i, SENT_W_DEFAULT) for i in T.INTENTS])[intent]
        sent = (rng.random(N)[:, None] > np.cumsum(sw, axis=1)).sum(axis=1).clip(0, 2)
        order = np.lexsort((np.arange(N), utc))
        utc, intent, sent = utc[order], intent[order], sent[order]
        off = np.array(OFFSETS_MIN)[U.weighted_choice(rng, N, [0.3, 0.3, 0.15, 0.15, 0.1])]
        received = U.iso_local_offset(utc, off)
        known = rng.random(N) < 0.5
        cust = rng.integers(0, self.sup.n_cust, N)
        f = U.take(self.pools.us_first, rng.integers(0, len(self.pools.us_first), N))
        l_ = U.take(self.pools.us_last, rng.integers(0, len(self.pools.us_last), N))
        anon = P.email_addresses(rng, f, l_, ["gmail.com", "yahoo.com", "outlook.com", "aol.com", "comcast.net", "verizon.net"])
        from_addr = U.choose(known, pc.take(self.sup.cust_email, pa.array(cust)), anon)
        first = U.choose(known, pc.take(self.sup.cust_first, pa.array(cust)), f)
        to_addr = U.take(MAILBOXES, U.weighted_choice(rng, N, [0.7, 0.15, 0.15]))
        s = G.slots(rng, N, self.pools, self.stores, first, pa.array([""] * N, pa.string()))
        stpl, sb, ss = G.grouped_templates(T.EMAIL_SUBJECT, T.INTENTS)
        subject = U.render(stpl, G.pick_grouped(rng, intent, sb, ss), s)
        subject = U.choose(rng.random(N) < 0.12, U.concat("Re: ", subject), subject)
        otpl, ob, os_ = G.grouped_templates(T.CUSTOMER_OPEN, T.INTENTS)
        ftpl, fb, fs = G.grouped_templates(T.CUSTOMER_FOLLOW, T.INTENTS)
        opening = U.render(otpl, G.pick_grouped(rng, intent, ob, os_), s)
        follow = U.render(ftpl, G.pick_grouped(rng, intent, fb, fs), s)
        follow = U.choose(rng.random(N) < 0.5, U.concat(" ", follow), pa.array([""] * N, pa.string()))
        clause = G.sentiment_clause(rng, sent)
        pii_s = G.pii_sentences(rng, N, 0.06, self.pools, self.pii)
        greet = U.take(T.EMAIL_GREETING, rng.integers(0, len(T.EMAIL_GREETING), N))
        sign = U.take(T.EMAIL_SIGNOFF, rng.integers(0, len(T.EMAIL_SIGNOFF), N))
        body = U.concat(greet, "\n\n", opening, follow, clause, pii_s, "\n\n", sign, "\n", first)
        ids = U.fixed_ids("EML-", id0 + np.arange(1, N + 1), 7)
        t = pa.table({
            "email_id": ids,
            "received_at": received,
            "from_address": from_addr,
            "to_address": to_addr,
            "subject": subject,
            "body": body,
        })
        out.label("email_labels.parquet", pa.table({
            "email_id": ids,
            "sentiment": U.take(T.SENTIMENTS, sent),
            "intent": U.take(T.INTENTS, intent),
        }))
        drng = U.substream(self.seed, "emails.dirty" if c == 0 else f"emails.dirty.{c}")
        cnt = D.plan_counts(N, "emails", drng)

        def new_ids(m):
            a = U.fixed_ids("EML-", np.arange(self._next_eid, self._next_eid + m), 7)
            self._next_eid += m
            return a

        keyf = D.simple_keys("email_id")
        batches = [D.missing_required_batch("emails", t, "email_id", drng, cnt["missing_required"],
                                            new_ids(cnt["missing_required"]))]
        m = cnt["invalid_email"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, N, m))), "email_id", new_ids(m))
        bt = D.replace_col(bt, "from_address", [_break_email(e, i) for i, e in enumerate(bt.column("from_address").to_pylist())])
        batches.append(D.DirtyBatch("invalid_email", bt, keyf(bt)))
        m = cnt["future_timestamp"]
        rows = D.pick_rows(drng, N, m)
        bt = D.replace_col(t.take(pa.array(rows)), "email_id", new_ids(m))
        fut = cfg.extract_us + drng.integers(2 * DAY, 30 * DAY, m)
        bt = D.replace_col(bt, "received_at", U.iso_local_offset(fut, off[rows]))
        batches.append(D.DirtyBatch("future_timestamp", bt, keyf(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], keyf))
        for b in [D.DirtyBatch("clean", t, [])] + batches:
            self.pii.add("email", b.table.column("from_address"))
        out.emit("emails", D.assemble("emails", t, batches, drng))
