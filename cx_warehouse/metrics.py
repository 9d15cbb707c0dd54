"""The semantic layer's metrics, queried in-process with MetricFlow over a DuckDB file.

The metrics and semantic models are defined in models/semantic/ (dbt YAML); dbt writes them
into `<target>/semantic_manifest.json` on every parse or build. `mf query` (the dbt-metricflow
CLI) opens the warehouse through the dbt adapter, read-write; this module runs the same
MetricFlow engine on a connection the caller owns, so tests and scripts can query the
warehouse or the serving file read-only, beside other readers.

    from cx_warehouse.metrics import MetricsEngine
    engine = MetricsEngine.open("target/semantic_manifest.json", "data/serving.duckdb")
    rows = engine.query(["tickets_created", "nps"], ["metric_time__week"])

Needs the optional extra `metrics` (dbt-metricflow).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path
from typing import Any, Sequence

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[1]
#: Where the metrics are defined (the README's metric list is generated from this file).
METRICS_YAML = REPO / "models" / "semantic" / "_semantic__metrics.yml"


class MetricsError(RuntimeError):
    """A semantic-layer problem with a one-line explanation (missing extra, manifest, ...)."""


def metric_definitions(path: Path = METRICS_YAML) -> list[dict[str, Any]]:
    """The metrics as written in the YAML (name, label, description, type, meta), in order."""
    try:
        document = yaml.safe_load(path.read_text())
    except OSError as error:
        raise MetricsError(f"cannot read the metric definitions {path}: {error.strerror}") \
            from None
    return list(document.get("metrics") or [])


def _repointed(manifest: dict[str, Any], database: str) -> dict[str, Any]:
    """The semantic manifest with every relation in `database` (the catalog of the file the
    connection opened: `warehouse` for the build file, `serving` for the serving file)."""

    def repoint(relation: dict[str, Any]) -> None:
        relation["database"] = database
        relation["relation_name"] = (f'"{database}"."{relation["schema_name"]}".'
                                     f'"{relation["alias"]}"')

    for model in manifest.get("semantic_models", []):
        repoint(model["node_relation"])
    for spine in manifest.get("project_configuration", {}).get("time_spines", []):
        repoint(spine["node_relation"])
    return manifest


def _cell(value: Any) -> Any:
    """A DuckDB value as a MetricFlow data-table cell (decimals as floats, dates as datetimes)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


