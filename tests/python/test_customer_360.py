"""Customer-360 and churn: quality of the churn score, RFM, customer metrics and privacy.

Expected values come from the generator's ground truth of the session's warehouse
(company_churn.parquet: which companies churn in the 90 days after the extract) or are
recomputed here from the raw files (valid rows = every raw row the truth's dirty_rows.parquet
does not list); nothing is copied from a previous run.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from conftest import dbt_env, generate, run_dbt

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
PROJECT_VARS = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]
AUC_BAR = 0.75
# The churn bar is measured on seed 42 (never used to fit) at scale 10: 1,000 companies.
CHURN_EVALUATION_SCALE, CHURN_EVALUATION_SEED = 10, 42


def roc_auc(labels: list[bool], scores: list[float]) -> float:
    """ROC AUC by the Mann-Whitney U statistic, tied scores sharing their average rank."""
    pairs = sorted(zip(scores, labels), key=lambda pair: pair[0])
    ranks = [0.0] * len(pairs)
    start = 0
    while start < len(pairs):
        end = start
        while end + 1 < len(pairs) and pairs[end + 1][0] == pairs[start][0]:
            end += 1
        for position in range(start, end + 1):
            ranks[position] = (start + end) / 2 + 1
        start = end + 1
    positives = sum(1 for _, label in pairs if label)
    negatives = len(pairs) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("AUC needs both classes")
    positive_rank_sum = sum(rank for rank, (_, label) in zip(ranks, pairs) if label)
    return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def test_roc_auc_helper():
    assert roc_auc([False, True], [0.1, 0.9]) == 1.0
    assert roc_auc([True, False], [0.1, 0.9]) == 0.0
    assert roc_auc([True, False, True, False], [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert math.isclose(roc_auc([False, False, True, True], [0.1, 0.4, 0.35, 0.8]), 0.75)


@pytest.fixture(scope="module")
def con(warehouse_con):
    """A cursor of the session's read-only connection: a clean result state of its own."""
    cursor = warehouse_con.cursor()
    yield cursor
    cursor.close()


@pytest.fixture(scope="module")
def raw(built_warehouse):
    """An in-memory connection with clean raw tables as views (dirty rows removed)."""
    raw_dir, truth_dir = built_warehouse["raw"], built_warehouse["truth"]
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    connection.execute(
        f"create view dirty as select * from read_parquet('{truth_dir / 'dirty_rows.parquet'}')"
    )
    for table in ("receipts", "tickets", "customers", "companies"):
        connection.execute(f"""
            create view clean_{table} as
            select raw_rows.* exclude (file_row_number)
            from read_parquet('{raw_dir / f'{table}.parquet'}', file_row_number = true)
                as raw_rows
            anti join (select row_number from dirty where source_table = '{table}') as d
                on raw_rows.file_row_number = d.row_number
        """)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def extracted_at(built_warehouse) -> pd.Timestamp:
    manifest = json.loads((built_warehouse["raw"] / "_extract.json").read_text())
    return pd.Timestamp(manifest["extracted_at"]).tz_convert("UTC")


@pytest.fixture(scope="module")
def health(con) -> pd.DataFrame:
    return con.execute("select * from marts.fct_company_health").df()


# --------------------------------------------------------------------------------------------
# Churn score quality
# --------------------------------------------------------------------------------------------


def churn_aucs(health: pd.DataFrame, truth_dir: Path) -> dict[str, float]:
    """AUC of our score, the behaviour-only score and the CRM's, against the truth."""
    truth = pd.read_parquet(truth_dir / "company_churn.parquet")
    scored = health.merge(truth, on="company_id", how="inner")
    assert len(scored) == len(health) >= 50, "every scored company should be in the truth"
    labels = scored["churned_in_next_90_days"].astype(bool).tolist()
    assert 0 < sum(labels) < len(labels)
    aucs = {
        "ours": roc_auc(labels, scored["churn_risk_score"].tolist()),
        "behaviour": roc_auc(labels, scored["behaviour_risk_score"].tolist()),
        "crm": roc_auc(labels, scored["crm_churn_risk_score"].tolist()),
        "churners": sum(labels),
        "companies": len(labels),
    }
    print("churn AUC: ours {ours:.3f}, behaviour only {behaviour:.3f}, CRM {crm:.3f} "
          "({churners} churners of {companies} companies)".format(**aucs))
    return aucs


