#!/usr/bin/env python
"""Generate the synthetic CX Warehouse raw extract and ground truth.

Thin wrapper around ``cx_warehouse.generator.cli:main`` (also installed as ``cx-generate``).
Example: python scripts/generate_data.py --scale 1 --seed 42 --out data/raw --truth-out data/truth

``--batches daily`` writes the extract as daily loads instead (``<out>/loads/<YYYY-MM-DD>/``,
docs/raw_source_contract.md): the full extract is generated into a scratch folder beside
``--out`` and cut by ``cx_warehouse.loads.split_into_daily_loads``. ``--late-fraction F``
plants late data (that share of receipts, interactions, chats and emails arrives 1-3 days
late); ``--first-load YYYY-MM-DD`` puts everything up to that day into the first load.
"""

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cx_warehouse.generator.cli import main  # noqa: E402


def _fraction(value: str) -> float:
    try:
        fraction = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--late-fraction {value!r} is not a number; "
                                         "e.g. --late-fraction 0.02") from None
    if not 0 <= fraction < 1:
        raise argparse.ArgumentTypeError(f"--late-fraction {value!r} must be >= 0 and < 1")
    return fraction


def run(argv: list[str]) -> int:
    batches = argparse.ArgumentParser(add_help=False)
    batches.add_argument("--batches", choices=["full", "daily"], default="full")
    batches.add_argument("--late-fraction", type=_fraction, default=0.0)
    batches.add_argument("--first-load", default=None)
    batches.add_argument("--out", default="data/raw")
    try:
        known, rest = batches.parse_known_args(argv)
        seed_parser = argparse.ArgumentParser(add_help=False)
        seed_parser.add_argument("--seed", default="42")
        seed = seed_parser.parse_known_args(rest)[0].seed
    except SystemExit as error:
        return int(error.code or 2)
    if "-h" in rest or "--help" in rest:
        code = main(rest)
        print("\nbatch options (this script): --batches {full,daily} (daily: one folder per "
              "day under <out>/loads/), --late-fraction F, --first-load YYYY-MM-DD")
        return code
    if known.batches == "full":
        return main([*rest, "--out", known.out])
    from cx_warehouse.loads import SplitError, split_into_daily_loads

    out = Path(known.out)
    scratch = out.with_name(out.name + ".full-extract")
    shutil.rmtree(scratch, ignore_errors=True)
    code = main([*rest, "--out", str(scratch)])
    if code:
        return code
    if out.exists():
        shutil.rmtree(out)
    try:
        days = split_into_daily_loads(scratch, out, late_fraction=known.late_fraction,
                                      seed=int(seed), first_load=known.first_load)
    except (SplitError, ValueError) as error:
        print(f"generate_data: error: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"generate_data: {len(days)} daily load(s) {days[0]}..{days[-1]} in {out / 'loads'}")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
