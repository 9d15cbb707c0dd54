"""Generator configuration: window, per-domain volumes (linear scales or a named profile)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .util import DAY, SEC

EPOCH = dt.date(1970, 1, 1)
DEFAULT_END_DATE = dt.date(2026, 6, 30)
DEFAULT_DAYS = 180
GENERATOR_NAME = "cx_warehouse 0.1.0"
DIRTY_RATE = 0.02

# The three domains scale separately: a big retailer is not a big contact centre.
# support: the B2B ticket desk (companies, customers, agents, tickets, the CRM feed);
# retail: stores, products, receipts; contact: the customer chats and emails.
DOMAINS = ("support", "retail", "contact")
DOMAIN_TABLES = {
    "support": ("companies", "customers", "agents", "tickets", "incoming_customers"),
    "retail": ("stores", "products", "receipts"),
    "contact": ("chats", "emails"),
}

# Extra receipt lines per receipt (Poisson mean on weekdays; weekends add 0.35): about 2.85 lines
# per receipt in the linear datasets.
DEFAULT_BASKET_EXTRA = 1.75

# Named profiles: fixed per-domain volumes over their own window. `large` is a 400-store retailer
# (about 33 million receipts, 100 million receipt lines a year) beside a contact centre answering
# about 800 chats and 1,200 emails a day, with the ticket desk that goes with it.
PROFILES: dict[str, dict] = {
    "large": {
        "days": 365,
        "basket_extra": 1.93,  # about 3.03 lines per receipt -> ~100 M lines
        "sizes": {
            "companies": 20_000,
            "customers": 500_000,
            "agents": 150,
            "tickets": 146_000,  # ~400 a day
            "incoming_customers": 20_000,
            "stores": 400,
            "products": 6_000,
            "receipts": 33_000_000,
            "chats": 292_000,  # 800 a day
            "emails": 438_000,  # 1,200 a day
        },
    },
}


def _lin(base: float, scale: float, minimum: int = 1) -> int:
    return max(minimum, int(round(base * scale)))


def linear_sizes(support: float, retail: float, contact: float) -> dict[str, int]:
    """Table sizes of the linear datasets: scale 1 = 500 tickets, 20k receipts, 2k chats."""
    return {
        "companies": _lin(100, support, 3),
        "customers": _lin(300, support, 6),
        "agents": _lin(25, support, 4),
        "tickets": _lin(500, support, 10),
        "incoming_customers": _lin(200, support, 10),
        "stores": min(400, max(3, int(round(20 * math.sqrt(retail))))),
        "products": min(6000, max(60, int(round(500 * math.sqrt(retail))))),
        "receipts": _lin(20_000, retail, 50),
        "chats": _lin(2_000, contact, 20),
        "emails": _lin(1_000, contact, 20),
    }


@dataclass
class Config:
    scale: float = 1.0
    seed: int = 42
    end_date: dt.date = DEFAULT_END_DATE
    days: int | None = None  # None: the profile's window, else DEFAULT_DAYS
    profile: str | None = None
    domain_scales: dict = field(default_factory=dict)  # e.g. {"retail": 10.0}; scale mode only
    sizes: dict = field(default_factory=dict)
    basket_extra: float = DEFAULT_BASKET_EXTRA

    def __post_init__(self) -> None:
        if self.profile is not None:
            if self.profile not in PROFILES:
                raise ValueError(f"unknown profile {self.profile!r}; choose one of {', '.join(sorted(PROFILES))}")
            p = PROFILES[self.profile]
            self.sizes = dict(p["sizes"])
            self.basket_extra = float(p.get("basket_extra", DEFAULT_BASKET_EXTRA))
            if self.days is None:
                self.days = int(p["days"]) - 1  # n_days = days + 1
        else:
            s = float(self.scale)
            ds = {d: float(self.domain_scales.get(d, s)) for d in DOMAINS}
            self.sizes = linear_sizes(ds["support"], ds["retail"], ds["contact"])
            if self.days is None:
                self.days = DEFAULT_DAYS

    @property
    def is_uniform_scale(self) -> bool:
        return self.profile is None and all(float(v) == float(self.scale) for v in self.domain_scales.values())

    @property
    def volume_label(self) -> str:
        if self.profile is not None:
            return f"profile {self.profile}"
        if self.is_uniform_scale:
            return f"scale {self.scale:g}"
        return ", ".join(f"{d} scale {float(self.domain_scales.get(d, self.scale)):g}" for d in DOMAINS)

    # --- window -----------------------------------------------------------------------------
    @property
    def window_start(self) -> dt.date:
        return self.end_date - dt.timedelta(days=self.days)

    @property
    def n_days(self) -> int:
        """Number of calendar days in the window (inclusive)."""
        return self.days + 1

    @property
    def start_day(self) -> int:
        """Window start as days since epoch."""
        return (self.window_start - EPOCH).days

    @property
    def start_us(self) -> int:
        return self.start_day * DAY

    @property
    def extract_us(self) -> int:
        """extracted_at = end date 23:59:59 UTC, microseconds since epoch."""
        return ((self.end_date - EPOCH).days + 1) * DAY - SEC

    @property
    def extracted_at_iso(self) -> str:
        return f"{self.end_date.isoformat()}T23:59:59Z"

    def manifest(self) -> dict:
        m = {
            "extracted_at": self.extracted_at_iso,
            "window_start": self.window_start.isoformat(),
            "window_end": self.end_date.isoformat(),
            "generator": GENERATOR_NAME,
            "seed": int(self.seed),
        }
        # informational; when the domains are not all at one linear scale, `profile` says what
        # they are instead (the optional `scale` is then left out)
        if self.is_uniform_scale:
            m["scale"] = float(self.scale)
        else:
            m["profile"] = self.volume_label
        return m
