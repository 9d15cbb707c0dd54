#!/usr/bin/env python3
"""Measure the generator and the warehouse build; print one table per run and write JSON.

    python scripts/benchmark.py [--generator-scales 1 100] [--build-scales 1] [--out FILE]
    python scripts/benchmark.py --build-scales 10 --incremental [--runs 2]
    python scripts/benchmark.py --profile large [--incremental] [--runs 2]
    python scripts/benchmark.py --engines duckdb spark --scales 1 10

With --engines, each build scale is built once per engine (duckdb: target ci; spark: target
spark, local[2], the Spark warehouse in the run's folder; make install-spark), and a last table
puts the engines' build times and peak memory side by side. Spark's peak memory is the whole
process tree's: the driver JVM and the dbt process it runs in.

Each run works in a fresh temporary folder (or under --work-dir) and runs every step as a
child process: the generator (`scripts/generate_data.py`), then the project's one build recipe
(`cx_warehouse.build`: raw preflight, `dbt build`, the post-build checks including the PII
scan, publish to the serving file), as `make build` runs it. With --incremental the dataset is
cut into daily loads (`cx_warehouse.loads.split_into_daily_loads`) and the run builds every load
but the last (full build), builds again with no new data (no-change build), then adds the last
day's load and builds (one daily batch).

Per step it records the wall time, the peak memory (sum of the resident set sizes of the
step's whole process tree, sampled every 0.2 s; shared pages are counted once per process, so
it errs high), the peak size of DuckDB's temp (spill) directory, and the sizes of the warehouse
file, the serving file and the raw folder afterwards; per dbt node, its time (run_results.json)
and the peak memory of the tree while it ran (nodes run two at a time, so a node's peak is
shared with its neighbour's). With --runs N it prints the median of each step over the runs.
Nothing here is asserted: the numbers go to the README and the notes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cx_warehouse import cli  # noqa: E402
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024
#: Nodes listed per step in a run's table (the slowest first).
TOP_NODES = 12


class BenchmarkError(RuntimeError):
    """A step failed or an input is unusable; str() is the one-line message."""


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    return children


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants (from /proc)."""
    children, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def folder_size(path: Path) -> int:
    """Bytes of the files under path (0 when it does not exist)."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += (Path(folder) / name).stat().st_size
            except OSError:
                continue
    return total


class Sampler(threading.Thread):
    """Samples a process tree's RSS (every 0.2 s) and a folder's size (every 1 s)."""

    def __init__(self, pid: int, temp_dir: Path | None) -> None:
        super().__init__(daemon=True)
        self.pid, self.temp_dir = pid, temp_dir
        self.samples: list[tuple[float, int]] = []
        self.peak_temp = 0
        self.done = threading.Event()

    def run(self) -> None:
        last_du = 0.0
        while not self.done.is_set():
            now = time.time()
            self.samples.append((now, tree_rss(self.pid)))
            if self.temp_dir is not None and now - last_du >= 1.0:
                self.peak_temp = max(self.peak_temp, folder_size(self.temp_dir))
                last_du = now
            self.done.wait(0.2)

    def peak(self, start: float | None = None, end: float | None = None) -> int:
        values = [rss for moment, rss in self.samples
                  if (start is None or moment >= start - 0.2)
                  and (end is None or moment <= end + 0.2)]
        return max(values, default=0)


def measure(command: list[str], env: dict[str, str], temp_dir: Path | None = None
            ) -> tuple[dict[str, Any], Sampler]:
    """Run a command to completion, sampling its process tree; its output is kept for errors."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(command, env=env, cwd=REPO, stdout=output,
                                   stderr=subprocess.STDOUT, text=True)
        sampler = Sampler(process.pid, temp_dir)
        sampler.start()
        code = process.wait()
        sampler.done.set()
        sampler.join()
        output.seek(0)
        text = output.read()
    seconds = time.perf_counter() - started
    if code != 0:
        raise BenchmarkError(f"step failed (exit {code}): {' '.join(command)}\n{text[-3000:]}")
    return {"seconds": round(seconds, 1), "peak_rss_mib": round(sampler.peak() / MIB),
            "peak_temp_mib": round(sampler.peak_temp / MIB), "output": text}, sampler