@pytest.fixture(scope="module")
def evaluation_health(tmp_path_factory) -> tuple[pd.DataFrame, Path]:
    """fct_company_health on the churn evaluation dataset: seed 42 (never used to fit the
    scorecard) at scale 10, i.e. 1,000 companies. Only the models the scorecard needs are built
    (about a minute); see DECISIONS.md "Churn risk" for why the bar is measured here."""
    root = tmp_path_factory.mktemp("churn_evaluation")
    raw, truth, db = root / "raw", root / "truth", root / "warehouse.duckdb"
    generate(raw, truth, scale=CHURN_EVALUATION_SCALE, seed=CHURN_EVALUATION_SEED)
    build = run_dbt(["build", "--select", "+fct_company_health", "--resource-type", "seed",
                     "model", "--target-path", str(root / "target")],
                    dbt_env(raw, db), root / "logs")
    assert build.returncode == 0, build.stdout[-4000:]
    with duckdb.connect(str(db), read_only=True) as connection:
        health = connection.execute("select * from marts.fct_company_health").df()
    return health, truth


def test_churn_score_auc_beats_the_bar_and_the_crm(evaluation_health):
    """Issue 4's bar: ROC AUC of our churn score for the companies that churn in the next 90
    days >= 0.75, and above the CRM's own score's AUC, on the evaluation dataset."""
    health, truth_dir = evaluation_health
    aucs = churn_aucs(health, truth_dir)
    assert aucs["companies"] == 100 * CHURN_EVALUATION_SCALE
    assert aucs["ours"] >= AUC_BAR
    assert aucs["ours"] > aucs["crm"]


def test_churn_score_beats_the_crm_on_the_session_dataset(built_warehouse, health):
    """At scale 1 (100 companies, ~16 churners) the AUC's standard error is about 0.07, too
    wide to test a 0.75 bar; ours must still rank churners better than the CRM's score."""
    aucs = churn_aucs(health, built_warehouse["truth"])
    assert aucs["ours"] > aucs["crm"]


def test_high_tier_churns_more_than_low_tier(built_warehouse, health):
    truth = pd.read_parquet(built_warehouse["truth"] / "company_churn.parquet")
    scored = health.merge(truth, on="company_id")
    rates = scored.groupby("churn_risk_tier")["churned_in_next_90_days"].mean()
    assert rates["high"] > rates["low"]


# --------------------------------------------------------------------------------------------
# Scorecard: the total is what the components and the documented weights say
# --------------------------------------------------------------------------------------------

COMPONENTS = list(PROJECT_VARS["churn_scorecard"])
TICKET_MIX = ("complaints", "negative_sentiment", "sla_breaches", "urgent_tickets",
              "technical_issues")


