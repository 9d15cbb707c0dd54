"""Public marts carry enforced contracts with a version note, and a column change fails the build.

The YAML checks are static (no build). The enforcement check copies the project and the session's
built warehouse, adds a column to one mart and runs dbt on it: dbt must refuse it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_dbt

MARTS = REPO / "models" / "marts"
# Marts that cannot carry a dbt model contract, and why (DECISIONS.md, "Contracts").
NO_CONTRACT = {"lookup_receipts": "table macro (dbt-duckdb table_function)"}


def mart_entries() -> list[tuple[Path, dict]]:
    entries = []
    for path in sorted(MARTS.rglob("_*models.yml")):
        for model in yaml.safe_load(path.read_text())["models"]:
            entries.append((path, model))
    return entries


def mart_files() -> set[str]:
    return {path.stem for path in MARTS.rglob("*") if path.suffix in {".sql", ".py"}}


def test_every_mart_file_has_a_yaml_entry() -> None:
    documented = {model["name"] for _, model in mart_entries()}
    assert mart_files() - documented == set()
    assert documented - mart_files() == set()


@pytest.mark.parametrize("model", [model for _, model in mart_entries()],
                         ids=lambda model: model["name"])
def test_mart_contract_and_version_note(model: dict) -> None:
    config = model.get("config") or {}
    meta = config.get("meta") or {}
    version = meta.get("contract_version")
    assert isinstance(version, int) and version >= 1, f"{model['name']}: meta.contract_version"
    history = meta.get("contract_history") or []
    assert any(str(line).startswith(f"v{version} ") for line in history), (
        f"{model['name']}: contract_history has no note for v{version}"
    )
    if model["name"] in NO_CONTRACT:
        assert meta.get("contract_note"), f"{model['name']}: say why it has no contract"
    else:
        assert (config.get("contract") or {}).get("enforced") is True, model["name"]
    columns = model.get("columns") or []
    assert columns, f"{model['name']}: no columns documented"
    for column in columns:
        assert column.get("data_type"), f"{model['name']}.{column['name']}: data_type"
        assert column.get("description"), f"{model['name']}.{column['name']}: description"


def test_lookup_receipts_output_matches_its_documented_columns(warehouse_con) -> None:
    """The table macro has no dbt contract, so its output columns are pinned here."""
    documented = next(model for _, model in mart_entries() if model["name"] == "lookup_receipts")
    expected = [(c["name"], c["data_type"].upper()) for c in documented["columns"]]
    described = warehouse_con.execute(
        "describe select * from marts.lookup_receipts(amount := 10)").fetchall()
    actual = [(row[0], row[1].upper()) for row in described]
    assert actual == expected


@pytest.mark.e2e
def test_changing_a_marts_columns_fails_the_build(built_warehouse, tmp_path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("models", "macros", "seeds"):
        shutil.copytree(REPO / name, project / name)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(REPO / name, project / name)
    mart = project / "models" / "marts" / "support" / "rpt_channel_cost.sql"
    sql = mart.read_text()
    assert sql.count("select * from final") == 1
    mart.write_text(sql.replace("select * from final", "select *, 1 as surprise_column from final"))
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse["db"], db)
    env = dict(built_warehouse["env"], CX_WAREHOUSE_PATH=str(db), DBT_PROJECT_DIR=str(project),
               DBT_PROFILES_DIR=str(project))
    result = run_dbt(["run", "--select", "rpt_channel_cost", "--project-dir", str(project),
                      "--profiles-dir", str(project), "--target-path", str(tmp_path / "target")],
                     env, tmp_path / "logs")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert "contract" in output.lower() and "surprise_column" in output, output[-3000:]
