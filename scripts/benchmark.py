#!/usr/bin/env python3
"""Measure the generator and the warehouse build; print a table and write JSON.

    python scripts/benchmark.py [--generator-scales 1 100] [--build-scales 1] [--out FILE]

Each step runs in a fresh temporary folder as a child process; wall time and the child's peak
resident memory are recorded. The build is the project's one recipe (`cx_warehouse.build`:
raw preflight, `dbt build`, the post-build checks including the PII scan), as `make build` runs it. Nothing here is asserted: the numbers go to the README and notes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402


# A fresh wrapper process per step, so its RUSAGE_CHILDREN peak belongs to that step alone.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print('PEAK_RSS_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def measure(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command to completion; return wall seconds and its peak RSS in MiB."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *command], env=env, cwd=REPO,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{result.stdout[-3000:]}"
                 f"{result.stderr[-3000:]}")
    peak_kib = int(result.stdout.rsplit("PEAK_RSS_KIB", 1)[1].split()[0])
    return {"seconds": round(seconds, 1), "peak_rss_mib": round(peak_kib / 1024)}


def generate(scale: float, folder: Path) -> dict[str, float]:
    return measure([sys.executable, str(REPO / "scripts" / "generate_data.py"), "--scale",
                    str(scale), "--seed", "42", "--out", str(folder / "raw"), "--truth-out",
                    str(folder / "truth"), "--quiet"])


def build(folder: Path) -> dict[str, float]:
    """The build recipe every build runs (raw preflight, dbt build, post-build checks)."""
    return measure([sys.executable, "-m", "cx_warehouse.build", "--raw-dir", str(folder / "raw"),
                    "--warehouse", str(folder / "warehouse.duckdb"), "--target", "ci",
                    "--log-dir", str(folder), "--target-path", str(folder / "target"),
                    "--dbt-log-path", str(folder / "logs"), "--quiet"])


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--generator-scales", type=cli.number(positive=True, maximum=10_000,
                                                              example=100), nargs="*", default=[1, 100],
                        help="scales at which to time the generator (default: 1 100)")
    parser.add_argument("--build-scales", type=cli.number(positive=True, maximum=10_000,
                                                          example=1), nargs="*", default=[1],
                        help="scales at which to time the build recipe (python -m "
                             "cx_warehouse.build: preflight, dbt build, post-build checks; "
                             "default: 1)")
    parser.add_argument("--out", type=Path, default=REPO / "target" / "benchmarks.json",
                        help="where to write the JSON results")
    args = parser.parse_args(argv)
    results = []
    print(f"{'step':<22}{'scale':>8}{'seconds':>10}{'peak MiB':>10}", flush=True)
    for scale in sorted(set(args.generator_scales) | set(args.build_scales)):
        with tempfile.TemporaryDirectory(prefix="cx-bench-") as tmp:
            folder = Path(tmp)
            steps = [("generate_data", generate(scale, folder))]
            if scale in args.build_scales:
                steps.append(("build (recipe)", build(folder)))
            for step, numbers in steps:
                if step == "generate_data" and scale not in args.generator_scales:
                    continue
                results.append({"step": step, "scale": scale, **numbers})
                print(f"{step:<22}{scale:>8g}{numbers['seconds']:>10}"
                      f"{numbers['peak_rss_mib']:>10.0f}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": {"cpus": os.cpu_count()}, "results": results},
                                   indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
