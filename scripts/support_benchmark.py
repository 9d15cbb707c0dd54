#!/usr/bin/env python3
"""Time the warehouse build per scale and explain where our SLA verdict differs from the source.

    python scripts/support_benchmark.py --scales 1 10          # generate, build, time, report
    python scripts/support_benchmark.py --warehouse FILE.duckdb  # report on a built warehouse

For each scale the dataset is generated (seed 42) into a temporary folder and built there by the
project's build recipe (`cx_warehouse.build`: preflight, dbt build, post-build checks) into its
own DuckDB file, so nothing else is touched. Printed per scale: wall time of the build, the slowest support models, and how our SLA
verdict (fct_tickets.is_sla_breached) compares with the source system's own `sla_breached`,
with each difference attributed to the first definition that explains it (see
docs/design/support.md). Nothing is asserted; the numbers go to the notes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402
from cx_warehouse import build as recipe  # noqa: E402
SUPPORT_PATHS = ("models/intermediate/support/", "models/marts/support/", "models/marts/ops/")

# Thresholds that reproduce the source system's own flag from its own numbers (calendar time,
# current priority, no pauses): first response minutes and resolution hours per priority.
SOURCE_TARGETS = {"CRITICAL": (60, 8), "HIGH": (240, 36), "MEDIUM": (720, 96), "LOW": (1440, 168)}

# Each step changes one definition from ours towards the source's; a difference is attributed to
# the first step after which our verdict equals the source flag.
ATTRIBUTION_SQL = """
with

events as (
    select
        ticket_id,
        max(case when sla_metric = 'first_response' then target_minutes end) as fr_target,
        max(case when sla_metric = 'resolution' then target_minutes end) as res_target,
        max(case when sla_metric = 'first_response' then calendar_elapsed_minutes end) as fr_cal,
        max(case when sla_metric = 'resolution' then calendar_elapsed_minutes end) as res_cal,
        max(case when sla_metric = 'resolution' then paused_minutes end) as res_paused
    from marts.fct_sla_events
    group by ticket_id
),

policies as (
    select * from reference.sla_policies
),

source_targets as (
    select * from (values {source_targets}) as t (priority, fr_minutes, res_hours)
),

steps as (
    select
        tickets.ticket_id,
        tickets.is_sla_breached as ours,
        tickets.is_source_sla_breached as source_flag,
        -- 1. calendar minutes instead of business minutes (still net of pauses)
        events.fr_cal > events.fr_target or events.res_cal > events.res_target as calendar_clock,
        -- 2. ... and no pause while pending the customer
        events.fr_cal > events.fr_target
        or events.res_cal + events.res_paused > events.res_target as no_pauses,
        -- 3. ... and the current priority instead of the priority when the clock started
        events.fr_cal > current_policy.first_response_target_minutes
        or events.res_cal + events.res_paused > current_policy.resolution_target_minutes
            as current_priority,
        -- 4. ... and the source's looser targets
        events.fr_cal > source_targets.fr_minutes
        or events.res_cal + events.res_paused > 60 * source_targets.res_hours as source_targets
    from marts.fct_tickets as tickets
    inner join events on tickets.ticket_id = events.ticket_id
    inner join policies as current_policy on tickets.priority = current_policy.priority
    inner join source_targets on tickets.priority = source_targets.priority
)

select
    count(*) as tickets,
    count(case when ours != source_flag then 1 end) as different,
    count(case when ours and not source_flag then 1 end) as breached_only_here,
    count(case when source_flag and not ours then 1 end) as breached_only_in_source,
    count(case when ours != source_flag and calendar_clock = source_flag then 1 end)
        as explained_by_business_hours,
    count(case when ours != source_flag and calendar_clock != source_flag
        and no_pauses = source_flag then 1 end) as explained_by_pauses,
    count(case when ours != source_flag and calendar_clock != source_flag
        and no_pauses != source_flag and current_priority = source_flag then 1 end)
        as explained_by_priority,
    count(case when ours != source_flag and calendar_clock != source_flag
        and no_pauses != source_flag and current_priority != source_flag
        and source_targets = source_flag then 1 end) as explained_by_targets,
    count(case when ours != source_flag and calendar_clock != source_flag
        and no_pauses != source_flag and current_priority != source_flag
        and source_targets != source_flag then 1 end) as unexplained,
    count(case when source_targets = source_flag then 1 end) as source_rule_reproduced
