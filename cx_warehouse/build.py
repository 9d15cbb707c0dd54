"""The one build recipe: `make build`, `make test`, the benchmarks and the pytest fixtures run it.

    python -m cx_warehouse.build --raw-dir D --warehouse W --target ci|dev
        [--generate | --generate-if-missing] [--scale S] [--seed N] [--truth-dir T]
        [--publish [--serving F]] [--log-dir L] [--target-path P]

Steps, in order; the first that fails stops the recipe with a one-line error and its exit code:

1. generate (optional): the synthetic dataset into D (and its ground truth into T);
2. raw preflight (`cx_warehouse.preflight`, what `scripts/check_raw.py` runs): every raw file a
   source declares exists and is readable; one line per bad file, exit 2;
3. the build-in-progress marker `W.build-in-progress` (publish refuses a warehouse that has one);
4. `dbt build --exclude tag:post_build` (seeds, models, data tests; unit tests for target ci
   only, UNIT_TEST_TARGETS); on a Spark target (profiles.yml type spark) dbt runs inside
   `python -m cx_warehouse.spark_runner`;
5. `dbt build --select tag:post_build` (whole-warehouse checks: the PII scan's model
   audit_pii_scan, which reads only what changed, and its test);
6. the marker is removed, only when both dbt steps passed;
7. publish (optional): `scripts/publish.py` copies the public schemas to the serving file.

Each dbt step's output is printed and written to L/build.log and L/post_build.log (its
run_results.json to L/build_run_results.json, L/post_build_run_results.json), and the
recipe writes L/build.json (scale and seed of the dataset, target, salt, each step's exit code
and seconds) as it goes, so a later reader (the pytest fixtures) can tell whether the build is
the one it needs. Targets `ci` and `dev` of test builds hash with the public development salt:
`--target ci` always unsets CX_PII_SALT (`--dev-salt` does it for any target), `dev` keeps the
caller's CX_PII_SALT as `make build` always did.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

from cx_warehouse import preflight

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MANIFEST_NAME = "build.json"
MANIFEST_VERSION = 1
#: Exit status of a failed preflight or a bad argument (like scripts/check_raw.py).
EXIT_PREFLIGHT = 2
#: dbt steps of a build, in order: (name in the manifest and log file, dbt arguments).
DBT_STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("build", ("build", "--exclude", "tag:post_build")),
    ("post_build", ("build", "--select", "tag:post_build")),
)
#: dbt's unit tests check the models' logic on mocked rows, not the data: they run in the CI
#: build (target ci, make test's test-dbt) and are left out of the builds of real data (make
#: build's dev and prod), as dbt recommends for production runs. --unit-tests overrides.
UNIT_TEST_TARGETS = ("ci",)


class RecipeError(RuntimeError):
    """A step of the recipe failed; str() is the one-line message, `code` the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Step:
    name: str
    returncode: int | None = None
    seconds: float | None = None
    log: str | None = None


@dataclass
class BuildManifest:
    """What L/build.json records of one run of the recipe."""

    raw_dir: str
    truth_dir: str | None
    warehouse: str
    target: str
    target_path: str
    development_salt: bool
    project_dir: str = str(REPO)
    unit_tests: bool = True
    scale: float | None = None
    seed: int | None = None
    version: int = MANIFEST_VERSION
    started_at: str = ""
    finished_at: str | None = None
    returncode: int | None = None
    steps: dict[str, Step] = field(default_factory=dict)

    def write(self, log_dir: Path) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        temp = log_dir / f".{MANIFEST_NAME}.tmp"
        temp.write_text(json.dumps(asdict(self), indent=2) + "\n")
        os.replace(temp, log_dir / MANIFEST_NAME)


def read_manifest(log_dir: Path) -> dict | None:
    """The build.json the recipe wrote into log_dir, or None when there is none (or unreadable)."""
    try:
        return json.loads((Path(log_dir) / MANIFEST_NAME).read_text())
    except (OSError, ValueError):
        return None


def extract_manifests(raw_dir: Path) -> list[Path]:
    """The landing folder's _extract.json files: the full extract's at its root and one per
    daily load (loads/<YYYY-MM-DD>/), oldest first (docs/raw_source_contract.md)."""
    raw_dir = Path(raw_dir)
    root = [raw_dir / "_extract.json"] if (raw_dir / "_extract.json").is_file() else []
    return root + sorted(raw_dir.glob("loads/*/_extract.json"))


