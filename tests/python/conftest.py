"""Shared pytest fixtures.

`built_warehouse` generates the scale-1 dataset (seed 42) and runs `dbt build` into a temporary
DuckDB file ONCE per test session; every end-to-end test module reads that warehouse
(read-only) instead of building its own, which keeps `make test` under its time budget.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def dbt_env(raw: Path, warehouse: Path, **extra: str) -> dict[str, str]:
    """Environment for running dbt against a given landing folder and DuckDB file."""
    env = dict(os.environ)
    env.update(
        DO_NOT_TRACK="1",
        DBT_PROJECT_DIR=str(REPO),
        DBT_PROFILES_DIR=str(REPO),
        CX_RAW_DIR=str(raw),
        CX_WAREHOUSE_PATH=str(warehouse),
    )
    env.pop("CX_PII_SALT", None)
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
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_data.py"), "--scale", str(scale),
         "--seed", str(seed), "--out", str(raw), "--truth-out", str(truth), "--quiet"],
        check=True, timeout=900,
    )


SESSION_SCALE, SESSION_SEED = 1.0, 42


@dataclass
class LoggedRun:
    """What a test needs of a dbt run made before pytest started (`make test-dbt`)."""

    returncode: int
    stdout: str
    stderr: str = ""


def prebuilt_warehouse() -> dict[str, object] | None:
    """The warehouse `make test-dbt` just built, if CX_TEST_PREBUILT_DIR points at one of the
    session's dataset (scale 1, seed 42): pytest then reuses it instead of building it again."""
    folder = os.environ.get("CX_TEST_PREBUILT_DIR")
    if not folder:
        return None
    root = Path(folder)
    extract = root / "raw" / "_extract.json"
    required = [extract, root / "warehouse.duckdb", root / "build.log", root / "build.rc",
                root / "post_build.log", root / "post_build.rc"]
    missing = [str(path) for path in required if not path.exists()]
    assert not missing, f"CX_TEST_PREBUILT_DIR={folder} is incomplete, missing: {missing}"
    manifest = json.loads(extract.read_text())
    assert (float(manifest["scale"]), int(manifest["seed"])) == (SESSION_SCALE, SESSION_SEED), (
        f"CX_TEST_PREBUILT_DIR={folder} holds scale {manifest['scale']} seed {manifest['seed']}; "
        f"the session fixture needs scale {SESSION_SCALE:g} seed {SESSION_SEED}"
    )

    def logged(name: str) -> LoggedRun:
        return LoggedRun(int((root / f"{name}.rc").read_text().strip()),
                         (root / f"{name}.log").read_text())

    return {"root": root, "raw": root / "raw", "truth": root / "truth",
            "db": root / "warehouse.duckdb", "env": dbt_env(root / "raw", root / "warehouse.duckdb"),
            "build": logged("build"), "post_build": logged("post_build")}


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> dict[str, object]:
    """Scale 1, seed 42: generated, built with `dbt build`, post-build checks run.

    Reuses `make test-dbt`'s build of the same dataset when CX_TEST_PREBUILT_DIR is set (the
    Makefile sets it for `make test`); tests only read it.
    """
    prebuilt = prebuilt_warehouse()
    if prebuilt is not None:
        build = prebuilt["build"]
        assert build.returncode == 0, f"dbt build failed:\n{build.stdout[-6000:]}"
        return prebuilt
    root = tmp_path_factory.mktemp("warehouse")
    raw, truth, db = root / "raw", root / "truth", root / "warehouse.duckdb"
    generate(raw, truth, scale=SESSION_SCALE, seed=SESSION_SEED)
    env = dbt_env(raw, db)
    build = run_dbt(["build", "--exclude", "tag:post_build"], env, root / "build")
    assert build.returncode == 0, f"dbt build failed:\n{build.stdout[-6000:]}"
    post_build = run_dbt(["test", "--select", "tag:post_build"], env, root / "post_build")
    return {"root": root, "raw": raw, "truth": truth, "db": db, "env": env,
            "build": build, "post_build": post_build}


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
