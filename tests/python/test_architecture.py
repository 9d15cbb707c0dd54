"""The project's architecture rules, checked over dbt's manifest (target/manifest.json).

Each rule is a plain function `rule(manifest) -> list[Violation]` over the manifest dict. For
each rule one test runs it on the project's real manifest (no violation allowed) and one plants
a violation in a deep copy of the manifest and asserts the rule reports exactly that one.

Layers are read from the folder a model lives in (models/<layer>/...):

    source -> base (staging/<src>/base) -> staging -> intermediate -> marts

with three declared side branches: quarantine (rejected raw rows, any folder named
`quarantine`), restricted (vault: raw identifiers; matching: the customer-matching models that
read them) and audit (reconciliation, run logs, volume checks), which may read any layer and
which no model of the main line reads.

The manifest is the test build's (CX_TEST_PREBUILT_DIR, `make test`) when it is newer than
every project file, else a `dbt parse` into a temporary folder (a few seconds).
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from conftest import REPO, dbt_env

BIN = Path(sys.executable).parent


class Violation(NamedTuple):
    node: str  # model name
    message: str


Manifest = dict
Rule = Callable[[Manifest], list[Violation]]

# --- layers --------------------------------------------------------------------------------

MAIN_LINE = ("base", "staging", "intermediate", "marts")
SIDE_BRANCHES = ("quarantine", "vault", "matching", "audit")

#: The layers each layer's models may ref (seeds, the reference data, every layer may read).
ALLOWED_PARENTS: dict[str, frozenset[str]] = {
    # base_ models may read the landing extract manifest (stg_landing__extracts) for its
    # extraction time; base and staging are one layer, split for typing vs. renaming.
    "base": frozenset({"base", "staging"}),
    "staging": frozenset({"base", "staging"}),
    # matching: the scores of customer matching computed on raw identifiers (no PII leaves).
    "intermediate": frozenset({"staging", "intermediate", "matching"}),
    # marts -> marts only under the dimension rule (rule_mart_refs).
    "marts": frozenset({"staging", "intermediate", "marts"}),
    "quarantine": frozenset({"base", "staging"}),
    "vault": frozenset({"base", "staging"}),
    "matching": frozenset({"staging", "vault", "matching"}),
    "audit": frozenset({*MAIN_LINE, *SIDE_BRANCHES}),
}

#: Layers whose models may call source(): base and staging, plus audit, whose reconciliation
#: counts the raw rows themselves (every raw row is staged, quarantined or erased).
SOURCE_LAYERS: dict[str, str] = {
    "base": "reads the raw files",
    "staging": "reads the raw files (the landing extract manifest)",
    "audit": "source_reconciliation counts each raw table's rows against the layers",
}

#: Name prefixes per layer.
PREFIXES: dict[str, tuple[str, ...]] = {
    "base": ("base_",),
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("fct_", "dim_", "rpt_", "lookup_"),
    "quarantine": ("quarantine_",),
    "vault": ("vault_",),
    "matching": ("matching_",),
    "audit": ("audit_",),
}
#: Models allowed another name than their folder's prefix, each with its reason (keep short).
NAMING_EXCEPTIONS: dict[str, str] = {
    "source_reconciliation": "the audit table BI dashboards and the README name; published "
                             "as audit.source_reconciliation in the serving file",
    "erasure_log": "the erasure audit trail the erasure macros and README name "
                   "(audit.erasure_log)",
}

#: Materializations that build a table and so need a primary-key test.
TABLE_MATERIALIZATIONS = frozenset({"table", "incremental"})
#: Materializations that are queries over their parents (a chain of them is re-run per read).
QUERY_MATERIALIZATIONS = frozenset({"view", "ephemeral"})
MAX_VIEW_CHAIN = 4
#: Ephemeral models that do not count as links of a view chain, each with its reason.
CHAIN_EXCEPTIONS: dict[str, str] = {
    "base_landing__erasure_requests": "the erasure lookup is never stored: a table of it would "
                                      "keep the identifiers of people who asked to be erased",
    "base_landing__erasure_subjects": "the erasure lookup is never stored: a table of it would "
                                      "keep the identifiers of people who asked to be erased",
}
MAX_JOINS = 7
MAX_PARENTS = 7
#: Models allowed more than MAX_JOINS joins or MAX_PARENTS parents, each with its reason.
#: Joins are counted as `join` keywords in the model's own SQL (comments and string literals
#: removed, Jinja left as written): the compiled SQL would also count the joins of every
#: ephemeral parent it inlines. Parents are distinct models, seeds and sources it reads.
WIDE_MODEL_EXCEPTIONS: dict[str, str] = {
    "source_reconciliation": "audit: one row count per raw table, staged, quarantined and "
                             "erased table (a union, no join), by design one parent per table",
    "erasure_log": "audit: one row per erased subject and table touched (a union over every "
                   "table that holds personal data)",
    "audit_daily_event_counts": "audit: one daily event count per public fact table (a union)",
    "int_tickets_lifecycle_derived": "each join attaches one per-ticket milestone (first "
                                     "response, replies, assignment, priority, resolution) on "
                                     "ticket_id; its unit tests cover them together",
}


def models(manifest: Manifest) -> dict[str, dict]:
    """The project's models by unique_id."""
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model"
            and node["package_name"] == manifest["metadata"]["project_name"]}