class DuckDbSqlClient:
    """MetricFlow's SqlClient protocol over a DuckDB connection (read-only is enough)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self._connection = connection
        self._engine = SqlEngine.DUCKDB
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self):  # noqa: ANN201 - MetricFlow's SqlEngine
        return self._engine

    @property
    def sql_plan_renderer(self):  # noqa: ANN201 - MetricFlow's SqlPlanRenderer
        return self._renderer

    def query(self, stmt: str, sql_bind_parameter_set: Any = None):  # noqa: ANN201
        from metricflow.data_table.mf_table import MetricFlowDataTable

        cursor = self._connection.execute(stmt)
        columns = [column[0] for column in cursor.description]
        rows = [tuple(_cell(value) for value in row) for row in cursor.fetchall()]
        return MetricFlowDataTable.create_from_rows(column_names=columns, rows=rows)

    def execute(self, stmt: str, sql_bind_parameter_set: Any = None) -> None:
        self._connection.execute(stmt)

    def dry_run(self, stmt: str, sql_bind_parameter_set: Any = None) -> None:
        self._connection.execute(f"explain {stmt}")

    def close(self) -> None:
        """The caller owns the connection."""

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


class MetricsEngine:
    """A MetricFlow engine over one DuckDB connection and one semantic manifest."""

    def __init__(self, semantic_manifest: dict[str, Any],
                 connection: duckdb.DuckDBPyConnection) -> None:
        try:
            from metricflow.engine.metricflow_engine import MetricFlowEngine
            from metricflow_semantics.model.dbt_manifest_parser import (
                parse_manifest_from_dbt_generated_manifest)
            from metricflow_semantics.model.semantic_manifest_lookup import (
                SemanticManifestLookup)
        except ImportError:
            raise MetricsError("MetricFlow is not installed: install the `metrics` extra "
                               "(make install-metrics)") from None
        database = connection.execute("select current_database()").fetchone()[0]
        parsed = parse_manifest_from_dbt_generated_manifest(
            manifest_json_string=json.dumps(_repointed(semantic_manifest, database)))
        self.connection = connection
        self._engine = MetricFlowEngine(semantic_manifest_lookup=SemanticManifestLookup(parsed),
                                        sql_client=DuckDbSqlClient(connection))

    @classmethod
    def open(cls, semantic_manifest_path: Path | str, database_path: Path | str) -> MetricsEngine:
        """An engine over a read-only connection to a DuckDB file."""
        manifest_path, database_file = Path(semantic_manifest_path), Path(database_path)
        if not manifest_path.is_file():
            raise MetricsError(f"no semantic manifest at {manifest_path}: run `dbt parse` (or "
                               "make build) first")
        if not database_file.is_file():
            raise MetricsError(f"no DuckDB file at {database_file}: run make build first")
        return cls(json.loads(manifest_path.read_text()),
                   duckdb.connect(str(database_file), read_only=True))

    def sql(self, metrics: Sequence[str], group_by: Sequence[str] = ()) -> str:
        """The SQL MetricFlow writes for the metrics by the group-by items."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(metric_names=list(metrics),
                                                group_by_names=list(group_by) or None)
        return self._engine.explain(mf_request=request).sql_statement.without_descriptions.sql

    def query(self, metrics: Sequence[str], group_by: Sequence[str] = (),
              where: Sequence[str] = ()) -> list[dict[str, Any]]:
        """One dict per row: the group-by columns and one column per metric."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics), group_by_names=list(group_by) or None,
            where_constraints=list(where) or None)
        table = self._engine.query(mf_request=request).result_df
        return [dict(zip(table.column_names, row)) for row in table.rows]


# --- the README's metric list ------------------------------------------------------------------

README = REPO / "README.md"
#: The README's generated block lies between these two lines (scripts/metrics_doc.py).
BEGIN_MARKER = "<!-- metrics:begin (generated by scripts/metrics_doc.py from models/semantic/; do not edit) -->"
END_MARKER = "<!-- metrics:end -->"


def _one_line(text: str) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def metric_reports(metric: dict[str, Any]) -> list[str]:
    """The report marts (with column or formula) a metric agrees with, from meta.reports."""
    return list(((metric.get("config") or {}).get("meta") or {}).get("reports") or [])


def metrics_markdown(definitions: list[dict[str, Any]]) -> str:
    """The metric list as Markdown: a table of the reported metrics (name, label, definition,
    the reports it agrees with), then the building blocks they are computed from."""
    lines = ["| metric | what it is | definition | agrees with |", "|---|---|---|---|"]
    blocks = []
    for metric in definitions:
        reports = metric_reports(metric)
        if not reports:
            blocks.append(f"`{metric['name']}` ({_one_line(metric.get('description'))})")
            continue
        agrees = "; ".join(f"`{_one_line(report)}`" for report in reports)
        lines.append(f"| `{metric['name']}` | {_one_line(metric.get('label'))} | "
                     f"{_one_line(metric.get('description'))} | {agrees} |")
    if blocks:
        lines += ["", "Building blocks (metrics the ones above are computed from): "
                  + "; ".join(blocks) + "."]
    return "\n".join(lines)


def readme_with_metrics(readme: str, definitions: list[dict[str, Any]]) -> str:
    """The README text with its metric block replaced by the generated one."""
    begin, end = readme.find(BEGIN_MARKER), readme.find(END_MARKER)
    if begin < 0 or end < begin:
        raise MetricsError(f"README.md has no metric block: add the lines {BEGIN_MARKER!r} and "
                           f"{END_MARKER!r} under '### Metrics'")
    return (readme[:begin] + BEGIN_MARKER + "\n" + metrics_markdown(definitions) + "\n"
            + readme[end:])
