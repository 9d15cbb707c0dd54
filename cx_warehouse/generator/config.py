"""Generator configuration: window, scale and table sizes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .util import DAY, SEC

EPOCH = dt.date(1970, 1, 1)
DEFAULT_END_DATE = dt.date(2026, 6, 30)
GENERATOR_NAME = "cx_warehouse 0.1.0"
DIRTY_RATE = 0.02


def _lin(base: float, scale: float, minimum: int = 1) -> int:
    return max(minimum, int(round(base * scale)))


@dataclass
class Config:
    scale: float = 1.0
    seed: int = 42
    end_date: dt.date = DEFAULT_END_DATE
    days: int = 180
    sizes: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        s = float(self.scale)
        self.sizes = {
            "companies": _lin(100, s, 3),
            "customers": _lin(300, s, 6),
            "agents": _lin(25, s, 4),
            "tickets": _lin(500, s, 10),
            "stores": min(400, max(3, int(round(20 * math.sqrt(s))))),
            "products": min(6000, max(60, int(round(500 * math.sqrt(s))))),
            "receipts": _lin(20_000, s, 50),
            "chats": _lin(2_000, s, 20),
            "emails": _lin(1_000, s, 20),
            "incoming_customers": _lin(200, s, 10),
        }

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
        return {
            "extracted_at": self.extracted_at_iso,
            "window_start": self.window_start.isoformat(),
            "window_end": self.end_date.isoformat(),
            "generator": GENERATOR_NAME,
            "seed": int(self.seed),
            "scale": float(self.scale),
        }