def layer(node: dict) -> str:
    """The layer of a node, from its folder under models/ (sources and seeds by type)."""
    if node["resource_type"] in ("source", "seed"):
        return node["resource_type"]
    folders = node["fqn"][1:-1]
    if "quarantine" in folders:
        return "quarantine"
    top = folders[0] if folders else ""
    if top == "staging":
        return "base" if "base" in folders else "staging"
    if top == "restricted":
        return next((sub for sub in ("vault", "matching") if sub in folders), "restricted")
    return top if top in ("intermediate", "marts", "audit") else f"undeclared ({top or 'models'})"


def parents(manifest: Manifest, node: dict) -> list[dict]:
    found = []
    for uid in dict.fromkeys(node["depends_on"]["nodes"]):
        parent = manifest["nodes"].get(uid) or manifest["sources"].get(uid)
        if parent is not None:
            found.append(parent)
    return found


def meta(node: dict) -> dict:
    return {**(node.get("meta") or {}), **(node["config"].get("meta") or {})}


# --- rules ---------------------------------------------------------------------------------

def rule_layers(manifest: Manifest) -> list[Violation]:
    """(1) Lineage flows one way: each model refs only the layers its layer may read; no
    int_ model refs a mart; staging never refs intermediate or marts; no main-line model
    reads a side branch except through the declared edges (ALLOWED_PARENTS)."""
    found = []
    for node in models(manifest).values():
        own = layer(node)
        if own not in ALLOWED_PARENTS:
            found.append(Violation(node["name"], f"lives in {node['original_file_path']}, "
                                   f"a folder of no declared layer {own}"))
            continue
        for parent in parents(manifest, node):
            theirs = layer(parent)
            if theirs in ("seed", "source") or theirs in ALLOWED_PARENTS[own] \
                    or theirs not in ALLOWED_PARENTS:  # undeclared: reported on the parent
                continue
            found.append(Violation(node["name"], f"{own} model refs {theirs} model "
                                   f"{parent['name']}"))
    return found


def rule_mart_refs(manifest: Manifest) -> list[Violation]:
    """(1) A mart refs another mart only to pick up a dimension: the parent is a dim_ listed
    in the referencing mart's `config.meta.dimension_refs`, or the reference has a reason in
    `config.meta.mart_refs_reason` (a mapping parent -> reason, or one reason for all)."""
    found = []
    for node in models(manifest).values():
        if layer(node) != "marts":
            continue
        declared = meta(node).get("dimension_refs") or []
        reasons = meta(node).get("mart_refs_reason") or {}
        for parent in parents(manifest, node):
            if parent["resource_type"] != "model" or layer(parent) != "marts":
                continue
            name = parent["name"]
            if name.startswith("dim_") and name in declared:
                continue
            reason = reasons.get(name) if isinstance(reasons, dict) else reasons
            if isinstance(reason, str) and reason.strip():
                continue
            why = ("a dimension not listed in meta.dimension_refs" if name.startswith("dim_")
                   else "not a dimension, and no meta.mart_refs_reason")
            found.append(Violation(node["name"], f"mart refs mart {name}: {why}"))
    return found