from steps
"""


def build(scale: float, folder: Path) -> dict:
    """Generate the scale and build it into folder/warehouse.duckdb with the build recipe (raw
    preflight, dbt build, post-build checks); time each step."""
    try:
        manifest = recipe.build(folder / "raw", folder / "warehouse.duckdb", target="ci",
                                log_dir=folder, target_path=folder / "target",
                                truth_dir=folder / "truth", generate_scale=scale, seed=42,
                                generate_always=True, dbt_log_path=folder / "logs", echo=False)
    except recipe.RecipeError as error:
        sys.exit(f"support_benchmark: scale {scale:g}: {error}")
    paths = {
        unique_id: node["original_file_path"]
        for unique_id, node in json.loads(
            (folder / "target" / "manifest.json").read_text())["nodes"].items()
    }
    support_models = {
        result["unique_id"].split(".")[-1]: result["execution_time"]
        for result in json.loads((folder / "build_run_results.json").read_text())["results"]
        if result["unique_id"].startswith("model.")
        and paths.get(result["unique_id"], "").startswith(SUPPORT_PATHS)
    }
    return {"scale": scale, "build_seconds": manifest.steps["build"].seconds,
            "post_build_seconds": manifest.steps["post_build"].seconds,
            "support_model_seconds": round(sum(support_models.values()), 1),
            "slowest_support_models": sorted(support_models.items(), key=lambda kv: -kv[1])[:3]}


def verdicts(warehouse: Path) -> dict:
    values = ", ".join(f"('{p}', {fr}, {res})" for p, (fr, res) in SOURCE_TARGETS.items())
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(ATTRIBUTION_SQL.format(source_targets=values))
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone()))
    finally:
        con.close()


def print_verdicts(label: str, numbers: dict) -> None:
    total = numbers["tickets"]

    def share(key: str) -> str:
        return f"{numbers[key]:>6} ({100 * numbers[key] / total:5.1f} %)"

    print(f"\nSLA verdict vs the source flag ({label}, {total} tickets)")
    for key in ("different", "breached_only_here", "breached_only_in_source",
                "explained_by_business_hours", "explained_by_pauses", "explained_by_priority",
                "explained_by_targets", "unexplained", "source_rule_reproduced"):
        print(f"  {key:<30}{share(key)}")


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="support_benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=cli.number(positive=True, maximum=10_000, example=1),
                        nargs="*", default=[1, 10],
                        help="scales to generate, build and report (default: 1 10)")
    parser.add_argument("--warehouse", type=cli.existing_file,
                        help="only report the SLA verdicts of this built DuckDB file")
    parser.add_argument("--out", type=Path, default=REPO / "target" / "support_benchmark.json",
                        help="where to write the JSON results")
    args = parser.parse_args(argv)
    if args.warehouse:
        if not args.warehouse.exists():
            parser.error(f"--warehouse {args.warehouse} does not exist; build it first")
        print_verdicts(str(args.warehouse), verdicts(args.warehouse))
        return 0
    results = []
    print(f"{'scale':>6}{'dbt build s':>13}{'post-build s':>14}{'support models s':>18}"
          "  slowest support models", flush=True)
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="cx-support-bench-") as tmp:
            numbers = build(scale, Path(tmp))
            numbers["verdicts"] = verdicts(Path(tmp) / "warehouse.duckdb")
        results.append(numbers)
        slowest = ", ".join(f"{name} {seconds:.1f}"
                            for name, seconds in numbers["slowest_support_models"])
        print(f"{scale:>6g}{numbers['build_seconds']:>13}{numbers['post_build_seconds']:>14}"
              f"{numbers['support_model_seconds']:>18}  {slowest}", flush=True)
    for numbers in results:
        print_verdicts(f"scale {numbers['scale']:g}", numbers["verdicts"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": {"cpus": os.cpu_count()}, "results": results},
                                   indent=2))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