def test_scorecard_total_is_the_evidence_weighted_mean_of_its_components(con, health):
    """weight = the var's weight per observation x the observations behind the value
    (recomputed here from the row's counts and the size band's mean ticket count);
    total = sum(weight x score) / sum(weight) over the components with a value."""
    assert len(COMPONENTS) == 11
    spec = PROJECT_VARS["churn_scorecard"]
    sizes = con.execute("select company_id, company_size from marts.dim_companies").df()
    frame = health.merge(sizes, on="company_id")
    band_mean = frame.groupby("company_size")["ticket_count_180d"].transform("mean")
    for row, peer_mean in zip(frame.itertuples(index=False), band_mean):
        observations = {"baseline": 1, "crm_risk": 1, "transaction_volume": 1,
                        "nps": row.nps_response_count_180d,
                        "csat": row.csat_response_count_180d,
                        "ticket_volume": peer_mean,
                        **{name: row.ticket_count_180d for name in TICKET_MIX}}
        weights, scores = {}, {}
        for name in COMPONENTS:
            score, weight = getattr(row, f"{name}_score"), getattr(row, f"{name}_weight")
            if pd.isna(score):
                assert pd.isna(weight), (row.company_id, name)
                continue
            assert math.isclose(weight, spec[name]["weight"] * observations[name],
                                rel_tol=1e-9, abs_tol=1e-12), (row.company_id, name)
            weights[name], scores[name] = weight, score
        total = sum(weights[n] * scores[n] for n in scores) / sum(weights.values())
        behaviour = [n for n in scores if n != "crm_risk"]
        behaviour_total = (sum(weights[n] * scores[n] for n in behaviour)
                           / sum(weights[n] for n in behaviour))
        assert math.isclose(row.churn_risk_score, total, abs_tol=1e-9), row.company_id
        assert math.isclose(row.behaviour_risk_score, behaviour_total, abs_tol=1e-9)
        tier = ("high" if total >= PROJECT_VARS["churn_tier_high"]
                else "medium" if total >= PROJECT_VARS["churn_tier_medium"] else "low")
        assert row.churn_risk_tier == tier


def test_more_evidence_moves_a_company_further_from_the_baseline(health):
    """With no answers and no tickets a company's behaviour score is pulled to the baseline;
    the behaviour score of companies with many answers spreads wider than of those with few."""
    baseline = 100 * PROJECT_VARS["churn_portfolio_risk"]
    answers = health["nps_response_count_180d"] + health["csat_response_count_180d"]
    spread = (health["behaviour_risk_score"] - baseline).abs()
    few, many = spread[answers <= answers.median()], spread[answers > answers.median()]
    assert many.mean() > few.mean()


def test_component_scores_follow_their_anchors(health):
    for name, spec in PROJECT_VARS["churn_scorecard"].items():
        values, scores = health[f"{name}_value"], health[f"{name}_score"]
        for value, score in zip(values, scores):
            if pd.isna(value):
                assert pd.isna(score)
                continue
            expected = 100 * (value - spec["zero_at"]) / (spec["full_at"] - spec["zero_at"])
            assert math.isclose(score, min(100.0, max(0.0, expected)), abs_tol=1e-9), name


def test_every_component_explains_itself_with_its_value(health):
    """Each ticket-share component's reason starts with the 'k of n tickets' it scored; the
    CRM's reason quotes its score; every company has reasons and a top-reasons line."""
    for name in ("complaints", "negative_sentiment", "sla_breaches", "urgent_tickets"):
        rows = zip(health[f"{name}_value"], health[f"{name}_reason"],
                   health["ticket_count_180d"])
        for value, reason, tickets in rows:
            part, total = reason.split(" tickets")[0].split(" of ")
            assert int(total) == tickets, (name, reason)
            if tickets:
                assert math.isclose(int(part) / tickets, value), (name, value, reason)
            else:
                assert pd.isna(value), (name, value, reason)
    prefix = "the CRM's own churn score is "
    for value, reason in zip(health["crm_risk_value"], health["crm_risk_reason"]):
        assert reason.startswith(prefix)
        assert abs(float(reason.removeprefix(prefix)) - value) <= 0.005 + 1e-9, reason
    for name in COMPONENTS:
        assert health[f"{name}_reason"].str.len().min() > 10
    assert health["top_risk_reasons"].str.len().min() > 0


def test_high_risk_company_has_a_high_risk_person(con, health):
    people = con.execute(
        "select company_id, count(*) filter (where is_high_risk) as flagged "
        "from marts.fct_customer_risk_signals group by company_id"
    ).df().set_index("company_id")["flagged"]
    for row in health.itertuples(index=False):
        assert row.is_high_risk == (people.get(row.company_id, 0) > 0), row.company_id