def rule_naming(manifest: Manifest) -> list[Violation]:
    """(2) Every model's name starts with its folder's prefix (PREFIXES)."""
    found = []
    for node in models(manifest).values():
        expected = PREFIXES.get(layer(node))
        if expected is None or node["name"].startswith(expected) \
                or node["name"] in NAMING_EXCEPTIONS:
            continue
        found.append(Violation(node["name"], f"{layer(node)} model in "
                               f"{node['original_file_path']} is not named "
                               f"{' / '.join(p + '*' for p in expected)}"))
    return found


def primary_key_tests(manifest: Manifest) -> dict[str, set[str]]:
    """unique_id -> how its primary key is tested ('col' with unique + not_null on col, or
    'combination' for unique_combination_of_columns)."""
    kinds: dict[str, dict[str, set[str]]] = {}
    result: dict[str, set[str]] = {}
    for test in manifest["nodes"].values():
        metadata = test.get("test_metadata") or {}
        attached = test.get("attached_node")
        if test["resource_type"] != "test" or not attached:
            continue
        if test["config"].get("where"):  # a filtered test does not cover every row
            continue
        name, kwargs = metadata.get("name"), metadata.get("kwargs") or {}
        if name in ("unique", "not_null") and kwargs.get("column_name"):
            column = str(kwargs["column_name"]).strip('"').lower()
            kinds.setdefault(attached, {}).setdefault(column, set()).add(name)
        elif name == "unique_combination_of_columns":
            result.setdefault(attached, set()).add("combination")
    for attached, columns in kinds.items():
        for column, tests in columns.items():
            if tests >= {"unique", "not_null"}:
                result.setdefault(attached, set()).add(column)
    return result


def rule_primary_keys(manifest: Manifest) -> list[Violation]:
    """(3) Every model materialized as a table or incremental (Python models included) has a
    primary-key test: unique + not_null on one column, or unique_combination_of_columns."""
    tested = primary_key_tests(manifest)
    return [Violation(node["name"], f"{node['config']['materialized']} model without a "
                      "primary-key test (unique + not_null, or unique_combination_of_columns)")
            for uid, node in models(manifest).items()
            if node["config"]["materialized"] in TABLE_MATERIALIZATIONS and not tested.get(uid)]


def rule_sources(manifest: Manifest) -> list[Violation]:
    """(4) Only base and staging models call source() (and audit, SOURCE_LAYERS)."""
    found = []
    for node in models(manifest).values():
        if layer(node) in SOURCE_LAYERS:
            continue
        called = [uid for uid in node["depends_on"]["nodes"] if uid.startswith("source.")]
        if called:
            names = ", ".join(".".join(uid.split(".")[-2:]) for uid in called)
            found.append(Violation(node["name"], f"{layer(node)} model calls source({names})"))
    return found


def rule_view_chains(manifest: Manifest) -> list[Violation]:
    """(5) No chain of more than MAX_VIEW_CHAIN views/ephemerals in a row (each re-runs its
    parents' queries on every read). Reported once per chain, at the model that ends it."""
    nodes = models(manifest)
    query = {uid for uid, node in nodes.items()
             if node["config"]["materialized"] in QUERY_MATERIALIZATIONS
             and node["name"] not in CHAIN_EXCEPTIONS}

    @functools.lru_cache(maxsize=None)
    def chain(uid: str) -> tuple[str, ...]:
        longest: tuple[str, ...] = ()
        for parent in dict.fromkeys(nodes[uid]["depends_on"]["nodes"]):
            if parent in query and len(chain(parent)) > len(longest):
                longest = chain(parent)
        return (*longest, uid)

    extended = {parent for uid in query for parent in chain(uid)[:-1]
                if len(chain(uid)) > MAX_VIEW_CHAIN and chain(uid)[-2] == parent}
    return [Violation(nodes[uid]["name"], f"chain of {len(chain(uid))} views/ephemerals: "
                      + " -> ".join(nodes[step]["name"] for step in chain(uid)))
            for uid in sorted(query)
            if len(chain(uid)) > MAX_VIEW_CHAIN and uid not in extended]