def _instant(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def node_times(run_results: Path, sampler: Sampler) -> list[dict[str, Any]]:
    """Per dbt node of a run_results.json: seconds and the tree's peak RSS while it ran."""
    try:
        results = json.loads(run_results.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return []
    nodes = []
    for result in results:
        execute = [t for t in result.get("timing", []) if t.get("name") == "execute"]
        if not execute or not execute[0].get("started_at"):
            continue
        start, end = _instant(execute[0]["started_at"]), _instant(execute[0]["completed_at"])
        nodes.append({"node": result["unique_id"].split(".", 1)[0] + " "
                      + result["unique_id"].rsplit(".", 1)[-1]
                      if not result["unique_id"].startswith("test.")
                      else "test " + result["unique_id"].split(".")[2],
                      "seconds": round(float(result.get("execution_time") or 0), 2),
                      "peak_rss_mib": round(sampler.peak(start, end) / MIB)})
    return sorted(nodes, key=lambda node: -node["seconds"])


def child_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ, DO_NOT_TRACK="1", PYTHONUNBUFFERED="1",
               CX_DUCKDB_TEMP_DIR=str(folder / "duckdb_tmp"))
    env.pop("CX_PII_SALT", None)
    return env


def generate(folder: Path, raw: Path, scale: float | None, profile: str | None
             ) -> dict[str, Any]:
    """The generator at a scale or a profile, into raw (ground truth beside it)."""
    size = ["--profile", profile] if profile else ["--scale", f"{scale:g}"]
    command = [sys.executable, str(REPO / "scripts" / "generate_data.py"), *size, "--seed", "42",
               "--out", str(raw), "--truth-out", str(folder / "truth"), "--quiet"]
    try:
        numbers, _ = measure(command, child_env(folder))
    except BenchmarkError as error:
        if profile and ("--profile" in str(error) or "profile" in str(error).lower()):
            raise BenchmarkError(
                f"the generator rejected --profile {profile} (scripts/generate_data.py has no "
                "such profile in this tree yet); its message:\n"
                + str(error).split("\n", 1)[-1][-1500:]) from None
        raise
    numbers.pop("output")
    numbers["raw_mib"] = round(folder_size(raw) / MIB)
    return numbers


def build(folder: Path, raw: Path, label: str, engine: str = "duckdb") -> dict[str, Any]:
    """One run of the build recipe (preflight, dbt build, post-build checks, publish)."""
    logs = folder / "logs" / label
    warehouse, serving = folder / "warehouse.duckdb", folder / "serving.duckdb"
    target = "spark" if engine == "spark" else "ci"
    command = [sys.executable, "-m", "cx_warehouse.build", "--raw-dir", str(raw),
               "--warehouse", str(warehouse), "--target", target, "--log-dir", str(logs),
               "--target-path", str(folder / "target"), "--dbt-log-path",
               str(folder / "dbt_logs"), "--publish", "--serving", str(serving), "--quiet",
               "--dev-salt"]
    env = child_env(folder)
    if engine == "spark":
        env["CX_SPARK_DIR"] = str(folder / "spark")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    numbers, sampler = measure(command, env, folder / "duckdb_tmp")
    numbers.pop("output")
    manifest = json.loads((logs / "build.json").read_text())
    numbers["step_seconds"] = {name: step.get("seconds")
                               for name, step in manifest["steps"].items()}
    numbers["warehouse_mib"] = round(folder_size(warehouse) / MIB, 1)
    numbers["serving_mib"] = round(folder_size(serving) / MIB, 1)
    numbers["raw_mib"] = round(folder_size(raw) / MIB)
    numbers["nodes"] = {step: node_times(logs / f"{step}_run_results.json", sampler)
                        for step in ("build", "post_build")}
    python_models = [node for node in numbers["nodes"]["build"]
                     if node["node"].split(" ")[-1] in python_model_names()]
    numbers["python_models_seconds"] = round(sum(node["seconds"] for node in python_models), 1)
    return numbers


def python_model_names() -> set[str]:
    return {path.stem for path in (REPO / "models").rglob("*.py")}


def daily_loads(full: Path, out: Path) -> Path:
    """Cut the generated landing folder into daily loads; returns the folder holding them."""
    try:
        from cx_warehouse.loads import split_into_daily_loads
    except ImportError as error:
        raise BenchmarkError(
            "--incremental needs the daily loads (cx_warehouse.loads.split_into_daily_loads), "
            f"which this tree does not have yet ({error}); run without --incremental") from None
    split_into_daily_loads(full, out)
    return out


def load_folders(landing: Path) -> list[Path]:
    """The daily load folders (loads/<YYYY-MM-DD>) of a landing folder, oldest first."""
    loads = landing / "loads"
    folders = []
    for folder in sorted(loads.iterdir()) if loads.is_dir() else []:
        try:
            dt.date.fromisoformat(folder.name)
        except ValueError:
            continue
        folders.append(folder)
    return folders


def one_run(folder: Path, scale: float | None, profile: str | None, incremental: bool,
            do_build: bool, engines: tuple[str, ...] = ("duckdb",)) -> list[dict[str, Any]]:
    """The steps of one run, each a dict with its numbers."""
    label = profile or f"scale {scale:g}"
    steps: list[dict[str, Any]] = []
    generated = folder / ("generated" if incremental else "raw")
    steps.append({"step": "generate_data", "dataset": label,
                  **generate(folder, generated, scale, profile)})
    if not do_build:
        return steps
    raw = folder / "raw"
    if incremental:
        split = daily_loads(generated, folder / "split")
        loads = load_folders(split)
        if len(loads) < 2:
            raise BenchmarkError(f"split_into_daily_loads wrote {len(loads)} daily load(s) "
                                 f"into {split}/loads; --incremental needs at least 2")
        last = loads[-1]
        shutil.copytree(split, raw, ignore=lambda where, names: [
            name for name in names if Path(where) / name == last])
        shutil.rmtree(generated)
        steps.append({"step": "full build", "dataset": label, **build(folder, raw, "full")})
        steps.append({"step": "no-change build", "dataset": label,
                      **build(folder, raw, "no_change")})
        shutil.copytree(last, raw / "loads" / last.name)
        steps.append({"step": f"daily batch {last.name}", "dataset": label,
                      **build(folder, raw, "daily")})
    elif engines == ("duckdb",):
        steps.append({"step": "build (recipe)", "dataset": label, **build(folder, raw, "full")})
    else:
        for engine in engines:
            steps.append({"step": f"build ({engine})", "dataset": label, "engine": engine,
                          **build(folder, raw, f"full_{engine}", engine)})
    return steps


def print_engines(results: list[dict[str, Any]]) -> None:
    """The engines' builds side by side: one row per dataset, seconds and peak MiB each."""
    builds = [step for step in results if step.get("engine")]
    engines = list(dict.fromkeys(step["engine"] for step in builds))
    if not builds:
        return
    print("\nengines side by side (build recipe: preflight, dbt build, post-build checks, "
          "publish)")
    print(f"{'dataset':<12}" + "".join(f"{engine + ' s':>14}{engine + ' peak MiB':>20}"
                                       for engine in engines))
    for dataset in dict.fromkeys(step["dataset"] for step in builds):
        cells = ""
        for engine in engines:
            step = next((s for s in builds if s["dataset"] == dataset and s["engine"] == engine),
                        {})
            cells += f"{step.get('seconds', ''):>14}{step.get('peak_rss_mib', ''):>20}"
        print(f"{dataset:<12}{cells}")
    sys.stdout.flush()


COLUMNS = (("seconds", "s"), ("peak_rss_mib", "peak MiB"), ("peak_temp_mib", "temp MiB"),
           ("python_models_seconds", "py s"), ("warehouse_mib", "wh MiB"),
           ("serving_mib", "serve MiB"), ("raw_mib", "raw MiB"))


def print_steps(title: str, steps: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'step':<28}{'dataset':<12}" + "".join(f"{head:>11}" for _, head in COLUMNS))
    for step in steps:
        cells = "".join(f"{'' if step.get(key) is None else step[key]:>11}"
                        for key, _ in COLUMNS)
        print(f"{step['step']:<28}{step['dataset']:<12}{cells}")
    for step in steps:
        for phase, nodes in (step.get("nodes") or {}).items():
            if not nodes:
                continue
            print(f"  {step['step']}, {phase}: slowest {min(TOP_NODES, len(nodes))} of "
                  f"{len(nodes)} nodes (seconds, peak MiB of the tree while it ran)")
            for node in nodes[:TOP_NODES]:
                print(f"    {node['node']:<70}{node['seconds']:>9}{node['peak_rss_mib']:>9}")
    sys.stdout.flush()


def medians(runs: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out = []
    for position, step in enumerate(runs[0]):
        same = [run[position] for run in runs if len(run) > position]
        row = {"step": step["step"], "dataset": step["dataset"]}
        for key, _ in COLUMNS:
            values = [run[key] for run in same if run.get(key) is not None]
            if values:
                row[key] = round(statistics.median(values), 1)
        out.append(row)
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = cli.Parser(prog="benchmark.py", description=__doc__.splitlines()[0])
    parser.add_argument("--generator-scales",
                        type=cli.number(positive=True, maximum=10_000, example=100), nargs="*", default=None,
                        help="scales at which to time the generator (default: 1 100; none "
                             "with --profile)")
    parser.add_argument("--build-scales",
                        type=cli.number(positive=True, maximum=10_000, example=1), nargs="*", default=None,
                        help="scales at which to time the build recipe (default: 1; none with "
                             "--profile)")
    parser.add_argument("--scales", dest="build_scales",
                        type=cli.number(positive=True, maximum=10_000, example=1), nargs="*",
                        help="the same as --build-scales")
    parser.add_argument("--engines", nargs="+", choices=["duckdb", "spark"], default=None,
                        help="build each build scale on these engines and compare them "
                             "(default: duckdb only; spark needs make install-spark)")
    parser.add_argument("--profile", choices=["large"], default=None,
                        help="also generate and build this profile of the generator "
                             "(scripts/generate_data.py --profile)")
    parser.add_argument("--incremental", action="store_true",
                        help="after the full build: a no-change build, then one new daily "
                             "batch (needs cx_warehouse.loads)")
    parser.add_argument("--runs", type=cli.integer(minimum=1, example=2), default=1,
                        help="runs of each dataset; with 2 or more the medians are printed "
                             "(default: 1)")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="where each run's folder goes and stays (default: a temporary "
                             "folder, removed afterwards)")
    parser.add_argument("--out", type=Path, default=REPO / "target" / "benchmarks.json",
                        help="where to write the JSON results")
    args = parser.parse_args(argv)
    if args.generator_scales is None:
        args.generator_scales = [] if args.profile or args.engines else [1, 100]
    if args.engines and args.incremental:
        parser.error("--engines compares full builds; leave out --incremental")
    if args.build_scales is None:
        args.build_scales = [] if args.profile else [1]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    datasets: list[tuple[float | None, str | None, bool]] = [
        (scale, None, scale in args.build_scales)
        for scale in sorted(set(args.generator_scales) | set(args.build_scales))]
    if args.profile:
        datasets.append((None, args.profile, True))
    results: list[dict[str, Any]] = []
    try:
        for scale, profile, do_build in datasets:
            runs = []
            for number in range(1, args.runs + 1):
                if args.work_dir:
                    folder = args.work_dir / f"{profile or f'scale-{scale:g}'}-run{number}"
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir(parents=True)
                else:
                    folder = Path(tempfile.mkdtemp(prefix="cx-bench-"))
                try:
                    steps = one_run(folder, scale, profile, args.incremental and do_build,
                                    do_build, tuple(args.engines or ("duckdb",)))
                finally:
                    if not args.work_dir:
                        shutil.rmtree(folder, ignore_errors=True)
                if scale is not None and scale not in args.generator_scales:
                    steps = [step for step in steps if step["step"] != "generate_data"]
                print_steps(f"run {number} of {args.runs}, {profile or f'scale {scale:g}'}",
                            steps)
                runs.append(steps)
                results.extend({**step, "run": number} for step in steps)
            if len(runs) > 1:
                print_steps(f"median of {len(runs)} runs, {profile or f'scale {scale:g}'}",
                            medians(runs))
        print_engines(results)
    except BenchmarkError as error:
        print(f"benchmark: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("benchmark: interrupted", file=sys.stderr)
        return 130
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": {"cpus": os.cpu_count()}, "results": results},
                                   indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
