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
CHAT_HOUR_W = np.array([1.0, 0.7, 0.4, 0.2, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.2, 3.3, 3.3, 3.2,
                        3.0, 2.8, 2.6, 2.5, 2.3, 1.9, 1.4])


def _jstr(arr: pa.Array) -> pa.Array:
    """JSON string literal or null."""
    esc = pc.replace_substring(pc.replace_substring(arr, "\\", "\\\\"), '"', '\\"')
    return pc.fill_null(U.concat('"', esc, '"'), "null")


def _jint(vals: np.ndarray, null_mask: np.ndarray | None = None) -> pa.Array:
    s = U.digits_str(vals, 13)
    if null_mask is not None and np.any(null_mask):
        s = U.choose(null_mask, pa.array(["null"] * len(vals), pa.string()), s)
    return s


class Chats:
    def __init__(self, cfg: Config, pools: P.Pools, pii: P.PIIRegistry, support, retail):
        self.cfg, self.pools, self.pii, self.sup, self.ret = cfg, pools, pii, support, retail
        self.seed = cfg.seed

    def build(self) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "chats")
        N = cfg.sizes["chats"]
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
        cid = U.set_null(pc.take(self.sup.cust_ids, pa.array(cust)), ~known)
        anon_first = U.take(self.pools.us_first, rng.integers(0, len(self.pools.us_first), N))
        anon_last = U.take(self.pools.us_last, rng.integers(0, len(self.pools.us_last), N))
        anon_email = P.email_addresses(rng, anon_first, anon_last, ["gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com"])
        cemail = U.choose(known, pc.take(self.sup.cust_email, pa.array(cust)), anon_email)
        cemail = U.set_null(cemail, ~known & (rng.random(N) < 0.35))
        cust_first = U.choose(known, pc.take(self.sup.cust_first, pa.array(cust)), anon_first)
        # text
        # slot values are per conversation (same order / product / store throughout a chat)
        cs = G.slots(rng, N, self.pools, [str(x) for x in self.ret.stores_out.table.column("store_name").to_pylist() if x and x.strip()],
                     cust_first, cust_first)
        conv_pa = pa.array(conv)
        s = {k: pc.take(v, conv_pa) for k, v in cs.items()}
        s["agent"] = pc.take(self.sup.agent_first, pa.array(msg_agent))
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
        body = U.render(tpl, idx, s)
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
        ids = U.fixed_ids("CHT-", np.arange(1, N + 1), 7)
        self.N = N
        # ---- JSON fragments
        msg_role = U.take(["customer", "agent", "bot"], role)
        agent_id = U.set_null(pc.take(self.sup.agent_ids, pa.array(msg_agent)), role != 1)
        cust_msg_id = pc.take(cid, pa.array(conv))
        sender_id = U.choose(role == 0, cust_msg_id, agent_id)
        sender_id = U.set_null(sender_id, role == 2)
        jtext = _jstr(text)
        v2m = v2[conv]
        f1 = U.concat('{"role": "', msg_role, '", "sent_at": "', U.iso_seconds(sent_at), 'Z", "text": ', jtext,
                      ', "agent_id": ', _jstr(agent_id), "}")
        f2 = U.concat('{"sender": {"role": "', msg_role, '", "id": ', _jstr(sender_id), '}, "ts": ',
                      _jint(sent_at // 1000), ', "body": ', jtext, "}")
        frag = U.choose(v2m, f2, f1)
        ch = U.take(CHANNELS, channel)
        ended_iso = U.set_null(U.concat(U.iso_seconds(ended), "Z"), open_conv)
        h1 = U.concat('{"schema_version": 1, "conversation_id": "', ids, '", "customer_id": ', _jstr(cid),
                      ', "customer_email": ', _jstr(cemail), ', "channel": "', ch, '", "started_at": "',
                      U.iso_seconds(start), 'Z", "ended_at": ', _jstr(ended_iso), ', "messages": [')
        locale = U.take(["en-US", "pt-BR", "es-US"], U.weighted_choice(rng, N, [0.75, 0.18, 0.07]))
        queue = U.take([QUEUES[i] for i in T.INTENTS], intent)
        csat_s = U.choose(has_csat, pa.array(np.char.mod("%d", csat).astype(object), pa.string()),
                          pa.array(["null"] * N, pa.string()))
        h2 = U.concat('{"schema_version": 2, "id": "', ids, '", "customer": {"id": ', _jstr(cid), ', "email": ',
                      _jstr(cemail), ', "locale": "', locale, '"}, "meta": {"channel": "', ch, '", "start_ts": ',
                      _jint(start // 1000), ', "end_ts": ', _jint(ended // 1000, open_conv), ', "queue": "', queue,
                      '", "csat": ', csat_s, '}, "transcript": [')
        head = U.choose(v2, h2, h1).to_pylist()
        frags = frag.to_pylist()
        lines = []
        for i in range(N):
            s0 = starts[i]
            lines.append(head[i] + ", ".join(frags[s0:s0 + nmsg[i]]) + "]}")
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
        self._dirty(lines, ids.to_pylist(), v2)

    def _dirty(self, lines: list[str], ids: list[str], v2: np.ndarray) -> None:
        N = len(lines)
        drng = U.substream(self.seed, "chats.dirty")
        cnt = D.plan_counts(N, "chats", drng)
        nid = [N + 1]
        extra: list[tuple[float, str, str | None, str]] = []  # (sort key, line, record_key, reason)

        def new_id() -> str:
            v = f"CHT-{nid[0]:07d}"
            nid[0] += 1
            return v

        def src_obj(i: int, new: str) -> dict:
            o = json.loads(lines[i])
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
            extra.append((k, lines[i], ids[i], "duplicate_id"))
        keys = np.concatenate([np.arange(N, dtype=np.float64), np.array([e[0] for e in extra])])
        order = np.argsort(keys, kind="stable")
        all_lines = lines + [e[1] for e in extra]
        self.lines = [all_lines[i] for i in order]
        inv = np.empty(len(order), dtype=np.int64)
        inv[order] = np.arange(len(order))
        self.truth_dirty = {
            "source_table": ["chats"] * len(extra),
            "record_key": [e[2] for e in extra],
            "row_number": inv[N:].tolist(),
            "reject_reason": [e[3] for e in extra],
        }