SQL_COMMENTS = re.compile(r"\{#.*?#\}|/\*.*?\*/|--[^\n]*", re.S)
SQL_STRINGS = re.compile(r"'(?:[^']|'')*'")
JOIN = re.compile(r"\bjoin\b", re.I)


def join_count(node: dict) -> int:
    """`join` keywords in a SQL model's own code (0 for Python models)."""
    if node.get("language", "sql") != "sql":
        return 0
    code = SQL_STRINGS.sub("''", SQL_COMMENTS.sub(" ", node.get("raw_code") or ""))
    return len(JOIN.findall(code))


def rule_wide_models(manifest: Manifest) -> list[Violation]:
    """(6) No model with more than MAX_JOINS joins or more than MAX_PARENTS parents, unless
    WIDE_MODEL_EXCEPTIONS lists it with a reason."""
    found = []
    for node in models(manifest).values():
        if node["name"] in WIDE_MODEL_EXCEPTIONS:
            continue
        joins, count = join_count(node), len(parents(manifest, node))
        if joins > MAX_JOINS:
            found.append(Violation(node["name"], f"{joins} joins (at most {MAX_JOINS}): split "
                                   "it into intermediate models"))
        if count > MAX_PARENTS:
            found.append(Violation(node["name"], f"{count} parents (at most {MAX_PARENTS})"))
    return found


RULES: dict[str, Rule] = {
    "layers": rule_layers,
    "mart_refs": rule_mart_refs,
    "naming": rule_naming,
    "primary_keys": rule_primary_keys,
    "sources": rule_sources,
    "view_chains": rule_view_chains,
    "wide_models": rule_wide_models,
}


# --- the manifest ----------------------------------------------------------------------------

PROJECT_INPUTS = ("models", "macros", "seeds", "tests/dbt", "analyses", "snapshots")


def newest_project_file() -> float:
    stamps = [(REPO / name).stat().st_mtime for name in ("dbt_project.yml", "profiles.yml")]
    for folder in PROJECT_INPUTS:
        stamps += [path.stat().st_mtime for path in (REPO / folder).rglob("*") if path.is_file()]
    return max(stamps)