def dataset_identity(raw_dir: Path) -> tuple[float | None, int | None]:
    """(scale, seed) of a generated landing folder, from the generator's _extract.json (the
    newest load's, for daily loads)."""
    try:
        extract = json.loads(extract_manifests(raw_dir)[-1].read_text())
        return float(extract["scale"]), int(extract["seed"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None, None


def generate(raw_dir: Path, truth_dir: Path, scale: float, seed: int, quiet: bool = True) -> None:
    """Step 1: generate the synthetic dataset (a child process, so its memory is returned)."""
    command = [sys.executable, str(REPO / "scripts" / "generate_data.py"), "--scale", str(scale),
               "--seed", str(seed), "--out", str(raw_dir), "--truth-out", str(truth_dir)]
    result = subprocess.run([*command, *(["--quiet"] if quiet else [])], cwd=REPO)
    if result.returncode != 0:
        raise RecipeError(f"generating scale {scale:g} seed {seed} into {raw_dir} failed (exit "
                          f"{result.returncode}); see the generator's message above",
                          result.returncode)


def check_raw(raw_dir: Path, target: str, project_dir: Path = REPO) -> str:
    """Step 2: the raw preflight; returns its summary line, raises with every problem."""
    files = preflight.declared_raw_files(project_dir, raw_dir)
    report = preflight.check_raw_files(files, target=target)
    for warning in report.warnings:
        print(f"check_raw: warning: {warning}", file=sys.stderr)
    if report.problems:
        for problem in report.problems:
            print(f"check_raw: {problem}", file=sys.stderr)
        raise RecipeError(f"{len(report.problems)} problem(s) in the raw files of {raw_dir}; "
                          "fix them (one line each above) and build again", EXIT_PREFLIGHT)
    return preflight.summary(report, raw_dir)


def dbt_environment(raw_dir: Path, warehouse: Path, truth_dir: Path | None = None,
                    development_salt: bool = True, project_dir: Path = REPO,
                    base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every dbt step of the recipe runs with."""
    env = dict(os.environ if base is None else base)
    # PYTHONUNBUFFERED: dbt's progress lines reach the log as they happen, not in blocks.
    env.update(DO_NOT_TRACK="1", PYTHONUNBUFFERED="1", DBT_PROJECT_DIR=str(project_dir),
               DBT_PROFILES_DIR=str(project_dir), CX_RAW_DIR=str(raw_dir),
               CX_WAREHOUSE_PATH=str(warehouse))
    if truth_dir is not None:
        env["CX_TRUTH_DIR"] = str(truth_dir)
    if development_salt:
        env.pop("CX_PII_SALT", None)
    return env


def run_logged(command: Sequence[str], env: dict[str, str], log: Path, echo: bool) -> int:
    """Run a command; its output goes to `log` and (when echo) to stdout as it comes."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as handle:
        process = subprocess.Popen(list(command), cwd=REPO, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert process.stdout is not None
        for line in process.stdout:
            handle.write(line)
            if echo:
                sys.stdout.write(line)
                sys.stdout.flush()
        return process.wait()


def target_type(target: str, project_dir: Path = REPO) -> str:
    """The adapter type of a dbt target in profiles.yml ('duckdb', 'spark'); '' if unknown."""
    import yaml  # dbt's own dependency

    try:
        profiles = yaml.safe_load((Path(project_dir) / "profiles.yml").read_text())
        return str(profiles["cx_warehouse"]["outputs"][target]["type"])
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        return ""


def dbt_command(target: str, project_dir: Path = REPO) -> list[str]:
    """How the recipe starts dbt: the dbt executable, or for a Spark session target the
    in-process runner (cx_warehouse/spark_runner.py), which creates the SparkSession first."""
    if target_type(target, project_dir) == "spark":
        return [sys.executable, "-m", "cx_warehouse.spark_runner"]
    return [str(BIN / "dbt")]


def marker(warehouse: Path) -> Path:
    """`W.build-in-progress`: present while dbt may be rewriting W (cx_warehouse.publish)."""
    return warehouse.with_name(warehouse.name + ".build-in-progress")


def build(raw_dir: Path, warehouse: Path, *, target: str = "dev", log_dir: Path | None = None,
          target_path: Path | None = None, truth_dir: Path | None = None,
          generate_scale: float | None = None, seed: int = 42, generate_always: bool = False,
          development_salt: bool | None = None, publish_to: Path | None = None,
          dbt_log_path: Path | None = None, echo: bool = True, project_dir: Path = REPO,
          base_env: dict[str, str] | None = None,
          unit_tests: bool | None = None) -> BuildManifest:
    """Run the recipe; returns its manifest (returncode 0) or raises RecipeError.

    unit_tests: run dbt's unit tests in the build (default: only for UNIT_TEST_TARGETS).

    generate_scale: generate the dataset at this scale first, always (generate_always) or only
    when raw_dir has no _extract.json yet. publish_to: publish to this serving file at the end.
    """
    raw_dir, warehouse = Path(raw_dir).resolve(), Path(warehouse).resolve()
    log_dir = Path(log_dir).resolve() if log_dir else warehouse.parent
    if target_path is None:
        target_path = Path(os.environ.get("DBT_TARGET_PATH") or project_dir / "target")
    target_path = Path(target_path).resolve()
    if truth_dir is None and generate_scale is not None:
        truth_dir = raw_dir.parent / "truth"
    if development_salt is None:
        development_salt = target == "ci"
    if unit_tests is None:
        unit_tests = target in UNIT_TEST_TARGETS
    manifest = BuildManifest(
        raw_dir=str(raw_dir), truth_dir=str(truth_dir) if truth_dir else None,
        warehouse=str(warehouse), target=target, target_path=str(target_path),
        development_salt=development_salt, project_dir=str(Path(project_dir).resolve()),
        unit_tests=unit_tests,
        started_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    def finish(code: int) -> BuildManifest:
        manifest.returncode = code
        manifest.finished_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        manifest.write(log_dir)
        return manifest

    def timed_step(name: str) -> Step:
        step = manifest.steps[name] = Step(name)
        manifest.write(log_dir)
        return step

    try:
        if generate_scale is not None and (generate_always
                                           or not extract_manifests(raw_dir)):
            step, started = timed_step("generate"), time.perf_counter()
            generate(raw_dir, truth_dir or raw_dir.parent / "truth", generate_scale, seed)
            step.returncode, step.seconds = 0, round(time.perf_counter() - started, 1)
        manifest.scale, manifest.seed = dataset_identity(raw_dir)

        step, started = timed_step("preflight"), time.perf_counter()
        summary = check_raw(raw_dir, target, project_dir)
        if echo:
            print(summary, flush=True)
        step.returncode, step.seconds = 0, round(time.perf_counter() - started, 1)

        warehouse.parent.mkdir(parents=True, exist_ok=True)
        marker(warehouse).touch()
        env = dbt_environment(raw_dir, warehouse, truth_dir, development_salt, project_dir,
                              base_env)
        dbt = dbt_command(target, project_dir)
        if len(dbt) > 1:
            # Spark: the warehouse and metastore beside the warehouse path (data/spark), and
            # this repository's cx_warehouse importable by the runner and the executors.
            env.setdefault("CX_SPARK_DIR", str(warehouse.parent / "spark"))
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
        common = ["--target", target, "--target-path", str(target_path)]
        if dbt_log_path is not None:
            common += ["--log-path", str(dbt_log_path)]
        for name, arguments in DBT_STEPS:
            if name == "build" and not unit_tests:
                arguments = (*arguments, "--exclude-resource-type", "unit_test")
            step, started = timed_step(name), time.perf_counter()
            step.log = str(log_dir / f"{name}.log")
            step.returncode = run_logged([*dbt, *arguments, *common], env,
                                         Path(step.log), echo)
            step.seconds = round(time.perf_counter() - started, 1)
            # Each step's run_results.json is kept (the next dbt command overwrites target's).
            results = target_path / "run_results.json"
            if results.exists():
                shutil.copyfile(results, log_dir / f"{name}_run_results.json")
            if step.returncode != 0:
                raise RecipeError(f"`dbt {' '.join(arguments)} --target {target}` failed (exit "
                                  f"{step.returncode}); its output is in {step.log}",
                                  step.returncode)
        marker(warehouse).unlink(missing_ok=True)

        if publish_to is not None:
            step, started = timed_step("publish"), time.perf_counter()
            engine = ["--engine", "spark"] if len(dbt) > 1 else []
            step.returncode = subprocess.run(
                [sys.executable, str(REPO / "scripts" / "publish.py"), "--warehouse",
                 str(warehouse), "--serving", str(publish_to), "--target-dir",
                 str(target_path), *engine], cwd=REPO, env=env).returncode
            step.seconds = round(time.perf_counter() - started, 1)
            if step.returncode != 0:
                raise RecipeError(f"publishing {warehouse} to {publish_to} failed (exit "
                                  f"{step.returncode}); see the message above", step.returncode)
    except RecipeError as error:
        finish(error.code)
        raise
    except (OSError, ValueError, KeyError) as error:
        finish(1)
        raise RecipeError(f"{type(error).__name__}: {error}") from error
    return finish(0)


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--scale {value!r} is not a number; e.g. --scale 1")
    if not 0 < scale < float("inf"):
        raise argparse.ArgumentTypeError(f"--scale {value!r} must be a positive finite number")
    return scale


def _seed(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"--seed {value!r} must be a non-negative integer")
    return int(value)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cx_warehouse.build",
        description="Build the warehouse: [generate,] preflight the raw files, dbt build, the "
                    "post-build checks (PII scan) [, publish]. The one recipe of make build, "
                    "make test, the benchmarks and the pytest fixtures.",
        epilog="Exit status: 0 built; 2 bad arguments or raw files; otherwise dbt's exit code.")
    env = os.environ.get
    parser.add_argument("--raw-dir", type=Path, default=env("CX_RAW_DIR"),
                        required=not env("CX_RAW_DIR"),
                        help="landing folder of the raw files (default: $CX_RAW_DIR)")
    parser.add_argument("--warehouse", type=Path, default=env("CX_WAREHOUSE_PATH"),
                        required=not env("CX_WAREHOUSE_PATH"),
                        help="DuckDB file dbt builds (default: $CX_WAREHOUSE_PATH)")
    parser.add_argument("--target", default="dev",
                        help="dbt target: dev (make build), ci (make test), prod, or spark "
                             "(Apache Spark through cx_warehouse/spark_runner.py; the Spark "
                             "warehouse goes to $CX_SPARK_DIR, else spark/ beside --warehouse) "
                             "(default: dev)")
    generation = parser.add_mutually_exclusive_group()
    generation.add_argument("--generate", action="store_true",
                            help="generate the dataset into --raw-dir first (replacing it)")
    generation.add_argument("--generate-if-missing", action="store_true",
                            help="generate it only when --raw-dir has no _extract.json (at its "
                                 "root or in a daily load)")
    parser.add_argument("--scale", type=_scale, default=1.0,
                        help="dataset scale to generate (default: 1)")
    parser.add_argument("--seed", type=_seed, default=42,
                        help="random seed to generate with (default: 42)")
    parser.add_argument("--truth-dir", type=Path, default=env("CX_TRUTH_DIR"),
                        help="where the generator writes the ground truth (default: "
                             "$CX_TRUTH_DIR, else <raw-dir>/../truth)")
    parser.add_argument("--publish", action="store_true",
                        help="publish the public schemas to the serving file at the end")
    parser.add_argument("--serving", type=Path, default=env("CX_SERVING_PATH"),
                        help="serving file for --publish (default: $CX_SERVING_PATH, else "
                             "serving.duckdb beside the warehouse)")
    parser.add_argument("--log-dir", type=Path, default=None,
                        help="where build.log, post_build.log and build.json go (default: the "
                             "warehouse's folder)")
    parser.add_argument("--target-path", type=Path, default=None,
                        help="dbt's target folder (default: $DBT_TARGET_PATH, else target/)")
    parser.add_argument("--dbt-log-path", type=Path, default=None,
                        help="dbt's own log folder (default: $DBT_LOG_PATH, else logs/)")
    parser.add_argument("--dev-salt", action="store_true",
                        help="unset CX_PII_SALT (the public development salt) for any target; "
                             "--target ci always does")
    parser.add_argument("--unit-tests", action=argparse.BooleanOptionalAction, default=None,
                        help="run dbt's unit tests in the build (default: only for target "
                             "ci; they test the models' logic, not the data)")
    parser.add_argument("--quiet", action="store_true",
                        help="do not echo dbt's output (it is still written to the logs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    generating = args.generate or args.generate_if_missing
    serving = args.serving or args.warehouse.with_name("serving.duckdb")
    try:
        manifest = build(
            args.raw_dir, args.warehouse, target=args.target, log_dir=args.log_dir,
            target_path=args.target_path, truth_dir=args.truth_dir,
            generate_scale=args.scale if generating else None, seed=args.seed,
            generate_always=args.generate,
            development_salt=True if args.dev_salt or args.target == "ci" else None,
            publish_to=serving if args.publish else None, dbt_log_path=args.dbt_log_path,
            echo=not args.quiet, unit_tests=args.unit_tests)
    except RecipeError as error:
        print(f"build: error: {error}", file=sys.stderr)
        return error.code or 1
    except KeyboardInterrupt:
        print("build: interrupted; the warehouse keeps its build-in-progress marker and is "
              "not published until a build completes", file=sys.stderr)
        return 130
    seconds = sum(step.seconds or 0 for step in manifest.steps.values())
    print(f"build: {manifest.warehouse} built (target {manifest.target}, scale "
          f"{manifest.scale if manifest.scale is not None else '?'}, seed "
          f"{manifest.seed if manifest.seed is not None else '?'}) in {seconds:.0f} s",
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
