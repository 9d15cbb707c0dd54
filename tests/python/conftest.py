"""Shared pytest fixtures.

`built_warehouse` is the scale-1 dataset (seed 42, target ci, development salt) built by the
project's one build recipe (`cx_warehouse.build`: generate, raw preflight, `dbt build`, the
post-build checks) ONCE per test session; every end-to-end test module reads that warehouse
(read-only) instead of building its own, which keeps `make test` under its time budget.

`make test` points CX_TEST_PREBUILT_DIR at the build `make test-dbt` has just made; its
build.json (written by the recipe) says which dataset it holds, and it is reused only when that
is the one the tests need. Otherwise (e.g. `make test CI_SCALE=2`) the session builds its own,
once for all pytest-xdist workers.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

from cx_warehouse import build as recipe

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def dbt_env(raw: Path, warehouse: Path, **extra: str) -> dict[str, str]:
    """Environment for running dbt against a given landing folder and DuckDB file (the recipe's,
    with the development salt)."""
    env = recipe.dbt_environment(raw, warehouse, development_salt=True, project_dir=REPO)
    env.update(extra)
    return env


def run_dbt(args: list[str], env: dict[str, str], log_dir: Path,
            target: str = "ci") -> subprocess.CompletedProcess:
    """Run the dbt CLI of this venv; stdout+stderr are also written to log_dir/<command>.log."""
    log_dir.mkdir(parents=True, exist_ok=True)
    if "--target-path" not in args:
        # Never the repository's target/: pytest runs tests in parallel (make test: -n 2).
        args = [*args, "--target-path", str(log_dir / "target")]
    result = subprocess.run(
        [str(BIN / "dbt"), *args, "--target", target, "--log-path", str(log_dir)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1800,
    )
    (log_dir / f"{args[0]}.log").write_text(result.stdout + result.stderr)
    return result


def generate(raw: Path, truth: Path, scale: float = 1, seed: int = 42) -> None:
    """The recipe's generate step alone (for fixtures that build a selection of models)."""
    recipe.generate(raw, truth, scale, seed)


#: The dataset the end-to-end tests' numbers are asserted on.
SESSION_SCALE, SESSION_SEED, SESSION_TARGET = 1.0, 42, "ci"


@dataclass
class LoggedRun:
    """What a test needs of a dbt step of the recipe: its exit code and output."""

    returncode: int
    stdout: str
    stderr: str = ""


def fits_session(manifest: dict | None) -> bool:
    """Whether a recipe's build.json describes a finished build of the session's dataset, made
    with the development salt."""
    return bool(manifest) and manifest.get("version") == recipe.MANIFEST_VERSION \
        and manifest.get("finished_at") is not None \
        and (manifest.get("scale"), manifest.get("seed"), manifest.get("target")) \
        == (SESSION_SCALE, SESSION_SEED, SESSION_TARGET) \
        and manifest.get("development_salt") is True \
        and Path(manifest["warehouse"]).is_file()


def session_build(root: Path, manifest: dict) -> dict[str, object]:
    """The fixture's view of a recipe build: paths, dbt environment, each dbt step's log."""

    def logged(name: str) -> LoggedRun:
        step = manifest["steps"].get(name) or {}
        log = Path(step["log"]) if step.get("log") else None
        return LoggedRun(-1 if step.get("returncode") is None else int(step["returncode"]),
                         log.read_text() if log and log.exists() else "")

    raw, db = Path(manifest["raw_dir"]), Path(manifest["warehouse"])
    truth = Path(manifest["truth_dir"]) if manifest.get("truth_dir") else raw.parent / "truth"
    return {"root": root, "raw": raw, "truth": truth, "db": db,
            "env": dbt_env(raw, db), "manifest": manifest,
            "build": logged("build"), "post_build": logged("post_build")}


def prebuilt_warehouse() -> dict[str, object] | None:
    """The build CX_TEST_PREBUILT_DIR points at (`make test`: test-dbt's), if it holds the
    session's dataset; None (the session then builds its own) when unset or another dataset."""
    folder = os.environ.get("CX_TEST_PREBUILT_DIR")
    if not folder:
        return None
    manifest = recipe.read_manifest(Path(folder))
    assert manifest is not None, (
        f"CX_TEST_PREBUILT_DIR={folder} has no {recipe.MANIFEST_NAME}: build it with "
        "`python -m cx_warehouse.build ... --log-dir` (make test-dbt) or unset the variable")
    if not fits_session(manifest):
        warnings.warn(
            f"CX_TEST_PREBUILT_DIR={folder} holds scale {manifest.get('scale')} seed "
            f"{manifest.get('seed')} target {manifest.get('target')}; the session needs scale "
            f"{SESSION_SCALE:g} seed {SESSION_SEED} target {SESSION_TARGET}, so it builds its "
            "own", stacklevel=2)
        return None
    return session_build(Path(folder), manifest)


def build_session_warehouse(root: Path) -> dict[str, object]:
    """Build the session's dataset into root with the recipe, once across xdist workers (a file
    lock; the worker that comes second reuses the first one's build.json)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root.parent / f"{root.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = recipe.read_manifest(root)
        if manifest is None or manifest.get("finished_at") is None:
            shutil.rmtree(root, ignore_errors=True)
            try:
                recipe.build(root / "raw", root / "warehouse.duckdb", target=SESSION_TARGET,
                             log_dir=root, target_path=root / "target",
                             truth_dir=root / "truth", generate_scale=SESSION_SCALE,
                             seed=SESSION_SEED, generate_always=True, development_salt=True,
                             dbt_log_path=root / "logs", echo=False, project_dir=REPO)
            except recipe.RecipeError:
                pass  # recorded in build.json; the fixture reports it
            manifest = recipe.read_manifest(root)
    assert manifest is not None, f"the build recipe wrote no {recipe.MANIFEST_NAME} in {root}"
    return session_build(root, manifest)


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory, worker_id) -> dict[str, object]:
    """Scale 1, seed 42, target ci: generated, built with `dbt build`, post-build checks run.

    Reuses `make test-dbt`'s build when CX_TEST_PREBUILT_DIR points at one of this dataset (the
    Makefile sets it for `make test`); tests only read it.
    """
    built = prebuilt_warehouse()
    if built is None:
        # Under xdist every worker has its own basetemp; their parent is shared.
        base = tmp_path_factory.getbasetemp()
        built = build_session_warehouse(
            (base.parent if worker_id != "master" else base) / "session-warehouse")
    build = built["build"]
    assert build.returncode == 0, f"dbt build failed:\n{build.stdout[-6000:]}"
    return built


@pytest.fixture(scope="session")
def warehouse_con(built_warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the session's built warehouse."""
    connection = duckdb.connect(str(built_warehouse["db"]), read_only=True)
    yield connection
    connection.close()


# Test files that take minutes: run first, so that under `pytest -n 2` (make test) the other
# worker works through the rest meanwhile instead of waiting for them at the end.
SLOW_FIRST = ("test_serving.py", "test_customer_360.py")


def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: position for position, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))  # stable: files stay whole
