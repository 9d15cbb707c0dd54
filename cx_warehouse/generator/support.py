"""support.* tables: companies, customers, agents, tickets, ticket_interactions."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dirty as D
from . import pools as P
from . import texts as T
from . import util as U
from .catalog import BR_HOLIDAYS
from .config import EPOCH, Config
from .schedules import build_clocks, sla_targets
from .util import DAY, HOUR, MIN, SEC

SEGMENTS = ["RETAIL", "FOOD_SERVICE", "SERVICES", "HEALTHCARE", "EDUCATION", "TECHNOLOGY", "HOSPITALITY"]
SEGMENT_W = [0.28, 0.22, 0.15, 0.1, 0.07, 0.1, 0.08]
SEGMENT_WORD = {"RETAIL": ["Comércio", "Mercado", "Loja", "Distribuidora"],
                "FOOD_SERVICE": ["Restaurante", "Padaria", "Lanchonete", "Alimentos"],
                "SERVICES": ["Serviços", "Consultoria", "Manutenção"],
                "HEALTHCARE": ["Farmácia", "Clínica", "Laboratório"],
                "EDUCATION": ["Escola", "Colégio", "Cursos"],
                "TECHNOLOGY": ["Tecnologia", "Sistemas", "Software"],
                "HOSPITALITY": ["Hotel", "Pousada", "Turismo"]}
LEGAL_SUFFIX = [" Ltda", " Ltda.", " S.A.", " ME", " EIRELI", " & Cia", " Ltda"]
SIZES = ["MICRO", "SMALL", "MEDIUM", "LARGE", "ENTERPRISE"]
SIZE_W = [0.3, 0.32, 0.22, 0.11, 0.05]
SIZE_FACTOR = np.array([0.5, 0.8, 1.3, 2.2, 3.5])
SIZE_VOLUME = np.array([25_000, 90_000, 350_000, 1_400_000, 6_000_000])
REGIONS = ["NORTH", "NORTHEAST", "MIDWEST", "SOUTHEAST", "SOUTH"]
REGION_W = [0.08, 0.22, 0.1, 0.42, 0.18]
COMPANY_STATUS = ["ACTIVE", "INACTIVE", "SUSPENDED"]
ROLES = ["OWNER", "MANAGER", "FINANCE", "OPERATOR", "IT"]
ROLE_W = [0.2, 0.3, 0.2, 0.2, 0.1]
#: Share of support customers whose record has a street address (with city and postal code) and
#: a birth date: a ticketing system asks for them at sign-up, not everyone fills them in.
ADDRESS_FILL = 0.7
BIRTH_DATE_FILL = 0.85
TEAMS = ["TIER1", "TIER2", "SPECIALIST"]
TEAM_W = [0.6, 0.3, 0.1]
AGENT_STATUS = ["ACTIVE", "INACTIVE", "ON_LEAVE"]
SCHEDULES = {"TIER1": ["BH_STANDARD", "BH_EXTENDED"], "TIER2": ["BH_STANDARD"], "SPECIALIST": ["BH_STANDARD", "BH_24X7"]}
TICKET_STATUS = ["OPEN", "IN_PROGRESS", "PENDING_CUSTOMER", "RESOLVED", "CLOSED", "CANCELLED"]
PRIORITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"]
PRIORITY_CUM = np.array([0.05, 0.25, 0.70, 1.0])
CATEGORIES = ["TECHNICAL", "FINANCIAL", "COMMERCIAL", "COMPLAINT", "INFORMATION"]
CATEGORY_W = np.array([0.35, 0.25, 0.1, 0.12, 0.18])
CHANNELS = ["EMAIL", "PHONE", "CHAT", "WHATSAPP", "PORTAL"]
CHANNEL_W = [0.25, 0.2, 0.2, 0.2, 0.15]
AUTHOR_TYPES = ["CUSTOMER", "AGENT", "SYSTEM"]
INTERACTION_TYPES = ["CREATED", "REPLY", "NOTE", "STATUS_CHANGE", "ASSIGNMENT", "PRIORITY_CHANGE"]

BRT = -3 * HOUR  # America/Sao_Paulo, no DST since 2019
# Work times as a share of the SLA target: log-normal, median exp(MU) of the target. With agent
# pace this puts about 4 % of first responses and 5 % of resolutions past target in normal weeks.
FRT_MU, FRT_SIGMA = -1.4, 0.55
RES_MU, RES_SIGMA = -1.5, 0.6
TICKET_CHUNK = 50_000  # tickets simulated and written at a time
SLA_BAD_WEEK_EVERY = 9  # about one degraded week in nine
SLA_BAD_WEEK_SLOWDOWN = 2.8  # work takes this many times longer in a degraded week
FRT_SLA_MIN = np.array([60.0, 240.0, 720.0, 1440.0])
RES_SLA_H = np.array([8.0, 36.0, 96.0, 168.0])


def _local_day_weights(cfg: Config, holidays: set[str], weekday_w, sat_w, sun_w, hol_w) -> np.ndarray:
    w = np.empty(cfg.n_days)
    for i in range(cfg.n_days):
        d = cfg.window_start + dt.timedelta(days=i)
        wd = d.weekday()
        w[i] = weekday_w if wd < 5 else (sat_w if wd == 5 else sun_w)
        if d.strftime("%m-%d") in holidays:
            w[i] = hol_w
    return w


HOUR_W_BUSINESS = np.array([0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.5, 1.2, 2.8, 4.5, 5.0, 4.8, 3.6, 4.2, 4.8,
                            4.6, 4.2, 3.6, 2.4, 1.4, 1.0, 0.7, 0.45, 0.25])


def sample_business_times(rng: np.random.Generator, cfg: Config, n: int, offset_us: int) -> np.ndarray:
    """UTC microseconds with weekday/business-hour peaks in a local zone of fixed offset."""
    dw = _local_day_weights(cfg, BR_HOLIDAYS, 1.0, 0.3, 0.15, 0.2)
    day = U.weighted_choice(rng, n, dw)
    hour = U.weighted_choice(rng, n, HOUR_W_BUSINESS)
    sec = rng.integers(0, 3600, n)
    local = cfg.start_us + day.astype(np.int64) * DAY + hour.astype(np.int64) * HOUR + sec.astype(np.int64) * SEC
    return local - offset_us


class Support:
    def __init__(self, cfg: Config, pools: P.Pools, pii: P.PIIRegistry):
        self.cfg = cfg
        self.pools = pools
        self.pii = pii
        self.seed = cfg.seed

    # ------------------------------------------------------------------ companies
    def companies(self) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "companies")
        n = cfg.sizes["companies"]
        self.n_comp = n
        risk = rng.beta(2.0, 5.0, n)
        seg = U.weighted_choice(rng, n, SEGMENT_W)
        size = U.weighted_choice(rng, n, SIZE_W)
        core = rng.integers(0, len(self.pools.br_company_core), n)
        names = []
        for i in range(n):
            s = SEGMENTS[seg[i]]
            words = SEGMENT_WORD[s]
            w = words[int(rng.integers(0, len(words)))]
            c = self.pools.br_company_core[core[i]]
            suffix = LEGAL_SUFFIX[int(rng.integers(0, len(LEGAL_SUFFIX)))]
            names.append(f"{w} {c}{suffix}" if rng.random() < 0.6 else f"{c} {w}{suffix}")
        cnpj = P.cnpj(rng, n)
        # contract start: 85% before the window, 15% during its first two thirds
        before = rng.random(n) < 0.85
        start_lo = (np.datetime64("2017-01-01") - np.datetime64("1970-01-01")).astype(int)
        cs = np.where(before, rng.integers(start_lo, cfg.start_day - 1, n),
                      cfg.start_day + rng.integers(0, max(1, int(cfg.n_days * 0.66)), n))
        vol = SIZE_VOLUME[size] * np.exp(rng.normal(0, 0.4, n)) * (1.35 - 1.1 * risk)
        st_u = rng.random(n)
        status = np.where(st_u < 0.02 + 0.12 * risk, 2, np.where(st_u < 0.05 + 0.25 * risk, 1, 0))
        crm = np.clip(risk + rng.normal(0, 0.12, n), 0, 1).round(3)
        region = U.weighted_choice(rng, n, REGION_W)
        churn_p = 1 / (1 + np.exp(-9.0 * (risk - 0.5)))
        churned = rng.random(n) < churn_p
        churned_at = np.where(churned, (cfg.end_date - EPOCH).days + rng.integers(1, 91, n), 0)

        self.comp_risk = risk
        self.comp_size = size
        self.comp_start_day = cs
        self.comp_names = names
        ids = U.fixed_ids("CMP-", np.arange(1, n + 1), 6)
        self.comp_ids = ids
        self.pii.add("cnpj", cnpj)
        t = pa.table({
            "company_id": ids,
            "company_name": pa.array(names, pa.string()),
            "cnpj": cnpj,
            "segment": U.take(SEGMENTS, seg),
            "company_size": U.take(SIZES, size),
            "contract_start_date": U.date_array(cs),
            "monthly_transaction_volume": U.decimal_from_cents(np.round(vol * 100).astype(np.int64), 14),
            "status": U.take(COMPANY_STATUS, status),
            "churn_risk_score": pa.array(crm, pa.float64()),
            "region": U.take(REGIONS, region),
        })
        self.truth_churn = pa.table({
            "company_id": ids,
            "latent_risk": pa.array(risk.round(4), pa.float64()),
            "churned_in_next_90_days": pa.array(churned),
            "churned_at": U.date_array(churned_at, ~churned),
        })
        # dirty
        drng = U.substream(self.seed, "companies.dirty")
        cnt = D.plan_counts(n, "companies", drng)
        next_id = [n + 1]

        def new_ids(m):
            a = U.fixed_ids("CMP-", np.arange(next_id[0], next_id[0] + m), 6)
            next_id[0] += m
            return a

        batches = [D.missing_required_batch("companies", t, "company_id", drng, cnt["missing_required"],
                                            new_ids(cnt["missing_required"]))]
        m = cnt["unknown_enum"]
        rows = D.pick_rows(drng, n, m)
        bt = D.replace_col(t.take(pa.array(rows)), "company_id", new_ids(m))
        bad_seg = ["AGRICULTURE", "GOVERNMENT", "MINING"]
        bad_status = ["PENDING", "CHURNED", "TRIAL"]
        segv = bt.column("segment").to_pylist()
        stv = bt.column("status").to_pylist()
        for i in range(m):
            if i % 2 == 0:
                segv[i] = bad_seg[int(drng.integers(0, 3))]
            else:
                stv[i] = bad_status[int(drng.integers(0, 3))]
        bt = D.replace_col(D.replace_col(bt, "segment", segv), "status", stv)
        batches.append(D.DirtyBatch("unknown_enum", bt, D.simple_keys("company_id")(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], D.simple_keys("company_id")))
        self.pii.add("cnpj", pa.concat_arrays([b.table.column("cnpj").combine_chunks() for b in batches]))
        self.companies_out = D.assemble("companies", t, batches, drng)

    # ------------------------------------------------------------------ customers
    def customers(self) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "customers")
        n = cfg.sizes["customers"]
        nc = self.n_comp
        w = SIZE_FACTOR[self.comp_size]
        comp = np.concatenate([rng.permutation(nc), U.weighted_choice(rng, max(0, n - nc), w)])[:n]
        first_i = rng.integers(0, len(self.pools.br_first), n)
        last_i = rng.integers(0, len(self.pools.br_last), n)
        last2_i = rng.integers(0, len(self.pools.br_last), n)
        two = rng.random(n) < 0.35
        first = U.take(self.pools.br_first, first_i)
        last = U.take(self.pools.br_last, last_i)
        last2 = U.take(self.pools.br_last, last2_i)
        full_last = U.choose(two, U.concat(last2, " ", last), last)
        name = U.concat(first, " ", full_last)
        # e-mail domains: free mail or the company's own domain
        free = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br", "bol.com.br", "terra.com.br"]
        comp_dom = P.ascii_slug(pa.array([self.comp_names[c].split(" ")[1] if " " in self.comp_names[c] else self.comp_names[c]
                                          for c in range(nc)], pa.string()))
        comp_dom = U.concat(comp_dom, ".com.br")
        work = rng.random(n) < 0.4
        dom = U.choose(work, U.take(comp_dom, comp), U.take(free, rng.integers(0, len(free), n)))
        email = self._emails(rng, first, last, dom)
        cpf = P.cpf(rng, n)
        phone, phone_digits, _ = P.br_phone(rng, n)
        birth = rng.integers((np.datetime64("1958-01-01") - np.datetime64("1970-01-01")).astype(int),
                             (np.datetime64("2004-12-31") - np.datetime64("1970-01-01")).astype(int), n)
        role = U.weighted_choice(rng, n, ROLE_W)
        cs = self.comp_start_day[comp]
        created_day = np.minimum(cs + rng.integers(0, 60, n), cfg.start_day + cfg.n_days - 3)
        created = created_day.astype(np.int64) * DAY + rng.integers(9 * HOUR, 21 * HOUR, n)
        order = np.lexsort((np.arange(n), created))
        comp, created = comp[order], created[order]
        first, last, name, email, cpf, phone = (pc.take(a, pa.array(order)) for a in (first, last, name, email, cpf, phone))
        birth, role = birth[order], role[order]
        self.phone_digits = phone_digits[order]
        ids = U.fixed_ids("CUS-", np.arange(1, n + 1), 6)
        self.n_cust = n
        self.cust_ids = ids
        self.cust_comp = comp
        self.cust_created = created
        self.cust_first = first
        self.cust_last = last
        self.cust_name = name
        self.cust_email = email
        self.cust_phone = phone
        # Address and birth date at the fill rates of a ticketing system (its own substream,
        # so the other columns do not change): street address with city and postal code for
        # ADDRESS_FILL of the customers, a birth date for BIRTH_DATE_FILL.
        arng = U.substream(self.seed, "customers.address")
        has_address = arng.random(n) < ADDRESS_FILL
        city_state = self.pools.br_city_state
        city_i = arng.integers(0, len(city_state), n)
        street_i = arng.integers(0, len(self.pools.br_street), n)
        house = arng.integers(1, 3000, n)
        postal = arng.integers(1000000, 99999999, n)
        self.cust_address = [f"{self.pools.br_street[int(s_)]}, {int(h)}" if a else None
                             for s_, h, a in zip(street_i, house, has_address)]
        self.cust_city = [city_state[int(c)][0] if a else None for c, a in zip(city_i, has_address)]
        self.cust_postal = [f"{int(p_):08d}"[:5] + "-" + f"{int(p_):08d}"[5:] if a else None
                            for p_, a in zip(postal, has_address)]
        no_birth = arng.random(n) >= BIRTH_DATE_FILL
        self.cust_birth_days = birth
        self.cust_has_birth = ~no_birth
        self.cust_cpf = cpf
        t = pa.table({
            "customer_id": ids,
            "company_id": pc.take(self.comp_ids, pa.array(comp)),
            "customer_name": name,
            "email": email,
            "cpf": cpf,
            "birth_date": U.date_array(birth, no_birth),
            "address_line1": pa.array(self.cust_address, pa.string()),
            "city": pa.array(self.cust_city, pa.string()),
            "postal_code": pa.array(self.cust_postal, pa.string()),
            "phone": phone,
            "role": U.take(ROLES, role),
            "created_at": U.ts_array(created),
        })
        drng = U.substream(self.seed, "customers.dirty")
        cnt = D.plan_counts(n, "customers", drng)
        nid = [n + 1]

        def new_ids(m):
            a = U.fixed_ids("CUS-", np.arange(nid[0], nid[0] + m), 6)
            nid[0] += m
            return a

        keyf = D.simple_keys("customer_id")
        batches = [D.missing_required_batch("customers", t, "customer_id", drng, cnt["missing_required"],
                                            new_ids(cnt["missing_required"]))]
        m = cnt["invalid_email"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "customer_id", new_ids(m))
        ev = bt.column("email").to_pylist()
        ev = [_break_email(e, i) for i, e in enumerate(ev)]
        bt = D.replace_col(bt, "email", ev)
        batches.append(D.DirtyBatch("invalid_email", bt, keyf(bt)))
        m = cnt["future_timestamp"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "customer_id", new_ids(m))
        fut = cfg.extract_us + drng.integers(1 * DAY, 60 * DAY, m)
        bt = D.replace_col(bt, "created_at", U.ts_array(fut))
        batches.append(D.DirtyBatch("future_timestamp", bt, keyf(bt)))
        m = cnt["orphan_fk"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "customer_id", new_ids(m))
        bt = D.replace_col(bt, "company_id", U.fixed_ids("CMP-", 900000 + drng.integers(0, 99999, m), 6))
        batches.append(D.DirtyBatch("orphan_fk", bt, keyf(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], keyf))
        for b in [D.DirtyBatch("clean", t, [])] + batches:
            self.pii.add("email", b.table.column("email"))
            self.pii.add("cpf", b.table.column("cpf"))
            self.pii.add("phone", b.table.column("phone"))
        self.customers_out = D.assemble("customers", t, batches, drng)

    def _emails(self, rng, first, last, dom):
        return P.email_addresses(rng, first, last, dom)

    # ------------------------------------------------------------------ agents
    def agents(self) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "agents")
        n = cfg.sizes["agents"]
        first_i = rng.integers(0, len(self.pools.br_first), n)
        last_i = rng.integers(0, len(self.pools.br_last), n)
        first = U.take(self.pools.br_first, first_i)
        last = U.take(self.pools.br_last, last_i)
        name = U.concat(first, " ", last)
        email = P.email_addresses(rng, first, last, pa.array(["cxwarehouse.com.br"] * n))
        team = U.weighted_choice(rng, n, TEAM_W)
        spec = U.weighted_choice(rng, n, CATEGORY_W)
        st_u = rng.random(n)
        status = np.where(st_u < 0.06, 1, np.where(st_u < 0.12, 2, 0))
        status[: min(n, 3)] = 0
        hired = (cfg.start_day - rng.integers(30, 2500, n)).astype(np.int64) * DAY + rng.integers(11 * HOUR, 20 * HOUR, n)
        sched = [SCHEDULES[TEAMS[t]][int(rng.integers(0, len(SCHEDULES[TEAMS[t]])))] for t in team]
        self.agent_sched = sched
        self.agent_speed = np.exp(rng.normal(0, 0.45, n)) * np.where(team == 0, 1.0, np.where(team == 1, 1.2, 1.4))
        self.agent_quality = rng.normal(0, 0.45, n)
        self.agent_team = team
        self.agent_spec = spec
        self.agent_status = status
        self.n_agents = n
        ids = U.fixed_ids("AGT-", np.arange(1, n + 1), 4)
        self.agent_ids = ids
        self.agent_first = first
        t = pa.table({
            "agent_id": ids,
            "agent_name": name,
            "email": email,
            "team": U.take(TEAMS, team),
            "specialization": U.take(CATEGORIES, spec),
            "status": U.take(AGENT_STATUS, status),
            "hired_at": U.ts_array(hired),
            "schedule_id": pa.array(sched, pa.string()),
        })
        drng = U.substream(self.seed, "agents.dirty")
        cnt = D.plan_counts(n, "agents", drng)
        nid = [n + 1]

        def new_ids(m):
            a = U.fixed_ids("AGT-", np.arange(nid[0], nid[0] + m), 4)
            nid[0] += m
            return a

        keyf = D.simple_keys("agent_id")
        batches = [D.missing_required_batch("agents", t, "agent_id", drng, cnt["missing_required"],
                                            new_ids(cnt["missing_required"]))]
        m = cnt["unknown_enum"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "agent_id", new_ids(m))
        tv = bt.column("team").to_pylist()
        sv = bt.column("status").to_pylist()
        for i in range(m):
            if i % 2 == 0:
                tv[i] = ["TIER3", "SUPERVISOR", "L2"][i % 3]
            else:
                sv[i] = ["RETIRED", "VACATION", "TERMINATED"][i % 3]
        bt = D.replace_col(D.replace_col(bt, "team", tv), "status", sv)
        batches.append(D.DirtyBatch("unknown_enum", bt, keyf(bt)))
        m = cnt["invalid_email"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "agent_id", new_ids(m))
        bt = D.replace_col(bt, "email", [_break_email(e, i) for i, e in enumerate(bt.column("email").to_pylist())])
        batches.append(D.DirtyBatch("invalid_email", bt, keyf(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], keyf))
        for b in [D.DirtyBatch("clean", t, [])] + batches:
            self.pii.add("email", b.table.column("email"))
        self.agents_out = D.assemble("agents", t, batches, drng)

    # ------------------------------------------------------------------ tickets + interactions
    def tickets(self, out) -> None:
        """Tickets and their interaction log, simulated and written TICKET_CHUNK tickets at a time."""
        cfg, rng = self.cfg, U.substream(self.seed, "tickets")
        n = cfg.sizes["tickets"]
        risk = self.comp_risk
        # company volume ~ size x (churn risk)
        cw = SIZE_FACTOR[self.comp_size] * (0.35 + 2.2 * risk)
        # customers grouped by company
        corder = np.argsort(self.cust_comp, kind="stable")
        ccount = np.bincount(self.cust_comp, minlength=self.n_comp)
        cstart = np.concatenate([[0], np.cumsum(ccount)[:-1]])
        comp = U.weighted_choice(rng, n, cw)
        cust = corder[cstart[comp] + np.floor(rng.random(n) * ccount[comp]).astype(np.int64)]
        created = sample_business_times(rng, cfg, n, BRT)
        # a ticket cannot predate its customer (nor the company contract)
        lo = np.maximum(self.cust_created[cust], self.comp_start_day[comp].astype(np.int64) * DAY) + HOUR
        for _ in range(6):
            bad = created < lo
            if not bad.any():
                break
            created[bad] = sample_business_times(rng, cfg, int(bad.sum()), BRT)
        bad = created < lo
        created[bad] = lo[bad] + rng.integers(0, 2 * DAY, int(bad.sum()))
        created = np.minimum(created, cfg.extract_us - 10 * MIN)
        r = risk[comp]
        cat_w = np.tile(CATEGORY_W, (n, 1))
        cat_w[:, 3] *= (0.5 + 3.0 * r)
        cat_w /= cat_w.sum(axis=1, keepdims=True)
        cat = (rng.random(n)[:, None] > np.cumsum(cat_w, axis=1)).sum(axis=1)
        cat = np.minimum(cat, 4)
        pu = np.clip(rng.random(n) - 0.18 * (r - 0.29), 0, 0.999999)
        prio = np.searchsorted(PRIORITY_CUM, pu, side="right")
        prio = np.minimum(prio, 3)
        sub = np.array([int(rng.integers(0, len(T.TICKET_SUBCATEGORIES[CATEGORIES[c]]))) for c in cat])
        channel = U.weighted_choice(rng, n, CHANNEL_W)
        # sort by created -> ids
        order = np.lexsort((np.arange(n), created))
        comp, cust, created, cat, prio, sub, channel, r = (a[order] for a in (comp, cust, created, cat, prio, sub, channel, r))
        # sentiment of the description (ticket label)
        p_neg = np.clip(0.12 + 0.55 * r + np.where(cat == 3, 0.35, 0.0) + np.where(prio == 0, 0.1, 0.0), 0, 0.95)
        p_pos = np.where((cat == 2) | (cat == 4), 0.18, 0.06) * (1 - r)
        su = rng.random(n)
        sent = np.where(su < p_neg, 0, np.where(su < p_neg + p_pos, 2, 1))  # 0 neg 1 neu 2 pos
        # agents: weights by specialization, team and status
        active = self.agent_status != 1
        aw = np.where(active, 1.0, 0.0) * np.where(self.agent_team == 0, 1.5, 1.0)
        agent = np.empty(n, dtype=np.int64)
        for c in range(5):
            m = cat == c
            w = aw * np.where(self.agent_spec == c, 3.0, 1.0)
            if w.sum() == 0:
                w = np.ones(self.n_agents)
            agent[m] = U.weighted_choice(rng, int(m.sum()), w)
        self._plan_sla_weeks()
        self._clocks = build_clocks(cfg.window_start - dt.timedelta(days=3), cfg.end_date + dt.timedelta(days=120))
        self._targets = sla_targets()
        self._next_tid = n + 1  # ids of dirty extra tickets follow the clean ones
        chunks = [(a, min(n, a + TICKET_CHUNK)) for a in range(0, n, TICKET_CHUNK)]
        self._int_id0 = 0
        # one chunk: dirty interaction ids follow the clean ones; several: they start at 90,000,001
        self._next_iid = None if len(chunks) == 1 else 90_000_001
        for c, (a, b) in enumerate(chunks):
            sfx = "" if c == 0 else f".{c}"
            self._chunk = c
            self.t_n = b - a
            self.t_comp, self.t_cust, self.t_created = comp[a:b], cust[a:b], created[a:b]
            self.t_cat, self.t_prio, self.t_sub = cat[a:b], prio[a:b], sub[a:b]
            self.t_channel, self.t_risk = channel[a:b], r[a:b]
            self.t_sent, self.t_agent0 = sent[a:b], agent[a:b]
            self.t_ids = U.fixed_ids("TKT-", np.arange(a + 1, b + 1), 7)
            self._simulate(U.substream(self.seed, "interactions.sim" + sfx))
            self._ticket_texts(U.substream(self.seed, "tickets.text" + sfx))
            self._build_ticket_tables(U.substream(self.seed, "tickets.fields" + sfx))
            out.emit("tickets", self.tickets_out)
            out.emit("ticket_interactions", self.interactions_out)
            out.label("ticket_labels.parquet", self.truth_ticket_labels)
            self.tickets_out = self.interactions_out = self.ev = None

    def _plan_sla_weeks(self) -> None:
        """Plant a few degraded weeks (staff shortage): tickets created then are worked slower.

        Weeks are ISO weeks in the desk's zone (BRT); about one in SLA_BAD_WEEK_EVERY weeks, never
        the first two (no baseline yet) nor the last (incomplete). Truth: sla_weeks.parquet.
        """
        cfg = self.cfg
        rng = U.substream(self.seed, "sla.weeks")
        first = cfg.window_start - dt.timedelta(days=cfg.window_start.weekday())
        n_weeks = (cfg.end_date - first).days // 7 + 1
        monday = [first + dt.timedelta(days=7 * w) for w in range(n_weeks)]
        eligible = np.arange(2, max(2, n_weeks - 1))
        k = min(len(eligible), max(1, int(round(n_weeks / SLA_BAD_WEEK_EVERY))))
        bad = np.zeros(n_weeks, dtype=bool)
        if k:
            bad[rng.choice(eligible, size=k, replace=False)] = True
        self._week0_us = (first - EPOCH).days * DAY - BRT
        self._week_slow = np.where(bad, SLA_BAD_WEEK_SLOWDOWN, 1.0)
        self.truth_sla_weeks = pa.table({
            "iso_week": pa.array([f"{m.isocalendar()[0]}-W{m.isocalendar()[1]:02d}" for m in monday], pa.string()),
            "week_start_date": U.date_array(np.array([(m - EPOCH).days for m in monday])),
            "is_degraded": pa.array(bad),
            "work_time_factor": pa.array(self._week_slow, pa.float64()),
        })

    def _simulate(self, rng: np.random.Generator) -> None:
        """Replay each ticket's life as interaction events.

        First responses and resolutions are timed in the SLA's own minutes (business minutes of the
        final assignee's schedule, or calendar minutes when the policy says so): a lognormal share
        of the target, slower for slow agents, risky companies and planted degraded weeks, so most
        tickets meet their SLA and the misses cluster where something went wrong.
        """
        cfg = self.cfg
        n = self.t_n
        X = cfg.extract_us
        R = rng.random((n, 48))
        Z = rng.standard_normal((n, 2))
        speed = self.agent_speed
        clocks = self._clocks
        week = np.clip((self.t_created - self._week0_us) // (7 * DAY), 0, len(self._week_slow) - 1)
        slow = self._week_slow[week]
        targets = [self._targets[p] for p in PRIORITIES]
        t_evt, t_tkt, t_auth_type, t_auth, t_type, t_kind, t_status, t_prio, t_agent = ([] for _ in range(9))
        fin_status = np.zeros(n, dtype=np.int64)
        fin_prio = self.t_prio.copy()
        fin_agent = np.full(n, -1, dtype=np.int64)
        frt = np.full(n, np.nan)
        res_h = np.full(n, np.nan)
        reopened = np.zeros(n, dtype=bool)
        n_ag = self.n_agents
        # kinds: 0 created, 1 agent reply, 2 customer reply, 3 customer reply (reopen, negative),
        # 4 note, 5 status (no text), 6 assignment, 7 priority change, 8 customer cancel reply
        for i in range(n):
            r = R[i]
            k = 0

            def u():
                nonlocal k
                v = r[k % 48]
                k += 1
                return v

            t0 = int(self.t_created[i])
            cust = int(self.t_cust[i])
            prio = int(self.t_prio[i])
            ev = []  # (t, auth_type, auth_idx, type, kind, status, prio, agent)
            ev.append((t0, 0, cust, 0, 0, -1, -1, -1))
            age_h = (X - t0) / HOUR
            if (age_h < 3 and u() < 0.55) or u() < 0.012:  # not picked up yet / lost in the queue
                self._flush(i, ev, X, t_evt, t_tkt, t_auth_type, t_auth, t_type, t_kind, t_status, t_prio, t_agent)
                continue
            a = int(self.t_agent0[i])
            t = t0 + int(-math.log(1 - u()) * 4 * MIN) + 30 * SEC
            ev.append((t, 2, -1, 4, 6, -1, -1, a))
            if u() < 0.03:  # customer cancels
                t = t + int((0.5 + 20 * u()) * HOUR)
                ev.append((t, 0, cust, 1, 8, -1, -1, -1))
                ev.append((t + 2 * MIN, 0, cust, 3, 5, 5, -1, -1))
                self._flush(i, ev, X, t_evt, t_tkt, t_auth_type, t_auth, t_type, t_kind, t_status, t_prio, t_agent)
                continue
            # decided up front because the SLA uses them: a priority change (the SLA then runs on
            # the first recorded priority) and a reassignment (the clock uses the last assignee)
            newp = prio
            if u() < 0.07:
                newp = max(0, prio - 1) if (u() < 0.7 and prio > 0) else min(3, prio + 1)
            b = a
            if u() < 0.06 and n_ag > 1:
                b = int(u() * (n_ag - 1))
                b = b if b < a else b + 1
            f_target, r_target, is_bh = targets[newp]
            work = clocks[self.agent_sched[b]]  # the final assignee's working hours
            sla = work if is_bh else None  # None: calendar minutes
            pace = math.sqrt(speed[a]) * slow[i]

            def sla_add(t_from: int, minutes: float) -> int:
                return t_from + int(minutes * MIN) if sla is None else sla.add(t_from, minutes)

            f = f_target * math.exp(FRT_MU + FRT_SIGMA * Z[i, 0]) * pace
            t = max(t + MIN, sla_add(t0, f))
            ev.append((t, 1, a, 1, 1, -1, -1, -1))
            if u() < 0.25:
                t += int((1 + 15 * u()) * MIN)
                ev.append((t, 1, a, 3, 5, 1, -1, -1))
            if u() < 0.10:
                t += int((5 + 90 * u()) * MIN)
                ev.append((t, 1, a, 2, 4, -1, -1, -1))
            if newp != prio:
                t += int((10 + 120 * u()) * MIN)
                prio = newp
                ev.append((t, 1, a, 5, 7, -1, prio, -1))
            if b != a:
                t = work.add(t, 30 + 300 * u())
                a = b
                ev.append((t, 2, -1, 4, 6, -1, -1, a))
            paused = 0.0  # SLA minutes spent waiting for the customer (the resolution clock stops)
            rv = u()
            rounds = 0 if rv < 0.78 else (1 if rv < 0.96 else 2)
            for _ in range(rounds):
                if u() < 0.6:
                    t += int((2 + 30 * u()) * MIN)
                    ev.append((t, 1, a, 3, 5, 2, -1, -1))
                    t_pend = t
                    wait_h = 8.0 if u() < 0.9 else 96.0  # some customers take days to answer
                    t += int(-math.log(1 - u()) * wait_h * HOUR) + 5 * MIN
                    paused += (t - t_pend) / MIN if sla is None else sla.minutes(t) - sla.minutes(t_pend)
                    ev.append((t, 0, cust, 1, 2, -1, -1, -1))
                    ev.append((t + 30 * SEC, 2, -1, 3, 5, 1, -1, -1))
                else:
                    t += int(-math.log(1 - u()) * 2 * HOUR) + 5 * MIN
                    ev.append((t, 0, cust, 1, 2, -1, -1, -1))
                    t = work.add(t, f_target * 0.3 * (0.5 + u()) * pace)
                    ev.append((t, 1, a, 1, 1, -1, -1, -1))
            if u() < 0.99:  # 1 % are never resolved (stuck in the queue)
                res = r_target * math.exp(RES_MU + RES_SIGMA * Z[i, 1]) * pace * (1.0 + 0.3 * self.t_risk[i])
                t = max(t + 5 * MIN, sla_add(t0, res + paused))
                ev.append((t, 1, a, 3, 5, 3, -1, -1))
                if u() < 0.04 + 0.06 * self.t_risk[i]:
                    reopened[i] = True
                    t += int((0.5 + 3 * u()) * DAY)
                    ev.append((t, 0, cust, 1, 3, -1, -1, -1))
                    ev.append((t + 20 * SEC, 2, -1, 3, 5, 0 if u() < 0.5 else 1, -1, -1))
                    t = work.add(t + MIN, f_target * 0.5 * pace)
                    ev.append((t, 1, a, 1, 1, -1, -1, -1))
                    t = work.add(t, (60 + 1200 * u()) * pace)
                    ev.append((t, 1, a, 3, 5, 3, -1, -1))
                if u() < 0.21:
                    t += int((3 + 4 * u()) * DAY)
                    ev.append((t, 2, -1, 3, 5, 4, -1, -1))
            self._flush(i, ev, X, t_evt, t_tkt, t_auth_type, t_auth, t_type, t_kind, t_status, t_prio, t_agent)
        # derive ticket state from the events actually written
        self.ev = {
            "t": np.array(t_evt, dtype=np.int64), "tkt": np.array(t_tkt, dtype=np.int64),
            "auth_type": np.array(t_auth_type, dtype=np.int64), "auth": np.array(t_auth, dtype=np.int64),
            "type": np.array(t_type, dtype=np.int64), "kind": np.array(t_kind, dtype=np.int64),
            "status": np.array(t_status, dtype=np.int64), "prio": np.array(t_prio, dtype=np.int64),
            "agent": np.array(t_agent, dtype=np.int64),
        }
        e = self.ev
        tk = e["tkt"]
        # events are grouped by ticket in time order -> last value via maximum.at on positions
        pos = np.arange(len(tk))
        last_pos = np.full(n, -1)
        np.maximum.at(last_pos, tk, pos)
        updated = e["t"][last_pos]
        for field, arr, default in (("status", fin_status, 0), ("prio", fin_prio, None), ("agent", fin_agent, -1)):
            m = e[field] >= 0
            lp = np.full(n, -1)
            np.maximum.at(lp, tk[m], pos[m])
            has = lp >= 0
            arr[has] = e[field][lp[has]]
        # first agent reply
        m = (e["type"] == 1) & (e["auth_type"] == 1)
        fp = np.full(n, len(tk))
        np.minimum.at(fp, tk[m], pos[m])
        has = fp < len(tk)
        frt[has] = (e["t"][fp[has]] - self.t_created[has]) / MIN
        # last resolution
        m = e["status"] == 3
        lp = np.full(n, -1)
        np.maximum.at(lp, tk[m], pos[m])
        res_ok = (lp >= 0) & np.isin(fin_status, [3, 4])
        res_h[res_ok] = (e["t"][lp[res_ok]] - self.t_created[res_ok]) / HOUR
        self.fin_status, self.fin_prio, self.fin_agent = fin_status, fin_prio, fin_agent
        self.updated, self.frt, self.res_h, self.reopened = updated, frt, res_h, reopened

    @staticmethod
    def _flush(i, ev, X, *cols):
        ev.sort(key=lambda r: r[0])
        for rec in ev:
            if rec[0] > X:
                break
            cols[0].append(rec[0])
            cols[1].append(i)
            for j in range(1, 8):
                cols[j + 1].append(rec[j])

    def _ticket_slots(self, rng: np.random.Generator, n: int) -> dict:
        cities = [c for c, _ in self.pools.br_city_state]
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the 5th", "the 12th", "the 20th"]
        return {
            "day": U.take(days, rng.integers(0, len(days), n)),
            "terminal": U.fixed_ids("T-", rng.integers(10000, 99999, n), 5),
            "branch": U.take(cities, rng.integers(0, len(cities), n)),
            "errcode": U.fixed_ids("E-", rng.integers(1000, 9999, n), 4),
            "invoice": U.fixed_ids("NF-2026-", rng.integers(1, 999999, n), 6),
            "txn": U.fixed_ids("TXN-", rng.integers(0, 99999999, n), 8),
            "amount": U.concat("R$ ", U.digits_str(rng.integers(50, 9999, n), 4), ",", U.digits_str(rng.integers(0, 99, n), 2)),
            "n": pa.array(np.char.mod("%d", rng.integers(2, 40, n)).astype(object), pa.string()),
        }

    def _pii_sentences(self, rng: np.random.Generator, n: int, rate: float,
                       eligible: np.ndarray | None = None) -> tuple[pa.Array, np.ndarray]:
        """Per row: '' or a sentence with an email/phone/card/CPF; registers the values."""
        has = rng.random(n) < rate
        if eligible is not None:
            has &= eligible
        kind = rng.integers(0, 4, n)
        emails = P.email_addresses(rng, U.take(self.pools.br_first, rng.integers(0, len(self.pools.br_first), n)),
                                   U.take(self.pools.br_last, rng.integers(0, len(self.pools.br_last), n)),
                                   U.take(["gmail.com", "hotmail.com", "uol.com.br"], rng.integers(0, 3, n)))
        phones, _, _ = P.br_phone(rng, n)
        cards = P.card(rng, n)
        cpfs = P.cpf(rng, n)
        vals = emails
        vals = U.choose(kind == 1, phones, vals)
        vals = U.choose(kind == 2, cards, vals)
        vals = U.choose(kind == 3, cpfs, vals)
        kinds = ["email", "phone", "card", "cpf"]
        for k in range(4):
            m = has & (kind == k)
            if m.any():
                self.pii.add(kinds[k], vals.filter(pa.array(m)))
        tpl = []
        tidx = np.zeros(n, dtype=np.int64)
        for k, kn in enumerate(kinds):
            base = len(tpl)
            tpl.extend(" " + s for s in T.PII_SENTENCES[kn])
            m = kind == k
            tidx[m] = base + rng.integers(0, len(T.PII_SENTENCES[kn]), int(m.sum()))
        tpl.append("")
        tidx[~has] = len(tpl) - 1
        return U.render(tpl, tidx, {"pii": vals}), has

    def _ticket_texts(self, rng: np.random.Generator) -> None:
        n = self.t_n
        slots = self._ticket_slots(rng, n)
        # subject
        sub_names = [s for c in CATEGORIES for s in T.TICKET_SUBCATEGORIES[c]]
        sub_global = np.array([sub_names.index(T.TICKET_SUBCATEGORIES[CATEGORIES[c]][s]) for c, s in zip(self.t_cat, self.t_sub)], dtype=np.int64)
        subj_tpl, subj_base = [], []
        for s in sub_names:
            subj_base.append(len(subj_tpl))
            subj_tpl.extend(T.TICKET_SUBJECT[s])
        subj_idx = np.array(subj_base)[sub_global] + rng.integers(0, 3, n)
        self.t_subject = U.render(subj_tpl, subj_idx, slots)
        self.t_subcat = U.take(sub_names, sub_global)
        body_tpl, body_base = [], []
        for c in CATEGORIES:
            body_base.append((len(body_tpl), len(T.TICKET_BODY[c])))
            body_tpl.extend(T.TICKET_BODY[c])
        bidx = np.array([body_base[c][0] + int(rng.integers(0, body_base[c][1])) for c in self.t_cat])
        body = U.render(body_tpl, bidx, slots)
        sclause = self._sentiment_clause(rng, self.t_sent)
        pii_s, _ = self._pii_sentences(rng, n, 0.05)
        self.t_desc = U.concat(body, sclause, pii_s)

    def _sentiment_clause(self, rng: np.random.Generator, sent: np.ndarray) -> pa.Array:
        n = len(sent)
        tpl = [" " + s for s in T.NEGATIVE] + [(" " + s if s else "") for s in T.NEUTRAL_TAIL] + [" " + s for s in T.POSITIVE]
        nn, nz = len(T.NEGATIVE), len(T.NEUTRAL_TAIL)
        idx = np.where(sent == 0, rng.integers(0, nn, n),
                       np.where(sent == 1, nn + rng.integers(0, nz, n), nn + nz + rng.integers(0, len(T.POSITIVE), n)))
        return U.render(tpl, idx, {})

    def _build_ticket_tables(self, rng: np.random.Generator) -> None:
        cfg = self.cfg
        n = self.t_n
        prio = self.fin_prio
        status = self.fin_status
        resolved = np.isin(status, [3, 4])
        frt = self.frt
        res = self.res_h
        age_h = (cfg.extract_us - self.t_created) / HOUR
        breach = (np.nan_to_num(frt, nan=0) > FRT_SLA_MIN[prio]) | (np.where(resolved, np.nan_to_num(res, nan=0), 0) > RES_SLA_H[prio]) \
            | (~resolved & (status != 5) & (age_h > RES_SLA_H[prio]))
        breach ^= rng.random(n) < 0.02
        ag = np.where(self.fin_agent >= 0, self.fin_agent, 0)
        q = self.agent_quality[ag]
        r = self.t_risk
        cs = 4.1 + 0.6 * q - 2.6 * (r - 0.29) - 0.9 * self.reopened - 0.5 * breach + rng.normal(0, 0.7, n)
        csat = np.clip(np.round(cs), 1, 5).astype(np.int64)
        has_csat = resolved & (rng.random(n) < 0.6)
        nps_v = 7.6 + 1.3 * q - 7.0 * (r - 0.29) - 1.5 * self.reopened - 0.8 * breach + rng.normal(0, 1.4, n)
        nps = np.clip(np.round(nps_v), 0, 10).astype(np.int64)
        has_nps = resolved & (rng.random(n) < 0.4)
        # tags
        tags = []
        for i in range(n):
            pool = T.TICKET_TAGS[CATEGORIES[self.t_cat[i]]]
            k = 1 + int(rng.random() < 0.5) + int(rng.random() < 0.2)
            sel = rng.choice(len(pool), size=min(k, len(pool)), replace=False)
            tg = [pool[j] for j in sorted(sel)]
            if breach[i]:
                tg.append("sla_breach")
            tags.append(",".join(tg))
        # enum variants (clean: staging trims + upper-cases)
        st_arr = U.take(TICKET_STATUS, status)
        pr_arr = U.take(PRIORITIES, prio)
        ca_arr = U.take(CATEGORIES, self.t_cat)
        v = rng.random(n)
        st_arr = U.choose(v < 0.03, pc.utf8_lower(st_arr), st_arr)
        pr_arr = U.choose((v >= 0.03) & (v < 0.05), U.concat(" ", pr_arr, " "), pr_arr)
        ca_arr = U.choose((v >= 0.05) & (v < 0.06), pc.utf8_capitalize(ca_arr), ca_arr)
        agent_ids = pc.take(self.agent_ids, pa.array(np.where(self.fin_agent >= 0, self.fin_agent, 0)))
        agent_ids = U.set_null(agent_ids, self.fin_agent < 0)
        t = pa.table({
            "ticket_id": self.t_ids,
            "company_id": pc.take(self.comp_ids, pa.array(self.t_comp)),
            "customer_id": pc.take(self.cust_ids, pa.array(self.t_cust)),
            "agent_id": agent_ids,
            "status": st_arr,
            "priority": pr_arr,
            "category": ca_arr,
            "subcategory": self.t_subcat,
            "channel": U.take(CHANNELS, self.t_channel),
            "subject": self.t_subject,
            "description": self.t_desc,
            "created_at": U.ts_array(self.t_created),
            "updated_at": U.ts_array(self.updated),
            "csat_score": pa.array(csat, pa.int64(), mask=~has_csat),
            "nps_score": pa.array(nps, pa.int64(), mask=~has_nps),
            "tags": pa.array(tags, pa.string()),
            "resolution_time_hours": pa.array(np.round(res, 2), pa.float64(), mask=np.isnan(res)),
            "first_response_time_minutes": pa.array(np.round(frt, 1), pa.float64(), mask=np.isnan(frt)),
            "sla_breached": pa.array(breach),
        })
        self.truth_ticket_labels = pa.table({
            "ticket_id": self.t_ids,
            "sentiment": U.take(T.SENTIMENTS, self.t_sent),
        })
        self._ticket_dirty(t)
        self._interactions()

    def _ticket_dirty(self, t: pa.Table) -> None:
        cfg = self.cfg
        n = self.t_n
        c = self._chunk
        drng = U.substream(self.seed, "tickets.dirty" if c == 0 else f"tickets.dirty.{c}")
        cnt = D.plan_counts(n, "tickets", drng)

        def new_ids(m):
            a = U.fixed_ids("TKT-", np.arange(self._next_tid, self._next_tid + m), 7)
            self._next_tid += m
            return a

        keyf = D.simple_keys("ticket_id")
        batches = [D.missing_required_batch("tickets", t, "ticket_id", drng, cnt["missing_required"],
                                            new_ids(cnt["missing_required"]))]
        m = cnt["unknown_enum"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "ticket_id", new_ids(m))
        cols = {"priority": ["URGENT", "BLOCKER", "P1"], "status": ["WAITING", "ON_HOLD", "REOPENED"],
                "channel": ["FAX", "TELEGRAM", "SMS"], "category": ["SALES", "OTHER", "LEGAL"]}
        vals = {c: bt.column(c).to_pylist() for c in cols}
        names = list(cols)
        for i in range(m):
            c = names[i % len(names)]
            vals[c][i] = cols[c][int(drng.integers(0, 3))]
        for c in cols:
            bt = D.replace_col(bt, c, vals[c])
        batches.append(D.DirtyBatch("unknown_enum", bt, keyf(bt)))
        m = cnt["future_timestamp"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "ticket_id", new_ids(m))
        fut = cfg.extract_us + drng.integers(2 * HOUR, 40 * DAY, m)
        bt = D.replace_col(bt, "created_at", U.ts_array(fut))
        bt = D.replace_col(bt, "updated_at", U.ts_array(fut + HOUR))
        batches.append(D.DirtyBatch("future_timestamp", bt, keyf(bt)))
        m = cnt["timestamp_before_parent"]
        rows = D.pick_rows(drng, n, m)
        bt = D.replace_col(t.take(pa.array(rows)), "ticket_id", new_ids(m))
        cs_us = self.comp_start_day[self.t_comp[rows]].astype(np.int64) * DAY
        before = cs_us - drng.integers(2 * DAY, 200 * DAY, m)
        bt = D.replace_col(bt, "created_at", U.ts_array(before))
        bt = D.replace_col(bt, "updated_at", U.ts_array(before + 3 * HOUR))
        batches.append(D.DirtyBatch("timestamp_before_parent", bt, keyf(bt)))
        m = cnt["orphan_fk"]
        bt = D.replace_col(t.take(pa.array(D.pick_rows(drng, n, m))), "ticket_id", new_ids(m))
        cv = bt.column("customer_id").to_pylist()
        cmv = bt.column("company_id").to_pylist()
        agv = bt.column("agent_id").to_pylist()
        for i in range(m):
            j = i % 3
            if j == 0:
                cv[i] = f"CUS-{900000 + int(drng.integers(0, 99999)):06d}"
            elif j == 1:
                cmv[i] = f"CMP-{900000 + int(drng.integers(0, 99999)):06d}"
            else:
                agv[i] = f"AGT-{9000 + int(drng.integers(0, 999)):04d}"
        bt = D.replace_col(D.replace_col(D.replace_col(bt, "customer_id", cv), "company_id", cmv), "agent_id", agv)
        batches.append(D.DirtyBatch("orphan_fk", bt, keyf(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], keyf))
        self.tickets_out = D.assemble("tickets", t, batches, drng)

    def _interactions(self) -> None:
        cfg = self.cfg
        rng = U.substream(self.seed, "interactions.text" + ("" if self._chunk == 0 else f".{self._chunk}"))
        e = self.ev
        order = np.lexsort((np.arange(len(e["t"])), e["t"]))
        e = {k: v[order] for k, v in e.items()}
        m = len(e["t"])
        kind = e["kind"]
        tkt = e["tkt"]
        slots = self._ticket_slots(rng, m)
        slots["desc"] = pc.take(self.t_desc, pa.array(tkt))
        # customer reply sentiment follows the ticket's sentiment most of the time
        s_cust = np.where(rng.random(m) < 0.7, self.t_sent[tkt], 1)
        s_cust = np.where(kind == 3, 0, s_cust)
        sclause = self._sentiment_clause(rng, s_cust)
        pii_s, _ = self._pii_sentences(rng, m, 0.05, np.isin(kind, [2, 3]))
        cr = len(T.TICKET_CUSTOMER_REPLY)
        ar = len(T.TICKET_AGENT_REPLY)
        nt = len(T.TICKET_NOTES)
        tpl = (["{desc}"] + T.TICKET_AGENT_REPLY + T.TICKET_CUSTOMER_REPLY
               + ["We reopened this because it happened again at the {branch} branch."]
               + T.TICKET_NOTES + ["Priority adjusted after impact review.", "The case can be closed now."]
               + [""])
        base_ar, base_cr = 1, 1 + ar
        base_re = base_cr + cr
        base_nt = base_re + 1
        idx = np.zeros(m, dtype=np.int64)
        idx[kind == 1] = base_ar + rng.integers(0, ar, int((kind == 1).sum()))
        idx[kind == 2] = base_cr + rng.integers(0, cr, int((kind == 2).sum()))
        idx[kind == 3] = base_re
        idx[kind == 4] = base_nt + rng.integers(0, nt, int((kind == 4).sum()))
        idx[kind == 7] = base_nt + nt
        idx[kind == 8] = base_nt + nt + 1
        idx[np.isin(kind, [5, 6])] = len(tpl) - 1
        msg = U.render(tpl, idx, slots)
        is_cust_text = np.isin(kind, [2, 3])
        msg = U.choose(is_cust_text, U.concat(msg, sclause, pii_s), msg)
        msg = U.set_null(msg, np.isin(kind, [5, 6]))
        ids = U.fixed_ids("INT-", self._int_id0 + np.arange(1, m + 1), 8)
        self._int_id0 += m
        at = e["auth_type"]
        auth = e["auth"]
        cust_ids = pc.take(self.cust_ids, pa.array(np.where(at == 0, np.maximum(auth, 0), 0)))
        ag_ids = pc.take(self.agent_ids, pa.array(np.where(at == 1, np.maximum(auth, 0), 0)))
        author = U.choose(at == 0, cust_ids, ag_ids)
        author = U.set_null(author, at == 2)
        new_agent = U.set_null(pc.take(self.agent_ids, pa.array(np.maximum(e["agent"], 0))), e["agent"] < 0)
        t = pa.table({
            "interaction_id": ids,
            "ticket_id": pc.take(self.t_ids, pa.array(tkt)),
            "interaction_at": U.ts_array(e["t"]),
            "author_type": U.take(AUTHOR_TYPES, at),
            "author_id": author,
            "interaction_type": U.take(INTERACTION_TYPES, e["type"]),
            "message": msg,
            "new_status": U.set_null(U.take(TICKET_STATUS, np.maximum(e["status"], 0)), e["status"] < 0),
            "new_priority": U.set_null(U.take(PRIORITIES, np.maximum(e["prio"], 0)), e["prio"] < 0),
            "new_agent_id": new_agent,
        })
        self.int_kind = kind
        # dirty
        c = self._chunk
        drng = U.substream(self.seed, "interactions.dirty" if c == 0 else f"interactions.dirty.{c}")
        cnt = D.plan_counts(m, "ticket_interactions", drng)
        if self._next_iid is None:
            self._next_iid = m + 1

        def new_ids(k):
            a = U.fixed_ids("INT-", np.arange(self._next_iid, self._next_iid + k), 8)
            self._next_iid += k
            return a

        keyf = D.simple_keys("interaction_id")
        # dirty rows are copies of text rows (REPLY / NOTE) so they never change the ticket state
        textual = np.isin(kind, [1, 2, 4])
        batches = []
        k = cnt["missing_required"]
        src = t.filter(pa.array(textual))
        batches.append(D.missing_required_batch("ticket_interactions", src, "interaction_id", drng, k, new_ids(k)))
        k = cnt["unknown_enum"]
        bt = D.replace_col(src.take(pa.array(D.pick_rows(drng, src.num_rows, k))), "interaction_id", new_ids(k))
        atv = bt.column("author_type").to_pylist()
        itv = bt.column("interaction_type").to_pylist()
        for i in range(k):
            if i % 2 == 0:
                itv[i] = ["FORWARD", "MERGE", "CALL"][i % 3]
            else:
                atv[i] = ["BOT", "PARTNER", "ADMIN"][i % 3]
        bt = D.replace_col(D.replace_col(bt, "author_type", atv), "interaction_type", itv)
        batches.append(D.DirtyBatch("unknown_enum", bt, keyf(bt)))
        k = cnt["future_timestamp"]
        bt = D.replace_col(src.take(pa.array(D.pick_rows(drng, src.num_rows, k))), "interaction_id", new_ids(k))
        bt = D.replace_col(bt, "interaction_at", U.ts_array(cfg.extract_us + drng.integers(HOUR, 30 * DAY, k)))
        batches.append(D.DirtyBatch("future_timestamp", bt, keyf(bt)))
        k = cnt["timestamp_before_parent"]
        rows = D.pick_rows(drng, src.num_rows, k)
        bt = D.replace_col(src.take(pa.array(rows)), "interaction_id", new_ids(k))
        tk_rows = tkt[np.nonzero(textual)[0][rows]]
        bt = D.replace_col(bt, "interaction_at", U.ts_array(self.t_created[tk_rows] - drng.integers(HOUR, 10 * DAY, k)))
        batches.append(D.DirtyBatch("timestamp_before_parent", bt, keyf(bt)))
        k = cnt["orphan_fk"]
        bt = D.replace_col(src.take(pa.array(D.pick_rows(drng, src.num_rows, k))), "interaction_id", new_ids(k))
        bt = D.replace_col(bt, "ticket_id", U.fixed_ids("TKT-", 9000000 + drng.integers(0, 999999, k), 7))
        batches.append(D.DirtyBatch("orphan_fk", bt, keyf(bt)))
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], keyf))
        self.interactions_out = D.assemble("ticket_interactions", t, batches, drng)
        # PII in free text: registered by _pii_sentences


def _break_email(e: str | None, i: int) -> str:
    e = e or "maria.silva@example.com"
    local, _, dom = e.partition("@")
    v = i % 4
    if v == 0:
        return f"{local}.{dom}"  # maria.silva.example.com
    if v == 1:
        return f"{local}@"  # joao@
    if v == 2:
        return f"{local}@@{dom}"
    return f"{local} at {dom}"