def test_ticket_volume_counts_match_the_raw_tickets(raw, health, extracted_at):
    lookback = PROJECT_VARS["churn_lookback_days"]
    expected = raw.execute(f"""
        select company_id, count(*) as tickets
        from clean_tickets
        where created_at > timestamp '{extracted_at.tz_localize(None)}'
            - interval {lookback} day
        group by company_id
    """).df().set_index("company_id")["tickets"]
    assert lookback == 180, "fct_company_health names its look-back counts _180d"
    for row in health.itertuples(index=False):
        assert row.ticket_count_180d == expected.get(row.company_id, 0), row.company_id


def test_windowed_and_all_time_ticket_counts_are_named_apart(con, health):
    """fct_company_health's ticket_count_180d is the look-back's; dim_companies' ticket_count
    counts every ticket to date, so it is never smaller, and is larger for some company."""
    companies = con.execute(
        "select company_id, ticket_count from marts.dim_companies").df().set_index("company_id")
    joined = health.set_index("company_id").join(companies)
    assert "ticket_count" not in health.columns
    assert (joined["ticket_count"] >= joined["ticket_count_180d"]).all()
    assert (joined["ticket_count_180d"]
            == joined["ticket_count_recent_90d"] + joined["ticket_count_prior_90d"]).all()


# --------------------------------------------------------------------------------------------
# Customer-360
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def customers(con) -> pd.DataFrame:
    return con.execute("select * from marts.dim_customers").df()


@pytest.fixture(scope="module")
def purchases(raw, extracted_at) -> pd.DataFrame:
    """Per loyalty customer, from the clean raw receipts: orders, spend (cents), last purchase."""
    return raw.execute(f"""
        select
            customer_id,
            count(*) as orders,
            cast(round(sum(total) * 100) as bigint) as spend_cents,
            max(try_cast(transaction_at as timestamptz)) as last_purchase_at
        from clean_receipts
        where customer_id is not null
            and try_cast(transaction_at as timestamptz) <= timestamptz '{extracted_at}'
        group by customer_id
    """).df()


def test_one_row_per_identity(con, customers):
    identities = con.execute("select count(*) from marts.dim_customer_identities").fetchone()[0]
    assert len(customers) == identities
    assert customers["customer_identity_id"].is_unique


def test_purchases_match_the_raw_receipts(customers, purchases):
    shown = customers.dropna(subset=["customer_id"]).set_index("customer_id")
    expected = purchases.set_index("customer_id")
    buyers = shown[shown["has_purchases"]]
    assert set(buyers.index) == set(expected.index)
    for customer_id, row in expected.iterrows():
        assert shown.at[customer_id, "order_count"] == row["orders"], customer_id
        assert round(float(shown.at[customer_id, "lifetime_spend"]) * 100) == row["spend_cents"]


