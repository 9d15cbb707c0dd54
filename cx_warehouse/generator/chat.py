"""chat.chats (JSON Lines, schema v1 / v2) and chat truth labels."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dirty as D
from . import pools as P
from . import texts as T
from . import textgen as G
from . import util as U
from .config import Config
from .util import DAY, HOUR, MIN, SEC

INTENT_W = [0.22, 0.12, 0.14, 0.14, 0.14, 0.1, 0.06, 0.08]
CHANNELS = ["WEB", "APP", "WHATSAPP"]
QUEUES = {"order_tracking": "orders", "returns": "returns", "billing": "billing", "technical_issue": "tech",
          "product_question": "sales", "complaint": "care", "cancellation": "retention", "account": "accounts"}
# trajectories: (start sentiment, end sentiment); 0 negative, 1 neutral, 2 positive
TRAJ = [(1, 1), (0, 2), (0, 0), (1, 2), (1, 0), (2, 2)]
TRAJ_W_DEFAULT = [0.34, 0.18, 0.12, 0.2, 0.07, 0.09]
TRAJ_W_COMPLAINT = [0.05, 0.35, 0.45, 0.03, 0.1, 0.02]
CHAT_CHUNK = 50_000  # conversations generated and written at a time
CHAT_HOUR_W = np.array([1.0, 0.7, 0.4, 0.2, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.2, 3.3, 3.3, 3.2,
                        3.0, 2.8, 2.6, 2.5, 2.3, 1.9, 1.4])


def _jstr(arr: pa.Array) -> pa.Array:
    """JSON string literal or null."""
    if pc.any(pc.match_substring_regex(arr, r'["\\\x00-\x1f]')).as_py():  # rare: exact JSON escaping
        return pa.array(["null" if v is None else json.dumps(v, ensure_ascii=False) for v in arr.to_pylist()],
                        pa.string())
    return pc.fill_null(U.concat('"', arr, '"'), "null")


def _jint(vals: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    s = U.digits_str(vals, 13)
    if null_mask is not None and np.any(null_mask):
        s = U.choose(null_mask, pa.array(["null"] * len(vals), pa.string()), s)
    return s


class Chats:
    def __init__(self, cfg: Config, pools: P.Pools, pii: P.PIIRegistry, support, retail):
        self.cfg, self.pools, self.pii, self.sup, self.ret = cfg, pools, pii, support, retail
        self.seed = cfg.seed

    def build(self, out) -> None:
        """All conversations, generated and appended to chats.jsonl CHAT_CHUNK at a time."""
        total = self.cfg.sizes["chats"]
        self._next_cid = total + 1  # ids of dirty extra conversations follow the clean ones
        self.store_names = [str(x) for x in self.ret.stores_out.table.column("store_name").to_pylist()
                            if x and x.strip()]
        for c, a in enumerate(range(0, total, CHAT_CHUNK)):
            b = min(total, a + CHAT_CHUNK)
            self._build_chunk(c, a, b - a)
            offset = out.rows("chats")
            out.raw["chats"].rows += self.write(out.raw["chats"].f)
            out.truth_rows("chats", self.truth_dirty, offset)
            out.label("message_labels.parquet", self.truth_messages)
            out.label("conversation_labels.parquet", self.truth_conversations)
            self.bufs = self.offs = self.truth_messages = self.truth_conversations = None

    def _build_chunk(self, c: int, id0: int, N: int) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "chats" if c == 0 else f"chats.{c}")
        self._chunk = c
        intent = U.weighted_choice(rng, N, INTENT_W)
        tw = np.where((intent == 5)[:, None], np.array(TRAJ_W_COMPLAINT)[None, :], np.array(TRAJ_W_DEFAULT)[None, :])
        traj = (rng.random(N)[:, None] > np.cumsum(tw, axis=1) / tw.sum(axis=1, keepdims=True)).sum(axis=1)
        traj = np.minimum(traj, len(TRAJ) - 1)
        t_start = np.array([TRAJ[t][0] for t in range(len(TRAJ))])[traj]
        t_end = np.array([TRAJ[t][1] for t in range(len(TRAJ))])[traj]
        # start time: daily pattern in US Eastern-ish local time
        from .support import _local_day_weights
        from .catalog import US_CLOSED_DAYS
        dw = _local_day_weights(cfg, US_CLOSED_DAYS, 1.0, 0.8, 0.7, 0.5)
        day = U.weighted_choice(rng, N, dw)
        hour = U.weighted_choice(rng, N, CHAT_HOUR_W)
        start = cfg.start_us + day.astype(np.int64) * DAY + hour.astype(np.int64) * HOUR \
            + rng.integers(0, 3600, N).astype(np.int64) * SEC + 5 * HOUR
        nmsg = 2 + rng.binomial(18, 0.45, N)
        M = int(nmsg.sum())
        conv = np.repeat(np.arange(N), nmsg)
        starts = np.concatenate([[0], np.cumsum(nmsg)[:-1]])
        pos = np.arange(M) - starts[conv]
        bot_first = rng.random(N) < 0.5
        p = pos - bot_first[conv]
        role = np.where(p % 2 == 0, 0, 1)  # 0 customer, 1 agent, 2 bot
        dbl = (p >= 2) & (rng.random(M) < 0.1)
        role = np.where(dbl, 0, role)
        role = np.where(p < 0, 2, role)
        handoff = bot_first[conv] & (p == 1) & (rng.random(M) < 0.3)
        role = np.where(handoff, 2, role)
        gap = np.where(role == 2, rng.integers(1, 4, M) * SEC,
                       np.where(role == 0, rng.integers(15, 240, M) * SEC, rng.integers(20, 360, M) * SEC))
        gap[starts] = 0
        off = np.cumsum(gap)
        off = off - off[starts][conv]
        dur = off[starts + nmsg - 1]
        open_conv = rng.random(N) < 0.03
        end_gap = rng.integers(20, 300, N) * SEC
        latest = cfg.extract_us - dur - end_gap - MIN
        start = np.minimum(start, latest)
        sent_at = start[conv] + off
        ended = start + dur + end_gap
        # customer sentiment along the conversation
        is_c = role == 0
        c_ord = np.cumsum(is_c) - 1
        c_before = np.concatenate([[0], np.cumsum(is_c)])[starts]  # customer msgs before conv start
        c_idx = c_ord - c_before[conv]
        n_c = np.bincount(conv, weights=is_c, minlength=N).astype(np.int64)
        frac = np.where(n_c[conv] > 1, c_idx / np.maximum(n_c[conv] - 1, 1), 0.0)
        c_sent = np.where(frac < 0.5, t_start[conv], t_end[conv])
        c_sent = np.where(rng.random(M) < 0.12, 1, c_sent)
        # agents: one per conversation, second agent on 8% after transfer
        active = np.nonzero(self.sup.agent_status != 1)[0]
        ag1 = active[rng.integers(0, len(active), N)]
        ag2 = active[rng.integers(0, len(active), N)]
        transfer = rng.random(N) < 0.08
        a_ord = np.cumsum(role == 1) - 1
        a_before = np.concatenate([[0], np.cumsum(role == 1)])[starts]
        a_idx = a_ord - a_before[conv]
        msg_agent = np.where(transfer[conv] & (a_idx >= 2), ag2[conv], ag1[conv])
        # customers: 60% known support customers, else anonymous (email maybe)
        known = rng.random(N) < 0.6
        cust = rng.integers(0, self.sup.n_cust, N)
        known &= self.sup.cust_created[cust] < start  # no chat before the customer existed
        cid = U.set_null(pc.take(self.sup.cust_ids, pa.array(cust)), ~known)
        anon_first = U.take(self.pools.us_first, rng.integers(0, len(self.pools.us_first), N))
        anon_last = U.take(self.pools.us_last, rng.integers(0, len(self.pools.us_last), N))
        anon_email = P.email_addresses(rng, anon_first, anon_last, ["gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com"])
        cemail = U.choose(known, pc.take(self.sup.cust_email, pa.array(cust)), anon_email)
        cemail = U.set_null(cemail, ~known & (rng.random(N) < 0.35))
        cust_first = U.choose(known, pc.take(self.sup.cust_first, pa.array(cust)), anon_first)
        # text
        # slot values are per conversation (same order / product / store throughout a chat)
        cs = G.slots(rng, N, self.pools, self.store_names, cust_first, cust_first)
        # slot values are per conversation except the agent's name (per message)
        s = dict(cs)
        s["agent"] = pc.take(self.sup.agent_first, pa.array(msg_agent))
        slot_index = {k: conv for k in cs if k != "agent"}
        first_c = is_c & (c_idx == 0)
        first_a = (role == 1) & (a_idx == 0)
        mi = intent[conv]
        open_tpl, ob, os_ = G.grouped_templates(T.CUSTOMER_OPEN, T.INTENTS)
        fol_tpl, fb, fs = G.grouped_templates(T.CUSTOMER_FOLLOW, T.INTENTS)
        rep_tpl, rb, rs = G.grouped_templates(T.AGENT_REPLY, T.INTENTS)
        tpl = open_tpl + fol_tpl + T.AGENT_FIRST + rep_tpl + T.BOT_LINES
        o1 = len(open_tpl)
        o2 = o1 + len(fol_tpl)
        o3 = o2 + len(T.AGENT_FIRST)
        o4 = o3 + len(rep_tpl)
        idx = np.where(first_c, G.pick_grouped(rng, mi, ob, os_),
                       np.where(is_c, o1 + G.pick_grouped(rng, mi, fb, fs),
                                np.where(first_a, o2 + rng.integers(0, len(T.AGENT_FIRST), M),
                                         np.where(role == 1, o3 + G.pick_grouped(rng, mi, rb, rs),
                                                  o4 + np.where(p < 0, 0, 1 + rng.integers(0, len(T.BOT_LINES) - 1, M))))))
        body = U.render(tpl, idx, s, slot_index=slot_index)
        sclause = G.sentiment_clause(rng, c_sent)
        pii_s = G.pii_sentences(rng, M, 0.05, self.pools, self.pii, eligible=is_c)
        court = rng.integers(0, len(T.AGENT_COURTESY), M)
        court = np.where(first_a, 0, court)
        court_s = U.render([(" " + c if c else "") for c in T.AGENT_COURTESY], court, {})
        text = U.choose(is_c, U.concat(body, sclause, pii_s), U.choose(role == 1, U.concat(body, court_s), body))
        m_sent = np.where(is_c, c_sent, np.where((role == 1) & (court >= 3), 2, 1))
        # conversation-level labels
        score = np.bincount(conv, weights=np.where(is_c, c_sent - 1, 0), minlength=N) / np.maximum(n_c, 1)
        conv_sent = np.where(score > 0.25, 2, np.where(score < -0.25, 0, 1))
        v2 = rng.random(N) < np.clip(0.1 + 0.8 * (start - cfg.start_us) / (cfg.extract_us - cfg.start_us), 0, 1)
        channel = U.weighted_choice(rng, N, [0.45, 0.3, 0.25])
        csat = np.clip(np.round(3 + (t_end - 1) * 1.4 + rng.normal(0, 0.6, N)), 1, 5).astype(np.int64)
        has_csat = rng.random(N) < 0.4
        ids = U.fixed_ids("CHT-", id0 + np.arange(1, N + 1), 7)
        self.N = N
        # ---- JSON fragments (built per schema version on the subset of rows that need them)
        msg_role = U.take(["customer", "agent", "bot"], role)
        agent_id = U.set_null(pc.take(self.sup.agent_ids, pa.array(msg_agent)), role != 1)
        cust_msg_id = pc.take(cid, pa.array(conv))
        sender_id = U.choose(role == 0, cust_msg_id, agent_id)
        sender_id = U.set_null(sender_id, role == 2)
        jtext = _jstr(text)
        ch = U.take(CHANNELS, channel)
        locale = U.take(["en-US", "pt-BR", "es-US"], U.weighted_choice(rng, N, [0.75, 0.18, 0.07]))
        queue = U.take([QUEUES[i] for i in T.INTENTS], intent)
        csat_s = U.choose(has_csat, pa.array(np.char.mod("%d", csat).astype(object), pa.string()),
                          pa.repeat(pa.scalar("null", pa.string()), N))

        def sub(arr, idx):
            return pc.take(arr, pa.array(idx))

        # Each schema version is rendered separately: one piece per message = [conversation head] +
        # message + (", " | "]}\n"). The concatenation of a version's pieces holds all its lines, so the
        # file is later written straight from the two Arrow buffers.
        self.ver_of = v2.astype(np.int64)
        self.rank_of = np.zeros(N, dtype=np.int64)
        self.bufs, self.offs = [], []
        for ver in (0, 1):
            cidx = np.nonzero(v2 == bool(ver))[0]
            self.rank_of[cidx] = np.arange(len(cidx))
            midx = np.nonzero(v2[conv] == bool(ver))[0]
            if ver == 0:
                ended_iso = U.iso_utc_z(ended[cidx], open_conv[cidx])
                head = U.concat('{"schema_version": 1, "conversation_id": "', sub(ids, cidx), '", "customer_id": ',
                                _jstr(sub(cid, cidx)), ', "customer_email": ', _jstr(sub(cemail, cidx)),
                                ', "channel": "', sub(ch, cidx), '", "started_at": "', U.iso_utc_z(start[cidx]),
                                '", "ended_at": ', _jstr(ended_iso), ', "messages": [')
                frag = U.concat('{"role": "', sub(msg_role, midx), '", "sent_at": "', U.iso_utc_z(sent_at[midx]),
                                '", "text": ', sub(jtext, midx), ', "agent_id": ', _jstr(sub(agent_id, midx)), "}")
            else:
                head = U.concat('{"schema_version": 2, "id": "', sub(ids, cidx), '", "customer": {"id": ',
                                _jstr(sub(cid, cidx)), ', "email": ', _jstr(sub(cemail, cidx)), ', "locale": "',
                                sub(locale, cidx), '"}, "meta": {"channel": "', sub(ch, cidx), '", "start_ts": ',
                                _jint(start[cidx] // 1000), ', "end_ts": ', _jint(ended[cidx] // 1000, open_conv[cidx]),
                                ', "queue": "', sub(queue, cidx), '", "csat": ', sub(csat_s, cidx),
                                '}, "transcript": [')
                frag = U.concat('{"sender": {"role": "', sub(msg_role, midx), '", "id": ', _jstr(sub(sender_id, midx)),
                                '}, "ts": ', _jint(sent_at[midx] // 1000), ', "body": ', sub(jtext, midx), "}")
            nm = nmsg[cidx]
            lstarts = np.concatenate([[0], np.cumsum(nm)[:-1]]).astype(np.int64)
            mcount = len(midx)
            first = np.zeros(mcount, dtype=bool)
            last = np.zeros(mcount, dtype=bool)
            if mcount:
                first[lstarts] = True
                last[lstarts + nm - 1] = True
            local_conv = np.repeat(np.arange(len(cidx)), nm)
            head_m = pc.take(pa.concat_arrays([head, pa.array([""], pa.string())]),
                             pa.array(np.where(first, local_conv, len(cidx))))
            sep = U.take([", ", "]}\n"], last.astype(np.int64))
            L = pa.large_string()
            pieces = pc.binary_join_element_wise(head_m.cast(L), frag.cast(L), sep.cast(L), pa.scalar("", L))
            if mcount:
                offs = np.frombuffer(pieces.buffers()[1], dtype=np.int64)[pieces.offset:pieces.offset + mcount + 1]
                self.bufs.append(pieces.buffers()[2])
                self.offs.append(offs[np.append(lstarts, mcount)].astype(np.int64))
            else:
                self.bufs.append(pa.py_buffer(b""))
                self.offs.append(np.zeros(1, dtype=np.int64))
        self.pii.add("email", cemail)
        # ---- truth
        self.truth_messages = pa.table({
            "conversation_id": pc.take(ids, pa.array(conv)),
            "message_index": pa.array(pos, pa.int64()),
            "sentiment": U.take(T.SENTIMENTS, m_sent),
            "intent": U.take(T.INTENTS, mi),
        })
        self.truth_conversations = pa.table({
            "conversation_id": ids,
            "sentiment": U.take(T.SENTIMENTS, conv_sent),
            "intent": U.take(T.INTENTS, intent),
            "is_technical_issue": pa.array(intent == T.INTENTS.index("technical_issue")),
        })
        self._dirty(ids.to_pylist())

    def _span(self, i: int):
        v, r = int(self.ver_of[i]), int(self.rank_of[i])
        return self.bufs[v], int(self.offs[v][r]), int(self.offs[v][r + 1])

    def line(self, i: int) -> str:
        """Clean JSONL line i (without the newline)."""
        buf, a, b = self._span(i)
        return buf[a:b - 1].to_pybytes().decode("utf-8")

    def _dirty(self, ids: list[str]) -> None:
        N = len(ids)
        c = self._chunk
        drng = U.substream(self.seed, "chats.dirty" if c == 0 else f"chats.dirty.{c}")
        cnt = D.plan_counts(N, "chats", drng)
        extra: list[tuple[float, str, str | None, str]] = []  # (sort key, line, record_key, reason)

        def new_id() -> str:
            v = f"CHT-{self._next_cid:07d}"
            self._next_cid += 1
            return v

        def src_obj(i: int, new: str) -> dict:
            o = json.loads(self.line(i))
            if o["schema_version"] == 1:
                o["conversation_id"] = new
            else:
                o["id"] = new
            return o

        def dump(o) -> str:
            return json.dumps(o, ensure_ascii=False)

        def key_pos() -> float:
            return float(drng.integers(-1, N)) + 0.5

        for _ in range(cnt["broken_json"]):
            i = int(drng.integers(0, N))
            full = dump(src_obj(i, new_id()))
            cut = int(len(full) * (0.2 + 0.7 * drng.random()))
            extra.append((key_pos(), full[:cut], None, "broken_json"))
        for j in range(cnt["unknown_schema"]):
            i = int(drng.integers(0, N))
            nw = new_id()
            o = src_obj(i, nw)
            if j % 2 == 0:
                o["schema_version"] = 3
            else:
                del o["schema_version"]
            extra.append((key_pos(), dump(o), nw, "unknown_schema"))
        for j in range(cnt["missing_required"]):
            i = int(drng.integers(0, N))
            nw = new_id()
            o = src_obj(i, nw)
            if o["schema_version"] == 1:
                if j % 2 == 0:
                    o["messages"] = []
                else:
                    del o["channel"]
            else:
                if j % 2 == 0:
                    o["transcript"] = []
                else:
                    del o["meta"]["channel"]
            extra.append((key_pos(), dump(o), nw, "missing_required"))
        dups = D.pick_rows(drng, N, cnt["duplicate_id"])
        for i in dups:
            k = float(i + int(np.floor(drng.random() * (N - i)))) + 0.5
            extra.append((k, self.line(int(i)), ids[i], "duplicate_id"))
        dk = np.array([e[0] for e in extra])
        dorder = np.argsort(dk, kind="stable")
        ins = np.floor(dk[dorder]).astype(np.int64) + 1
        self.extra_sorted = [(int(ins[j]), extra[d][1]) for j, d in enumerate(dorder)]
        pos = np.empty(len(extra), dtype=np.int64)
        pos[dorder] = ins + np.arange(len(extra))
        self.n_lines = N + len(extra)
        self.truth_dirty = {
            "source_table": ["chats"] * len(extra),
            "record_key": [e[2] for e in extra],
            "row_number": pos.tolist(),
            "reject_reason": [e[3] for e in extra],
        }

    def write(self, f) -> int:
        """Append this chunk's lines (clean and dirty, in file order) to an open file; returns lines."""
        N = len(self.ver_of)
        mvs = [memoryview(b) for b in self.bufs]
        offs = self.offs
        ver, rank = self.ver_of.tolist(), self.rank_of.tolist()
        extra = self.extra_sorted
        ne = len(extra)
        j = 0
        w = f.write
        # runs of consecutive conversations of one version are contiguous in that version's buffer
        i = 0
        while i <= N:
            while j < ne and extra[j][0] == i:
                w(extra[j][1].encode("utf-8") + b"\n")
                j += 1
            if i == N:
                break
            v = ver[i]
            k = i + 1
            nxt = extra[j][0] if j < ne else N + 1
            while k < N and ver[k] == v and k < nxt:
                k += 1
            o = offs[v]
            w(mvs[v][o[rank[i]]:o[rank[k - 1] + 1]])
            i = k
        return self.n_lines


def _interleave(a: pa.Array, b: pa.Array, ia: np.ndarray, ib: np.ndarray) -> pa.Array:
    """Arrays built for row subsets ia / ib -> one array in original row order."""
    perm = np.concatenate([ia, ib])
    inv = np.empty(len(perm), dtype=np.int64)
    inv[perm] = np.arange(len(perm))
    return pc.take(pa.concat_arrays([a, b]), pa.array(inv))