def prebuilt_manifest() -> Path | None:
    """The test build's manifest, when it was parsed from this project after its last edit."""
    folder = os.environ.get("CX_TEST_PREBUILT_DIR")
    if not folder:
        return None
    try:
        build = json.loads((Path(folder) / "build.json").read_text())
        path = Path(build["target_path"]) / "manifest.json"
        if Path(build.get("project_dir", "")).resolve() != REPO.resolve():
            return None
        return path if path.stat().st_mtime > newest_project_file() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> Manifest:
    path = prebuilt_manifest()
    if path is None:
        folder = tmp_path_factory.mktemp("parse")
        env = dbt_env(folder / "raw", folder / "unused.duckdb")
        result = subprocess.run(
            [str(BIN / "dbt"), "parse", "--target", "ci", "--target-path", str(folder),
             "--log-path", str(folder), "--no-partial-parse"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"dbt parse failed:\n{result.stdout[-4000:]}"
        path = folder / "manifest.json"
    return json.loads(path.read_text())


def by_name(manifest: Manifest, name: str) -> dict:
    return next(node for node in models(manifest).values() if node["name"] == name)


def first(manifest: Manifest, predicate: Callable[[dict], bool]) -> dict:
    return next(node for _, node in sorted(models(manifest).items()) if predicate(node))


def planted_violations(rule: Rule, manifest: Manifest, planted: Manifest) -> list[Violation]:
    before = set(rule(manifest))
    return sorted(set(rule(planted)) - before)


# --- the rules hold on the project ----------------------------------------------------------

def test_the_manifest_has_every_layer(manifest):
    layers = {layer(node) for node in models(manifest).values()}
    assert layers >= {*MAIN_LINE, *SIDE_BRANCHES}, layers


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_holds_on_the_project(manifest, name):
    violations = RULES[name](manifest)
    assert violations == [], f"{len(violations)} violation(s) of rule {name}:\n" + "\n".join(
        f"  {v.node}: {v.message}" for v in sorted(violations))


def test_exceptions_are_short_and_reasoned():
    for exceptions in (NAMING_EXCEPTIONS, WIDE_MODEL_EXCEPTIONS, SOURCE_LAYERS,
                       CHAIN_EXCEPTIONS):
        assert len(exceptions) <= 4
        assert all(len(reason.split()) >= 3 for reason in exceptions.values()), exceptions


# --- and each fails on a planted violation ----------------------------------------------------

def add_parent(manifest: Manifest, child: dict, parent: dict) -> None:
    child["depends_on"]["nodes"].append(parent["unique_id"])


@pytest.mark.parametrize("child_layer, parent_layer", [
    ("intermediate", "marts"),  # an int_ model reading a mart
    ("staging", "intermediate"),  # staging reading intermediate
    ("marts", "quarantine"),  # the main line reading a side branch
    ("intermediate", "vault"),  # raw identifiers reaching the main line
])
def test_layers_flags_a_backward_or_side_edge(manifest, child_layer, parent_layer):
    planted = copy.deepcopy(manifest)
    child = first(planted, lambda node: layer(node) == child_layer)
    parent = first(planted, lambda node: layer(node) == parent_layer)
    add_parent(planted, child, parent)
    assert planted_violations(rule_layers, manifest, planted) == [Violation(
        child["name"], f"{child_layer} model refs {parent_layer} model {parent['name']}")]


def test_layers_flags_a_model_outside_the_declared_folders(manifest):
    planted = copy.deepcopy(manifest)
    node = first(planted, lambda node: layer(node) == "intermediate")
    node["fqn"] = [node["fqn"][0], "scratch", node["name"]]
    assert [v.node for v in planted_violations(rule_layers, manifest, planted)] \
        == [node["name"]]


def test_mart_refs_flags_a_fact_reading_a_fact_and_an_undeclared_dimension(manifest):
    planted = copy.deepcopy(manifest)
    child = first(planted, lambda node: layer(node) == "marts" and not any(
        layer(parent) == "marts" for parent in parents(planted, node)))
    fact = first(planted, lambda node: node["name"].startswith("fct_")
                 and node["name"] != child["name"])
    dimension = first(planted, lambda node: node["name"].startswith("dim_")
                      and node["name"] != child["name"])
    add_parent(planted, child, fact)
    add_parent(planted, child, dimension)
    assert planted_violations(rule_mart_refs, manifest, planted) == sorted([
        Violation(child["name"], f"mart refs mart {fact['name']}: not a dimension, and no "
                  "meta.mart_refs_reason"),
        Violation(child["name"], f"mart refs mart {dimension['name']}: a dimension not "
                  "listed in meta.dimension_refs"),
    ])
    # Declared, both pass.
    child["config"]["meta"] = {**(child["config"].get("meta") or {}),
                               "dimension_refs": [dimension["name"]],
                               "mart_refs_reason": {fact["name"]: "reads its daily grain"}}
    assert planted_violations(rule_mart_refs, manifest, planted) == []


def test_naming_flags_a_wrong_prefix(manifest):
    planted = copy.deepcopy(manifest)
    expectations = []
    for own in ("intermediate", "quarantine", "vault", "base"):
        node = first(planted, lambda node, own=own: layer(node) == own)
        node["name"] = "renamed_" + node["name"]
        expectations.append(node["name"])
    assert sorted(v.node for v in planted_violations(rule_naming, manifest, planted)) \
        == sorted(expectations)


def test_primary_keys_flags_a_table_without_its_key_test(manifest):
    planted = copy.deepcopy(manifest)
    tested = primary_key_tests(planted)
    table = first(planted, lambda node: node["config"]["materialized"] == "table"
                  and node["language"] == "python" and node["unique_id"] in tested)
    for uid, test in list(planted["nodes"].items()):
        if test["resource_type"] == "test" and test.get("attached_node") == table["unique_id"] \
                and (test.get("test_metadata") or {}).get("name") in (
                    "unique", "unique_combination_of_columns"):
            del planted["nodes"][uid]
    assert [v.node for v in planted_violations(rule_primary_keys, manifest, planted)] \
        == [table["name"]]


def test_primary_keys_does_not_count_a_filtered_unique_test(manifest):
    planted = copy.deepcopy(manifest)
    table = first(planted, lambda node: node["config"]["materialized"] == "table"
                  and node["language"] == "sql" and node["unique_id"] in primary_key_tests(
                      planted) and "combination" not in primary_key_tests(planted)[
                      node["unique_id"]])
    for test in planted["nodes"].values():
        if test["resource_type"] == "test" and test.get("attached_node") == table["unique_id"]:
            test["config"]["where"] = "1 = 1"
    assert [v.node for v in planted_violations(rule_primary_keys, manifest, planted)] \
        == [table["name"]]


def test_sources_flags_an_int_model_calling_source(manifest):
    planted = copy.deepcopy(manifest)
    node = first(planted, lambda node: layer(node) == "intermediate")
    source = sorted(planted["sources"])[0]
    node["depends_on"]["nodes"].append(source)
    assert planted_violations(rule_sources, manifest, planted) == [
        Violation(node["name"], "intermediate model calls source("
                  + ".".join(source.split(".")[-2:]) + ")")]


def plant_view_chain(manifest: Manifest, length: int) -> tuple[Manifest, list[str]]:
    """A fresh chain of `length` views on top of a table model."""
    planted = copy.deepcopy(manifest)
    template = first(planted, lambda node: node["config"]["materialized"] == "view")
    parent = first(planted, lambda node: node["config"]["materialized"] == "table")
    names = []
    for step in range(length):
        node = copy.deepcopy(template)
        node["name"] = f"int_planted_step_{step}s_chained"
        node["unique_id"] = f"model.{node['package_name']}.{node['name']}"
        node["depends_on"]["nodes"] = [parent["unique_id"]]
        planted["nodes"][node["unique_id"]] = node
        names.append(node["name"])
        parent = node
    return planted, names


def test_view_chains_flags_five_views_in_a_row_and_not_four(manifest):
    four, _ = plant_view_chain(manifest, MAX_VIEW_CHAIN)
    assert planted_violations(rule_view_chains, manifest, four) == []
    five, names = plant_view_chain(manifest, MAX_VIEW_CHAIN + 1)
    assert planted_violations(rule_view_chains, manifest, five) == [Violation(
        names[-1], f"chain of 5 views/ephemerals: {' -> '.join(names)}")]


def test_wide_models_flags_eight_joins_and_eight_parents(manifest):
    planted = copy.deepcopy(manifest)
    narrow = [node for _, node in sorted(models(planted).items())
              if node["language"] == "sql" and join_count(node) == 0
              and len(parents(planted, node)) <= 1 and node["name"] not in WIDE_MODEL_EXCEPTIONS]
    joined, fanned = narrow[0], narrow[1]
    joined["raw_code"] += "\n" + "\n".join(
        f"left join {{{{ ref('x{step}') }}}} as x{step} using (id) -- join" for step in range(8))
    inputs = sorted(uid for uid in planted["nodes"] if uid.startswith("seed."))
    fanned["depends_on"]["nodes"] += (inputs + sorted(planted["sources"]))[:8]
    found = planted_violations(rule_wide_models, manifest, planted)
    assert found == sorted([
        Violation(joined["name"], "8 joins (at most 7): split it into intermediate models"),
        Violation(fanned["name"], f"{len(parents(planted, fanned))} parents (at most 7)"),
    ])
    # Seven joins pass; comments and string literals do not count.
    joined["raw_code"] = "select 'a join b' as x /* join */\n" + "\n".join(
        f"inner join y{step} on true" for step in range(7))
    assert join_count(joined) == 7


def test_the_spill_folder_is_set_once_when_the_database_opens():
    """dbt-duckdb SETs a profile's `settings` again on every new cursor, and DuckDB refuses to
    switch temp_directory once it has spilled (a large build stopped at its first test after a
    spilling model): the folder belongs in config_options, applied when the file is opened."""
    import yaml

    outputs = yaml.safe_load((REPO / "profiles.yml").read_text())["cx_warehouse"]["outputs"]
    duckdb_outputs = {name: output for name, output in outputs.items()
                      if output["type"] == "duckdb"}
    assert duckdb_outputs
    for name, output in duckdb_outputs.items():
        assert "temp_directory" not in output.get("settings", {}), name
        assert "temp_directory" in output.get("config_options", {}), name
