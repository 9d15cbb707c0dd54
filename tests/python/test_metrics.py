"""The semantic layer's metrics agree with the report marts, period by period.

Every metric that names a report (`meta.reports` in models/semantic/_semantic__metrics.yml) is
computed through MetricFlow, in-process (cx_warehouse.metrics), on the session's warehouse and
compared with the value the report mart holds, for every period (and category, channel or
agent) the report has: at week grain against the weekly reports (rpt_weekly_executive_summary,
fct_agent_performance, rpt_sentiment_trends), at the report's own grain where the only report
is monthly (rpt_category_performance, rpt_channel_cost, rpt_customer_spending) or a snapshot
(fct_company_health, rpt_human_review_queue). A drifted definition (a changed measure, filter
or time dimension) changes some period's number; the last test plants one and checks that the
comparison reports it.

Marker `metrics`: `make test-metrics` runs it (with the `metrics` extra, MetricFlow) on the
warehouse `make test` built; `make test` leaves it out to stay within its ten minutes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from conftest import BIN, REPO, dbt_env
from test_architecture import prebuilt_manifest

from cx_warehouse.metrics import MetricsEngine, MetricsError, metric_definitions, metric_reports

pytestmark = [pytest.mark.e2e, pytest.mark.metrics]

TIMEZONE = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]["reporting_timezone"]


def reporting_week(column: str) -> str:
    """DuckDB SQL: the ISO week start of a UTC timestamp's reporting date."""
    return (f"date_trunc('week', cast(timezone('{TIMEZONE}', timezone('UTC', {column})) "
            "as date))")


@dataclass(frozen=True)
class Check:
    """One metric against one report: MetricFlow's group-by items, and SQL on the mart giving
    the same keys (in the same order) and the expected value as its last column."""

    metric: str
    report: str  # the report mart (meta.report names its first part)
    group_by: tuple[str, ...]
    expected_sql: str
    where: tuple[str, ...] = ()
    missing: float | None = None  # MetricFlow has no row for an empty period: count it as this
    tolerance: float = 1e-9  # absolute; cents for the reports' rounded money


WEEKLY = "marts.rpt_weekly_executive_summary"
CATEGORY = "marts.rpt_category_performance"
CHANNEL = "marts.rpt_channel_cost"
AGENTS = "marts.fct_agent_performance"
SPENDING = ("select spend_month, product_category, sum(spend) as spend, sum(visits) as visits "
            "from marts.rpt_customer_spending group by all")
LOYALTY = ("{{ Dimension('receipt_item__is_loyalty_purchase') }} = true",)
WEEK, MONTH = "metric_time__week", "metric_time__month"


def weekly(metric: str, expression: str, missing: float | None = None) -> Check:
    return Check(metric, "rpt_weekly_executive_summary", (WEEK,),
                 f"select week_start_date, {expression} from {WEEKLY}", missing=missing)


def by_month(metric: str, mart: str, dimension: str, column: str,
             tolerance: float = 1e-9) -> Check:
    return Check(metric, mart.split(".")[1], (MONTH, f"ticket__{dimension}"),
                 f"select month_start_date, {dimension}, {column} from {mart}",
                 tolerance=tolerance)


