"""Command line entry point: ``cx-generate`` / ``python scripts/generate_data.py``."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from .config import DEFAULT_DAYS, DEFAULT_END_DATE, DOMAIN_TABLES, DOMAINS, PROFILES, Config

EXIT_USAGE = 2


class UsageError(Exception):
    """A bad input: printed as one line, exit code 2."""


def _scale(v: str) -> float:
    try:
        f = float(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--scale must be a number > 0 (got {v!r}); e.g. --scale 1") from None
    if not math.isfinite(f) or f <= 0:
        raise argparse.ArgumentTypeError(f"--scale must be a number > 0 (got {v!r}); e.g. --scale 0.5 or --scale 10")
    if f > 10_000:
        raise argparse.ArgumentTypeError(f"--scale {v} is too large; use a value up to 10000")
    return f


def _domain_scale(flag: str):
    def parse(v: str) -> float:
        try:
            f = float(v)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be a number > 0 (got {v!r}); e.g. {flag} 10") from None
        if not math.isfinite(f) or f <= 0 or f > 10_000:
            raise argparse.ArgumentTypeError(f"{flag} must be a number > 0 and up to 10000 (got {v!r}); e.g. {flag} 10")
        return f
    return parse


def _profile(v: str) -> str:
    if v not in PROFILES:
        raise argparse.ArgumentTypeError(f"--profile {v!r} is unknown; choose one of: {', '.join(sorted(PROFILES))}")
    return v


def _seed(v: str) -> int:
    try:
        i = int(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a non-negative integer (got {v!r}); e.g. --seed 42") from None
    if i < 0:
        raise argparse.ArgumentTypeError(f"--seed must be a non-negative integer (got {v!r}); e.g. --seed 42")
    return i


def _date(v: str) -> dt.date:
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--end-date must be a date in YYYY-MM-DD form (got {v!r}); e.g. --end-date 2026-06-30") from None


def _days(v: str) -> int:
    try:
        i = int(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--days must be a whole number of days between 7 and 3650 (got {v!r})") from None
    if not 7 <= i <= 3650:
        raise argparse.ArgumentTypeError(f"--days must be between 7 and 3650 (got {v!r}); e.g. --days 180")
    return i


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        sys.stderr.write(f"cx-generate: error: {message}\n")
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="cx-generate",
        description="Generate the synthetic CX Warehouse raw extract (support, retail, chat, email, CRM) "
                    "plus hidden ground truth. Same --seed and --scale give byte-identical files.",
    )
    p.add_argument("--scale", type=_scale, default=1.0,
                   help="size multiplier (> 0, fractional allowed). Scale 1 = 500 tickets, 20k receipts, "
                        "2k chats... Default: 1")
    p.add_argument("--profile", type=_profile, default=None,
                   help="named per-domain volumes instead of --scale: 'large' = 400 stores, ~33M receipts / "
                        "~100M receipt lines, 800 chats and 1,200 emails a day, ~400 tickets a day, over 365 days")
    for d in DOMAINS:
        p.add_argument(f"--{d}-scale", type=_domain_scale(f"--{d}-scale"), default=None,
                       help=f"scale of the {d} tables only ({', '.join(DOMAIN_TABLES[d])}); default: --scale")
    p.add_argument("--seed", type=_seed, default=42, help="random seed (non-negative integer). Default: 42")
    p.add_argument("--out", default="data/raw", help="raw landing folder to write (created if missing). Default: data/raw")
    p.add_argument("--truth-out", default="data/truth",
                   help="ground-truth folder (never read by dbt). Default: data/truth")
    p.add_argument("--end-date", type=_date, default=DEFAULT_END_DATE,
                   help=f"last day of the data window, YYYY-MM-DD; extracted_at = that day 23:59:59Z. "
                        f"Default: {DEFAULT_END_DATE.isoformat()}")
    p.add_argument("--days", type=_days, default=None,
                   help=f"window length in days ending at --end-date. Default: {DEFAULT_DAYS} (the profile's own window "
                        f"with --profile)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    return p


def _check_dir(path: Path, flag: str) -> Path:
    p = path.expanduser()
    try:
        p.mkdir(parents=True, exist_ok=True)
    except (OSError, FileExistsError) as e:
        raise UsageError(f"{flag} {path}: cannot create folder ({e.strerror or e}); choose a writable folder") from None
    if not p.is_dir():
        raise UsageError(f"{flag} {path}: not a folder; choose a writable folder")
    try:
        fd, name = tempfile.mkstemp(prefix=".cx_write_test_", dir=p)
        os.close(fd)
        os.unlink(name)
    except OSError as e:
        raise UsageError(f"{flag} {path}: folder is not writable ({e.strerror or e}); choose a writable folder") from None
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.scale_given = any(a == "--scale" or a.startswith("--scale=") for a in argv)
    try:
        if args.end_date.year < 1990 or args.end_date.year > 2200:
            raise UsageError(f"--end-date {args.end_date.isoformat()} is out of range; use a date between 1990 and 2200")
        domain_scales = {d: getattr(args, f"{d}_scale") for d in DOMAINS if getattr(args, f"{d}_scale") is not None}
        if args.profile is not None:
            given = [f"--{d}-scale" for d in domain_scales] + (["--scale"] if args.scale_given else [])
            if given:
                raise UsageError(f"--profile {args.profile} sets every domain's volume; drop {', '.join(given)}")
        out = _check_dir(Path(args.out), "--out")
        truth = _check_dir(Path(args.truth_out), "--truth-out")
    except UsageError as e:
        sys.stderr.write(f"cx-generate: error: {e}\n")
        return EXIT_USAGE
    from .generate import generate

    cfg = Config(scale=args.scale, seed=args.seed, end_date=args.end_date,
                 days=args.days, profile=args.profile,
                 domain_scales=domain_scales)
    t0 = time.perf_counter()
    try:
        summary = generate(cfg, out, truth, progress=not args.quiet)
    except OSError as e:
        sys.stderr.write(f"cx-generate: error: writing failed ({e.strerror or e}: {e.filename}); "
                         f"check free space and permissions of --out / --truth-out\n")
        return EXIT_USAGE
    if not args.quiet:
        took = time.perf_counter() - t0
        print(f"wrote {len(summary)} raw files to {out} and ground truth to {truth} in {took:.1f}s "
              f"({cfg.volume_label}, seed {cfg.seed}, window {cfg.window_start}..{cfg.end_date})")
        for name, (rows, dirty) in summary.items():
            print(f"  {name:<28} {rows:>10,} rows  {dirty:>7,} dirty")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
