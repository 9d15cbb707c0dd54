"""crm.incoming_customers and the identity-resolution ground truth."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from . import dirty as D
from . import pools as P
from . import util as U
from .catalog import COMPANY_SUFFIX_SWAPS, NICKNAMES
from .config import Config
from .support import SEGMENTS
from .util import DAY, HOUR

INDUSTRY = {"RETAIL": "Retail", "FOOD_SERVICE": "Food Service", "SERVICES": "Professional Services",
            "HEALTHCARE": "Healthcare", "EDUCATION": "Education", "TECHNOLOGY": "Technology",
            "HOSPITALITY": "Hospitality"}
#: Share of incoming contacts who give a birth date and a CPF (optional fields of the form).
INCOMING_BIRTH_DATE_FILL = 0.35
INCOMING_CPF_FILL = 0.2
VARIATIONS = ["none", "typo", "nickname", "email_format", "phone_format", "abbreviation"]
VARIATION_W = [0.15, 0.25, 0.15, 0.2, 0.15, 0.1]
WORD_ABBREV = [("Comércio", "Com."), ("Serviços", "Serv."), ("Distribuidora", "Distrib."),
               ("Tecnologia", "Tec."), ("Alimentos", "Alim."), ("Restaurante", "Rest."), ("Farmácia", "Farm."),
               ("Consultoria", "Consult."), ("Laboratório", "Lab."), ("Sistemas", "Sist.")]


def _typo(s: str, rng: np.random.Generator) -> str:
    letters = [i for i, c in enumerate(s) if c.isalpha()]
    if len(letters) < 3:
        return s + "e"
    i = letters[int(rng.integers(1, len(letters) - 1))]
    kind = int(rng.integers(0, 4))
    if kind == 0 and i + 1 < len(s) and s[i + 1].isalpha() and s[i] != s[i + 1]:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if kind == 1:
        return s[:i] + s[i + 1:]
    if kind == 2:
        return s[:i] + s[i] + s[i:]
    repl = {"a": "s", "e": "r", "i": "o", "o": "p", "s": "a", "n": "m", "m": "n", "r": "t", "l": "k", "u": "y"}
    c = s[i]
    r = repl.get(c.lower(), "e" if c.lower() != "e" else "a")
    return s[:i] + (r.upper() if c.isupper() else r) + s[i + 1:]


def _email_variant(e: str, rng: np.random.Generator) -> str:
    local, _, dom = e.partition("@")
    k = int(rng.integers(0, 4))
    if k == 0:
        return (local.capitalize() + "@" + dom.capitalize()) if local.capitalize() != local else e.upper()
    if k == 1:
        return f"{local}+crm@{dom}"
    if k == 2 and "." in local:
        return local.replace(".", "") + "@" + dom
    if k == 2:
        return local + "@" + dom.upper()
    return e.upper()


def _abbrev(name: str, rng: np.random.Generator) -> str:
    for a, b in WORD_ABBREV:
        if a in name:
            return name.replace(a, b, 1)
    for a, b in COMPANY_SUFFIX_SWAPS:
        if name.endswith(a) or (a + " ") in name:
            return name.replace(a, b, 1)
    return name + " Ltda"


class Incoming:
    def __init__(self, cfg: Config, pools: P.Pools, pii: P.PIIRegistry, support):
        self.cfg, self.pools, self.pii, self.sup = cfg, pools, pii, support
        self.seed = cfg.seed

    def build(self) -> None:
        cfg, rng = self.cfg, U.substream(self.seed, "incoming")
        sup = self.sup
        N = cfg.sizes["incoming_customers"]
        n_exist = int(round(0.6 * N))
        exist = rng.choice(sup.n_cust, size=n_exist, replace=n_exist > sup.n_cust)
        is_exist = np.zeros(N, dtype=bool)
        is_exist[rng.choice(N, size=n_exist, replace=False)] = True
        cust_idx = np.full(N, -1)
        cust_idx[is_exist] = exist
        names = sup.cust_name.to_pylist()
        firsts = sup.cust_first.to_pylist()
        emails = sup.cust_email.to_pylist()
        phones = sup.cust_phone.to_pylist()
        existing = {e.lower() for e in emails}
        comp_tbl = sup.companies_out.table
        # clean company rows are the ones with the clean ids; look up by index
        seg_of_comp = {}
        cid_list = sup.comp_ids.to_pylist()
        for cid, seg in zip(comp_tbl.column("company_id").to_pylist(), comp_tbl.column("segment").to_pylist()):
            if cid is not None and cid not in seg_of_comp:
                seg_of_comp[cid] = seg
        recv = cfg.start_us + rng.integers(0, cfg.n_days * DAY - HOUR, N)
        recv = np.sort(recv)
        out = {k: [] for k in ["company_name", "contact_name", "email", "phone", "address_line1", "city", "state",
                               "postal_code", "country", "industry"]}
        true_id, variation = [], []
        br_cs = self.pools.br_city_state
        us_cs = self.pools.us_city_state
        pl = self.pools
        var_draw = U.weighted_choice(rng, N, VARIATION_W)
        is_us = rng.random(N) < 0.6
        fn_all = np.where(is_us, np.array(pl.us_first, dtype=object)[rng.integers(0, len(pl.us_first), N)],
                          np.array(pl.br_first, dtype=object)[rng.integers(0, len(pl.br_first), N)])
        ln_all = np.where(is_us, np.array(pl.us_last, dtype=object)[rng.integers(0, len(pl.us_last), N)],
                          np.array(pl.br_last, dtype=object)[rng.integers(0, len(pl.br_last), N)])
        dom_all = np.where(is_us, np.array(["gmail.com", "yahoo.com", "outlook.com", "company.com"], dtype=object)[rng.integers(0, 4, N)],
                           np.array(["gmail.com", "hotmail.com", "uol.com.br"], dtype=object)[rng.integers(0, 3, N)])
        new_email = P.email_addresses(rng, pa.array(fn_all, pa.string()), pa.array(ln_all, pa.string()),
                                      pa.array(dom_all, pa.string())).to_pylist()
        for i in range(N):
            if is_exist[i]:
                c = int(cust_idx[i])
                comp = int(sup.cust_comp[c])
                var = VARIATIONS[int(var_draw[i])]
                cname, contact, email, phone = sup.comp_names[comp], names[c], emails[c], phones[c]
                if var == "nickname":
                    f = firsts[c]
                    nick = NICKNAMES.get(f)
                    if nick:
                        contact = contact.replace(f, nick[int(rng.integers(0, len(nick)))], 1)
                    else:
                        var = "typo"
                if var == "typo":
                    parts = contact.split(" ")
                    j = int(rng.integers(0, len(parts)))
                    parts[j] = _typo(parts[j], rng)
                    contact = " ".join(parts)
                elif var == "email_format":
                    email = _email_variant(email, rng)
                elif var == "phone_format":
                    d = sup.phone_digits[c]
                    cur = [U_fmt(f, d) for f in P.BR_PHONE_FORMATS]
                    choices = [x for x in cur if x != phone]
                    phone = choices[int(rng.integers(0, len(choices)))]
                elif var == "abbreviation":
                    cname = _abbrev(cname, rng)
                city, state = br_cs[int(rng.integers(0, len(br_cs)))]
                street = self.pools.br_street[int(rng.integers(0, len(self.pools.br_street)))]
                out["address_line1"].append(f"{street}, {int(rng.integers(1, 3000))}")
                out["postal_code"].append(f"{int(rng.integers(10000, 99999)):05d}-{int(rng.integers(0, 999)):03d}")
                out["country"].append("BR")
                seg = seg_of_comp.get(cid_list[comp], "RETAIL")
                out["industry"].append(INDUSTRY.get(seg, "Other"))
                true_id.append(f"CUS-{c + 1:06d}")
                variation.append(var)
            else:
                us = bool(is_us[i])
                fn, ln = fn_all[i], ln_all[i]
                if us:
                    cname = self.pools.us_company[int(rng.integers(0, len(self.pools.us_company)))]
                    city, state = us_cs[int(rng.integers(0, len(us_cs)))]
                    out["address_line1"].append(self.pools.us_street[int(rng.integers(0, len(self.pools.us_street)))])
                    out["postal_code"].append(f"{int(rng.integers(10000, 99999)):05d}")
                    out["country"].append("US")
                    d = P.us_phone_digits(rng, 1)[0]
                    phone = U_fmt(P.US_PHONE_FORMATS[int(rng.integers(0, len(P.US_PHONE_FORMATS)))], d)
                else:
                    core = self.pools.br_company_core[int(rng.integers(0, len(self.pools.br_company_core)))]
                    cname = f"{core} {['Comércio', 'Serviços', 'Tecnologia', 'Alimentos'][int(rng.integers(0, 4))]} Ltda"
                    city, state = br_cs[int(rng.integers(0, len(br_cs)))]
                    street = self.pools.br_street[int(rng.integers(0, len(self.pools.br_street)))]
                    out["address_line1"].append(f"{street}, {int(rng.integers(1, 3000))}")
                    out["postal_code"].append(f"{int(rng.integers(10000, 99999)):05d}-{int(rng.integers(0, 999)):03d}")
                    out["country"].append("BR")
                    phone = U_fmt(P.BR_PHONE_FORMATS[int(rng.integers(0, 3))], P.br_phone_digits(rng, 1)[0])
                contact = f"{fn} {ln}"
                email = new_email[i]
                if rng.random() < 0.3 or email.lower() in existing:
                    email = email.replace("@", f"{int(rng.integers(100, 999))}@")
                out["industry"].append(INDUSTRY[SEGMENTS[int(rng.integers(0, len(SEGMENTS)))]])
                true_id.append(None)
                variation.append("none")
            out["company_name"].append(cname)
            out["contact_name"].append(contact)
            out["email"].append(email)
            out["phone"].append(phone)
            out["city"].append(city)
            out["state"].append(state)
        birth_date, cpf = self._identity_fields(cust_idx, is_exist, out)
        ids = U.fixed_ids("INC-", np.arange(1, N + 1), 6)
        t = pa.table({"incoming_id": ids, **{k: pa.array(v, pa.string()) for k, v in out.items()},
                      "birth_date": birth_date, "cpf": cpf,
                      "received_at": U.ts_array(recv)})
        self.truth_identity = pa.table({
            "incoming_id": ids,
            "true_customer_id": pa.array(true_id, pa.string()),
            "variation": pa.array(variation, pa.string()),
        })
        drng = U.substream(self.seed, "incoming.dirty")
        cnt = D.plan_counts(N, "incoming_customers", drng)
        m = cnt["missing_required"]
        batches = [D.missing_required_batch("incoming_customers", t, "incoming_id", drng, m,
                                            U.fixed_ids("INC-", np.arange(N + 1, N + 1 + m), 6))]
        batches.append(D.duplicate_batch(t, drng, cnt["duplicate_id"], D.simple_keys("incoming_id")))
        self.pii.add("email", t.column("email"))
        self.pii.add("phone", t.column("phone"))
        self.pii.add("cpf", t.column("cpf"))
        self.incoming_out = D.assemble("incoming_customers", t, batches, drng)


    def _identity_fields(self, cust_idx: np.ndarray, is_exist: np.ndarray,
                         out: dict[str, list]) -> tuple[pa.Array, pa.Array]:
        """An existing person's address as the support system has it (when it has one), with
        the CRM's usual variation; birth date and CPF for the contacts who give them. Its own
        substream, so the other columns do not change. Returns (birth_date, cpf)."""
        rng = U.substream(self.seed, "incoming.identity")
        sup, n = self.sup, len(is_exist)
        draw = rng.random((n, 5))
        new_birth = rng.integers((np.datetime64("1958-01-01") - np.datetime64("1970-01-01")).astype(int),
                                 (np.datetime64("2004-12-31") - np.datetime64("1970-01-01")).astype(int), n)
        new_cpf = P.cpf(rng, n).to_pylist()
        cpfs = sup.cust_cpf.to_pylist()
        birth_days, birth_null, cpf = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool), []
        for i in range(n):
            c = int(cust_idx[i])
            gives_birth, gives_cpf = draw[i, 0] < INCOMING_BIRTH_DATE_FILL, draw[i, 1] < INCOMING_CPF_FILL
            if is_exist[i]:
                if sup.cust_address[c] is not None:
                    street = sup.cust_address[c]
                    if draw[i, 2] < 0.15:
                        street = street.replace("Rua ", "R. ", 1).replace("Avenida ", "Av. ", 1)
                    elif draw[i, 2] < 0.22:
                        street = _typo(street, rng)
                    out["address_line1"][i] = street
                    out["city"][i] = sup.cust_city[c]
                    postal = sup.cust_postal[c]
                    out["postal_code"][i] = postal.replace("-", "") if draw[i, 3] < 0.3 else postal
                birth = int(sup.cust_birth_days[c])
                if draw[i, 4] < 0.03:
                    birth += 1  # a slip of one day
                document = cpfs[c]
                if draw[i, 4] > 0.5:
                    document = "".join(ch for ch in document if ch.isdigit())
            else:
                birth, document = int(new_birth[i]), new_cpf[i]
            if gives_birth:
                birth_days[i], birth_null[i] = birth, False
            cpf.append(document if gives_cpf else None)
        return U.date_array(birth_days, birth_null), pa.array(cpf, pa.string())


def U_fmt(pattern: str, digits) -> str:
    it = iter(int(x) for x in digits)
    return "".join(str(next(it)) if ch == "#" else ch for ch in pattern)