CHECKS: tuple[Check, ...] = (
    # Weekly executive summary: the week's new tickets and the queue at the week's end.
    weekly("tickets_created", "total_tickets", missing=0),
    weekly("csat_average", "avg_csat_score"),
    weekly("nps", "net_promoter_score"),
    weekly("open_backlog", "open_tickets_at_week_end", missing=0),
    weekly("first_response_sla_attainment",
           "1 - first_response_sla_breach_count / nullif(total_tickets, 0)"),
    weekly("resolution_sla_attainment",
           "1 - resolution_sla_breach_count / nullif(total_tickets, 0)"),
    # Monthly category and channel reports (the tickets created that month).
    by_month("first_response_sla_attainment", CATEGORY, "category",
             "first_response_sla_attainment_rate"),
    by_month("resolution_sla_attainment", CATEGORY, "category",
             "resolution_sla_attainment_rate"),
    by_month("reopen_rate", CATEGORY, "category", "reopen_rate"),
    by_month("one_touch_rate", CATEGORY, "category", "one_touch_resolution_rate"),
    by_month("csat_average", CATEGORY, "category", "avg_csat_score"),
    by_month("nps", CATEGORY, "category", "net_promoter_score"),
    by_month("cost_per_ticket", CATEGORY, "category", "cost_per_ticket", tolerance=0.005),
    by_month("cost_per_ticket", CHANNEL, "channel", "cost_per_ticket", tolerance=0.005),
    by_month("cost_per_resolution", CHANNEL, "channel", "cost_per_resolved_ticket",
             tolerance=0.005),
    # The agent report: each first response and resolution in the week it happened.
    Check("median_first_response_business_minutes", "fct_agent_performance",
          (WEEK, "ticket__first_response_agent_id"),
          f"select week_start_date, agent_id, median_first_response_business_minutes "
          f"from {AGENTS}", tolerance=1e-6),
    Check("median_resolution_business_minutes", "fct_agent_performance",
          (WEEK, "ticket__resolved_by_agent_id"),
          f"select week_start_date, agent_id, median_resolution_business_minutes "
          f"from {AGENTS}", tolerance=1e-6),
    # Conversations: the sentiment trend (all channels of the week) and the review queue.
    Check("negative_sentiment_share", "rpt_sentiment_trends", (WEEK,),
          "select week_start_date, sum(negative_conversations) / nullif(sum(conversations), 0) "
          "from marts.rpt_sentiment_trends group by all"),
    Check("chats_needing_review", "rpt_human_review_queue", (WEEK,),
          f"select {reporting_week('queued_at')}, count(*) from marts.rpt_human_review_queue "
          "where source_type = 'chat' group by all", missing=0),
    Check("emails_needing_review", "rpt_human_review_queue", (WEEK,),
          f"select {reporting_week('queued_at')}, count(*) from marts.rpt_human_review_queue "
          "where source_type = 'email' group by all", missing=0),
    # Customers: the churn scorecard as of the as-of instant.
    Check("high_churn_risk_companies", "fct_company_health", (),
          "select count(*) filter (where churn_risk_tier = 'high') "
          "from marts.fct_company_health"),
    Check("high_churn_risk_companies", "fct_company_health", ("company__churn_risk_tier",),
          "select churn_risk_tier, count(*) filter (where churn_risk_tier = 'high') "
          "from marts.fct_company_health group by all", missing=0),
    # Retail: loyalty customers' spending per month and category.
    Check("revenue", "rpt_customer_spending", (MONTH, "receipt_item__product_category"),
          f"select spend_month, product_category, spend from ({SPENDING})", where=LOYALTY,
          tolerance=0.005),
    Check("receipts", "rpt_customer_spending", (MONTH, "receipt_item__product_category"),
          f"select spend_month, product_category, visits from ({SPENDING})", where=LOYALTY),
    Check("average_basket", "rpt_customer_spending", (MONTH, "receipt_item__product_category"),
          f"select spend_month, product_category, spend / visits from ({SPENDING})",
          where=LOYALTY, tolerance=1e-6),
)


def key(value: Any) -> Any:
    """Group-by values comparable across MetricFlow and DuckDB (periods as dates)."""
    return value.date() if isinstance(value, dt.datetime) else value


def number(value: Any) -> float | None:
    return None if value is None else float(value)


def mismatches(engine: MetricsEngine, connection: duckdb.DuckDBPyConnection,
               check: Check) -> tuple[int, list[str]]:
    """How many periods the report has, and one line per period where the metric differs."""
    rows = engine.query([check.metric], check.group_by, check.where)
    actual = {tuple(key(row[item]) for item in check.group_by): number(row[check.metric])
              for row in rows}
    expected = {tuple(key(value) for value in row[:-1]): number(row[-1])
                for row in connection.execute(check.expected_sql).fetchall()}
    problems = []
    for period in sorted(set(expected) | set(actual), key=str):
        if any(part is None for part in period):
            continue  # no agent, category, ...: the reports have no such row
        if period not in expected and check.missing is None:
            continue  # a period the report does not cover (e.g. outside its retention window)
        want = expected.get(period, check.missing)
        got = actual.get(period, check.missing)
        same = (want is None and got is None) or (
            want is not None and got is not None and math.isclose(
                got, want, rel_tol=0, abs_tol=check.tolerance))
        if not same:
            problems.append(f"{check.metric} at {period}: MetricFlow {got}, "
                            f"{check.report} {want}")
    return len(expected), problems


