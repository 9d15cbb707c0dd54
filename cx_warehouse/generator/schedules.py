"""Business-hours clocks of the support desk, read from the warehouse's own seeds.

The generator times first responses and resolutions in the business minutes the warehouse
measures them in (seeds `business_hours`, `holidays`, `sla_policies`), so "most tickets meet
their SLA" holds by the warehouse's definition, not by a look-alike of it.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from .util import DAY, MIN

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EPOCH = dt.date(1970, 1, 1)


def _read(name: str) -> list[dict]:
    path = SEEDS / name
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        raise RuntimeError(f"cannot read seed {path} ({e.strerror or e}); run from a full checkout") from None


def sla_targets() -> dict[str, tuple[float, float, bool]]:
    """priority -> (first response target minutes, resolution target minutes, is business hours)."""
    return {r["priority"]: (float(r["first_response_target_minutes"]), float(r["resolution_target_minutes"]),
                            r["is_business_hours"].strip().lower() == "true") for r in _read("sla_policies.csv")}


class BusinessClock:
    """B(t): open minutes of one schedule from an origin to instant t (UTC microseconds), and B⁻¹."""

    def __init__(self, windows: list[tuple[int, int, int]], tz: str, holidays: set[dt.date],
                 first: dt.date, last: dt.date) -> None:
        zone = ZoneInfo(tz)
        by_dow: dict[int, list[tuple[int, int]]] = {}
        for dow, start, end in windows:
            by_dow.setdefault(dow, []).append((start, end))
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum: list[float] = []  # open minutes before window i
        total = 0.0
        d = first
        while d <= last:
            if d not in holidays:
                for start, end in sorted(by_dow.get(d.isoweekday(), [])):
                    a = _utc_us(d, start, zone)
                    b = _utc_us(d, end, zone)
                    if self.ends and a < self.ends[-1]:  # windows touching across midnight
                        a = self.ends[-1]
                    if b > a:
                        self.starts.append(a)
                        self.ends.append(b)
                        self.cum.append(total)
                        total += (b - a) / MIN
            d += dt.timedelta(days=1)
        self.total = total

    def minutes(self, t: int) -> float:
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        return self.cum[i] + (min(t, self.ends[i]) - self.starts[i]) / MIN

    def instant(self, m: float) -> int:
        """Earliest instant at which m open minutes have passed (past the calendar: its end)."""
        i = bisect.bisect_right(self.cum, m) - 1
        if i < 0:
            return self.starts[0]
        t = self.starts[i] + int(round((m - self.cum[i]) * MIN))
        return min(t, self.ends[i]) if i + 1 < len(self.starts) else t

    def add(self, t: int, m: float) -> int:
        """The instant m open minutes after t."""
        return self.instant(self.minutes(t) + m)


def _utc_us(d: dt.date, minute: int, zone: ZoneInfo) -> int:
    local = dt.datetime.combine(d, dt.time()) + dt.timedelta(minutes=minute)
    off = local.replace(tzinfo=zone).utcoffset()
    return ((d - EPOCH).days * DAY + minute * MIN) - int(off.total_seconds()) * 1_000_000


def build_clocks(first: dt.date, last: dt.date) -> dict[str, BusinessClock]:
    """schedule_id -> its clock over [first, last] (local dates)."""
    hol: dict[str, set[dt.date]] = {}
    for r in _read("holidays.csv"):
        hol.setdefault(r["holiday_calendar"], set()).add(dt.date.fromisoformat(r["holiday_date"]))
    rows: dict[str, list[dict]] = {}
    for r in _read("business_hours.csv"):
        rows.setdefault(r["schedule_id"], []).append(r)
    clocks = {}
    for sid, rs in rows.items():
        windows = [(int(r["day_of_week"]), int(r["start_minute"]), int(r["end_minute"])) for r in rs]
        cal = (rs[0].get("holiday_calendar") or "").strip()
        clocks[sid] = BusinessClock(windows, rs[0]["timezone"], hol.get(cal, set()) if cal else set(), first, last)
    return clocks
