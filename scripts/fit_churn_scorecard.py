"""Fit the churn scorecard's anchors and weights (var churn_scorecard) on built warehouses.

The scorecard is a measurement model: every component's value x is read as a noisy linear
measurement of the company's hidden churn risk r (0-1),  x = a + b * r + noise.  For each
component this script fits a and b by least squares against the generator's ground truth
(truth/company_churn.parquet, `latent_risk`), pooled over every warehouse given, and the noise
variance s2 of one observation (one answer, one ticket; for ticket volume, per ticket a peer
of the size band is expected to have). Then

    zero_at = a            (the value expected of a company at risk 0: score 0)
    full_at = a + b        (the value expected at risk 1: score 100)
    weight  = b^2 / s2 * var(r)   (evidence of one observation, relative to the portfolio
                                   prior's, which is the baseline component's weight 1)
    churn_portfolio_risk = mean(r)

so the scorecard's evidence-weighted mean of component scores is the (Gaussian) posterior
mean of the risk given the company's signals. A component whose fitted direction contradicts
its business reading (e.g. more technical tickets = less risk) gets weight 0 and a note.

Never pass the evaluation dataset (seed 42, the pytest fixture's): fit on other seeds.

Usage:
    .venv/bin/python scripts/fit_churn_scorecard.py data/fit/s7 data/fit/s11 ...
where each folder holds `warehouse.duckdb` (built with `dbt build`, or at least
`dbt run --select +fct_company_health`) and `truth/` (the generator's --truth-out).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cx_warehouse import cli  # noqa: E402

# component -> (SQL expression over one ticket of the look-back, expected direction of the
# value as risk grows: +1 rises, -1 falls)
TICKET_COMPONENTS: dict[str, tuple[str, int]] = {
    "nps": ("tickets.nps_score", -1),
    "csat": ("tickets.csat_score", -1),
    "complaints": ("case when tickets.category = 'COMPLAINT' then 1.0 else 0.0 end", 1),
    "negative_sentiment": (
        "case when scored.sentiment_label = 'negative' then 1.0 else 0.0 end", 1),
    "sla_breaches": ("case when tickets.is_sla_breached then 1.0 else 0.0 end", 1),
    "urgent_tickets": (
        "case when tickets.priority in ('CRITICAL', 'HIGH') then 1.0 else 0.0 end", 1),
    "technical_issues": ("case when tickets.category = 'TECHNICAL' then 1.0 else 0.0 end", 1),
}
COMPANY_COMPONENTS: dict[str, tuple[str, int]] = {
    "crm_risk": ("crm_churn_risk_score", 1),
    "ticket_volume": ("ticket_volume_index", 1),
    "transaction_volume": ("ln(transaction_volume_index)", -1),
}
ORDER = ["baseline", "crm_risk", "nps", "csat", "ticket_volume", "transaction_volume",
         "complaints", "negative_sentiment", "sla_breaches", "urgent_tickets",
         "technical_issues"]


def read_warehouse(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ticket-level and company-level signals of one built warehouse, with the true risk."""
    db, truth = folder / "warehouse.duckdb", folder / "truth" / "company_churn.parquet"
    for path in (db, truth):
        if not path.exists():
            sys.exit(f"error: {path} not found; build the warehouse and pass --truth-out "
                     f"{folder / 'truth'} to the generator")
    con = duckdb.connect(str(db), read_only=True)
    con.execute(f"create temp view truth as select * from read_parquet('{truth}')")
    lookback = ("(select max(extracted_at) from staging.stg_landing__extracts)"
                " - to_days(180)")
    columns = ", ".join(f"{expr} as {name}" for name, (expr, _) in TICKET_COMPONENTS.items())
    tickets = con.execute(f"""
        select tickets.company_id, truth.latent_risk, {columns}
        from marts.fct_tickets as tickets
        inner join intermediate.int_tickets_scored as scored
            on tickets.ticket_id = scored.ticket_id
        inner join truth on tickets.company_id = truth.company_id
        where tickets.created_at > {lookback}
    """).df()
    columns = ", ".join(f"{expr} as {name}" for name, (expr, _) in COMPANY_COMPONENTS.items())
    companies = con.execute(f"""
        select signals.company_id, truth.latent_risk, signals.peer_mean_ticket_count, {columns}
        from intermediate.int_company_signals_aggregated as signals
        inner join truth on signals.company_id = truth.company_id
    """).df()
    con.close()
    tickets["dataset"] = companies["dataset"] = folder.name
    return tickets, companies


def fit_line(value: pd.Series, risk: pd.Series, scale: pd.Series | None = None
             ) -> tuple[float, float, float]:
    """Least squares value = a + b * risk; s2 = mean squared residual (x scale if given)."""
    keep = value.notna() & np.isfinite(value)
    x, r = value[keep].to_numpy(float), risk[keep].to_numpy(float)
    b, a = np.polyfit(r, x, 1)
    residual = (x - a - b * r) ** 2
    if scale is not None:
        residual = residual * scale[keep].to_numpy(float)
    return float(a), float(b), float(residual.mean())


def main() -> int:
    parser = cli.Parser(prog="fit_churn_scorecard", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=cli.existing_dir,
                        help="built warehouse folders (warehouse.duckdb + truth/), never seed 42")
    args = parser.parse_args()
    tickets, companies = [], []
    for number, folder in enumerate(args.folders, 1):
        print(f"[{number}/{len(args.folders)}] reading {folder}", file=sys.stderr)
        ticket_frame, company_frame = read_warehouse(folder)
        tickets.append(ticket_frame)
        companies.append(company_frame)
    ticket_rows, company_rows = pd.concat(tickets), pd.concat(companies)
    prior_mean = float(company_rows["latent_risk"].mean())
    prior_var = float(company_rows["latent_risk"].var())
    fitted: dict[str, tuple[float, float, float]] = {"baseline": (0.0, 1.0, 1.0)}
    notes: list[str] = []
    for name, (_, direction) in {**TICKET_COMPONENTS, **COMPANY_COMPONENTS}.items():
        frame = ticket_rows if name in TICKET_COMPONENTS else company_rows
        scale = company_rows["peer_mean_ticket_count"] if name == "ticket_volume" else None
        a, b, s2 = fit_line(frame[name], frame["latent_risk"], scale)
        weight = b * b / s2 * prior_var
        if np.sign(b) != direction:
            notes.append(f"{name}: fitted slope {b:+.3f} contradicts its reading; weight 0")
            weight = 0.0
        fitted[name] = (a, a + b, weight)
    print(f"# fitted on {len(args.folders)} datasets: {company_rows.shape[0]} companies, "
          f"{ticket_rows.shape[0]} tickets; prior risk mean {prior_mean:.3f}, "
          f"var {prior_var:.4f}")
    for note in notes:
        print(f"# {note}")
    print("churn_scorecard:")
    for name in ORDER:
        zero_at, full_at, weight = fitted[name]
        print(f"  {name}: {{weight: {weight:.3g}, zero_at: {zero_at:.3g}, full_at: {full_at:.3g}}}")
    print(f"churn_portfolio_risk: {prior_mean:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