@pytest.fixture(scope="module")
def semantic_manifest(built_warehouse, tmp_path_factory) -> dict:
    """The semantic manifest of this project: the test build's when it is fresh (make test),
    else from a `dbt parse` into a temporary folder."""
    manifest = prebuilt_manifest()
    path = manifest.parent / "semantic_manifest.json" if manifest else None
    if path is None or not path.is_file():
        folder = tmp_path_factory.mktemp("semantic-parse")
        result = subprocess.run(
            [str(BIN / "dbt"), "parse", "--target", "ci", "--target-path", str(folder),
             "--log-path", str(folder), "--no-partial-parse"],
            cwd=REPO, env=dbt_env(folder / "raw", folder / "unused.duckdb"),
            capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"dbt parse failed:\n{result.stdout[-4000:]}"
        path = folder / "semantic_manifest.json"
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def engine(semantic_manifest, warehouse_con) -> MetricsEngine:
    return MetricsEngine(copy.deepcopy(semantic_manifest), warehouse_con)


def test_every_report_a_metric_names_is_checked():
    """Each (metric, report mart) pair of meta.reports has a check, and every check is of a
    pair meta.reports names."""
    named = {(metric["name"], re.match(r"\w+", report).group(0))
             for metric in metric_definitions() for report in metric_reports(metric)}
    checked = {(check.metric, check.report) for check in CHECKS}
    assert named - checked == set(), "reports a metric names that no check compares"
    assert checked - named == set(), "checks of reports the metric's meta.reports omits"


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: f"{check.metric}-{check.report}"
                         f"-{'-'.join(check.group_by) or 'total'}")
def test_metric_agrees_with_its_report(engine, warehouse_con, check):
    periods, problems = mismatches(engine, warehouse_con, check)
    assert periods > 0, f"{check.report} has no rows to compare {check.metric} with"
    assert problems == [], "\n".join(problems[:10])


def test_a_drifted_definition_is_caught(semantic_manifest, warehouse_con):
    """NPS counted with 8 as a promoter, tickets by their first-response date: both disagree
    with the reports in some week."""
    drifted = copy.deepcopy(semantic_manifest)
    tickets = next(model for model in drifted["semantic_models"] if model["name"] == "tickets")
    measures = {measure["name"]: measure for measure in tickets["measures"]}
    measures["nps_promoter_answers"]["expr"] = "case when nps_score >= 8 then 1 else 0 end"
    measures["tickets_created"]["agg_time_dimension"] = "first_response_date"
    engine = MetricsEngine(drifted, warehouse_con)
    for metric in ("nps", "tickets_created"):
        check = next(check for check in CHECKS if check.metric == metric)
        assert mismatches(engine, warehouse_con, check)[1], f"drifted {metric} not caught"


def test_the_metrics_run_on_the_serving_file(built_warehouse, semantic_manifest, engine,
                                             tmp_path):
    """BI readers query the published serving file (catalog `serving`), read-only: the same
    numbers as on the warehouse."""
    from cx_warehouse import publish

    serving = tmp_path / "serving.duckdb"
    publish.publish(Path(built_warehouse["db"]), serving, log=lambda line: None)
    connection = duckdb.connect(str(serving), read_only=True)
    try:
        on_serving = MetricsEngine(copy.deepcopy(semantic_manifest), connection)
        metrics, group_by = ["tickets_created", "nps", "revenue"], ["metric_time__month"]
        rows = on_serving.query(metrics, group_by)
        assert rows and sorted(rows, key=str) == sorted(engine.query(metrics, group_by), key=str)
    finally:
        connection.close()


def test_a_missing_manifest_or_file_is_a_one_line_error(tmp_path):
    with pytest.raises(MetricsError, match="no semantic manifest at .*dbt parse"):
        MetricsEngine.open(tmp_path / "semantic_manifest.json", tmp_path / "w.duckdb")
    (tmp_path / "semantic_manifest.json").write_text("{}")
    with pytest.raises(MetricsError, match="no DuckDB file at .*make build"):
        MetricsEngine.open(tmp_path / "semantic_manifest.json", tmp_path / "w.duckdb")