def min_rank(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """1-based rank by the keys in order; rows equal on every key share their first rank."""
    ordered = frame.sort_values(keys, kind="mergesort")
    ranks, previous, rank = [], None, 0
    for position, values in enumerate(zip(*(ordered[key] for key in keys))):
        if values != previous:
            rank, previous = position + 1, values
        ranks.append(rank)
    return pd.Series(ranks, index=ordered.index)


def test_rfm_scores_are_tie_broken_quintiles(customers, purchases):
    """Recomputed from raw receipts with the documented rule: quintile = 1 + floor(5 x (rank -
    1) / n); recency ties broken by frequency then money, frequency by money then recency,
    money by frequency then recency."""
    frame = purchases.copy()
    n = len(frame)
    rules = {
        "rfm_recency_score": ["last_purchase_at", "orders", "spend_cents"],
        "rfm_frequency_score": ["orders", "spend_cents", "last_purchase_at"],
        "rfm_monetary_score": ["spend_cents", "orders", "last_purchase_at"],
    }
    shown = customers.dropna(subset=["customer_id"]).set_index("customer_id")
    for column, keys in rules.items():
        expected = 1 + (5 * (min_rank(frame, keys) - 1)) // n
        for index, score in expected.items():
            assert shown.at[frame.at[index, "customer_id"], column] == score, column
    # Quintiles hold about a fifth of the buyers each.
    counts = shown["rfm_frequency_score"].value_counts()
    assert counts.min() >= n / 5 * 0.5


def test_ticket_counts_match_the_raw_tickets(raw, customers):
    expected = raw.execute(
        "select customer_id, count(*) as tickets from clean_tickets group by customer_id"
    ).df().set_index("customer_id")["tickets"]
    shown = customers.dropna(subset=["customer_id"]).set_index("customer_id")["ticket_count"]
    for customer_id, count in shown.items():
        assert count == expected.get(customer_id, 0), customer_id


def test_churn_risk_is_the_companys(customers, health):
    company_scores = health.set_index("company_id")["churn_risk_score"]
    with_company = customers.dropna(subset=["company_id"])
    for row in with_company.itertuples(index=False):
        assert math.isclose(row.churn_risk_score, company_scores[row.company_id])


def test_no_raw_personal_data_in_the_customer_360(raw, con, built_warehouse):
    """No raw name, email, phone or CNPJ appears in any text column of the three marts (names
    are not in the generator's PII list, so the global scan cannot catch them)."""
    names = {value for (value,) in raw.execute(
        "select customer_name from clean_customers where customer_name is not null").fetchall()}
    pii = pd.read_parquet(built_warehouse["truth"] / "pii_values.parquet")
    secrets = names | set(pii["value"].dropna())
    for table in ("dim_customers", "dim_companies", "fct_company_health"):
        columns = [name for name, data_type in con.execute(
            "select column_name, data_type from information_schema.columns "
            f"where table_schema = 'marts' and table_name = '{table}'").fetchall()
            if data_type in ("VARCHAR", "VARCHAR[]")]
        frame = con.execute(f"select {', '.join(columns)} from marts.{table}").df()
        for column in columns:
            text = "\n".join(frame[column].dropna().astype(str))
            leaked = sorted(secret for secret in secrets if secret in text)
            assert not leaked, f"{table}.{column} shows raw personal data"


# --------------------------------------------------------------------------------------------
# The fitting script (scripts/fit_churn_scorecard.py) - run here on the session's warehouse
# only to test the script; the project's weights were fitted on other seeds, never on this one
# --------------------------------------------------------------------------------------------


def test_fitting_script_recovers_the_crm_measurement_line(built_warehouse, tmp_path):
    """The CRM's score is the hidden risk plus noise in the generator, so the fitted line must
    put zero_at near 0 and full_at near 1; every component of the var block is printed, and a
    component whose fitted direction contradicts its reading gets weight 0."""
    import subprocess
    import sys

    folder = tmp_path / "fit"
    folder.mkdir()
    (folder / "warehouse.duckdb").symlink_to(built_warehouse["db"])
    (folder / "truth").symlink_to(built_warehouse["truth"])
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "fit_churn_scorecard.py"), str(folder)],
        capture_output=True, text=True, timeout=120, check=True)
    fitted = yaml.safe_load(result.stdout)
    scorecard = fitted["churn_scorecard"]
    assert list(scorecard) == list(PROJECT_VARS["churn_scorecard"])
    assert abs(scorecard["crm_risk"]["zero_at"]) < 0.1
    assert abs(scorecard["crm_risk"]["full_at"] - 1) < 0.15
    assert scorecard["nps"]["full_at"] < scorecard["nps"]["zero_at"]
    assert 0.15 < fitted["churn_portfolio_risk"] < 0.45
    for line in result.stdout.splitlines():
        if "contradicts its reading" in line:
            assert scorecard[line.removeprefix("# ").split(":")[0]]["weight"] == 0, line
    missing = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "fit_churn_scorecard.py"), str(tmp_path / "no")],
        capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "no such folder" in missing.stderr
