"""Every query the dashboards run, in one place: the numbers on the pages come from the marts of
the serving file (`CX_SERVING_PATH`, opened read-only), so a page never recomputes a metric
differently from the mart that defines it.

Where a page needs a cut no report mart has (SLA attainment by priority, revenue per week), the
query aggregates the mart's own rows and flags with the mart's own definition (e.g. attainment =
share of the SLA clocks of `fct_sla_events` whose `is_sla_breached` is false, as
`rpt_category_performance` counts it), and says so in its docstring.

Each function takes a DuckDB connection and returns a pandas DataFrame (or one row as a dict);
nothing here imports Streamlit, so the functions can be called from a test or a notebook.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SERVING_PATH_VARIABLE = "CX_SERVING_PATH"
#: Reviewing items shown in the oldest-first table of the conversations page.
REVIEW_QUEUE_ROWS = 15
#: Companies shown in the churn-risk table of the customers page.
RISK_TABLE_ROWS = 10
#: Weeks the "recent" cuts (intents, categories, stores) cover: the last complete weeks.
RECENT_WEEKS = 4


class ServingFileMissing(RuntimeError):
    """The serving file does not exist (or is not a DuckDB file); str() is one line with the fix."""


def serving_path() -> Path:
    """The serving file: $CX_SERVING_PATH, else data/serving.duckdb of the repository."""
    value = os.environ.get(SERVING_PATH_VARIABLE)
    return Path(value) if value else REPO / "data" / "serving.duckdb"


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the serving file (never the private warehouse)."""
    path = path or serving_path()
    if not path.is_file():
        raise ServingFileMissing(
            f"serving file {path} not found: run make build first (or set "
            f"{SERVING_PATH_VARIABLE} to a published serving file)")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ServingFileMissing(f"serving file {path} cannot be opened ({first_line}): "
                                 "run make build again") from None


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
          ) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
        ) -> dict[str, Any]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    row = cursor.fetchone()
    return dict(zip(names, row)) if row is not None else {name: None for name in names}


# --- freshness (every page) ----------------------------------------------------------------

def freshness(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The data's as-of instant (the marts' `as_of_at`, UTC) and when this serving file was
    published (`serving_info.published_at`), with the dbt invocation it came from."""
    return one(con, """
        select
            (select max(as_of_at) from marts.fct_company_health) as as_of_at,
            serving_info.published_at,
            serving_info.dbt_invocation_id,
            serving_info.storage_version
        from main.serving_info as serving_info
    """)


# --- executive -------------------------------------------------------------------------------

def executive_weeks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """rpt_weekly_executive_summary, oldest week first, with the two SLA attainments it implies,
    as the semantic layer and rpt_category_performance define them: the share of the week's
    new tickets whose first-response (resolution) SLA is not breached,
    1 - <metric>_sla_breach_count / total_tickets."""
    return frame(con, """
        select
            *,
            1 - first_response_sla_breach_count / nullif(total_tickets, 0)
                as first_response_sla_attainment_rate,
            1 - resolution_sla_breach_count / nullif(total_tickets, 0)
                as resolution_sla_attainment_rate
        from marts.rpt_weekly_executive_summary
        order by week_start_date
    """)


def headline_weeks(weeks: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None,
                                                  pd.Series | None]:
    """(latest complete week, the week before it, the running week or None) of
    executive_weeks(): "this week" on the executive page is the latest complete week, so a week
    that has only begun is never compared with a full one."""
    complete = weeks[weeks["is_complete_week"]]
    running = weeks[~weeks["is_complete_week"]
                    & (weeks["week_start_date"] > (complete["week_start_date"].max()
                                                   if len(complete) else pd.Timestamp.min))]
    this_week = complete.iloc[-1] if len(complete) else None
    last_week = complete.iloc[-2] if len(complete) > 1 else None
    current = running.iloc[-1] if len(running) else None
    return this_week, last_week, current


def open_alerts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """fct_ops_alerts of the last 7 days up to the as-of instant, newest first."""
    return frame(con, """
        select alert_date, severity, alert_type, alert_scope, metric_name, observed_value,
            threshold_value, baseline_value
        from marts.fct_ops_alerts
        where alert_date > (select max(alert_date) from marts.fct_ops_alerts) - interval 7 day
        order by alert_date desc, severity, alert_type, alert_scope
    """)


# --- SLA and backlog ---------------------------------------------------------------------------

def sla_attainment_by_priority(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per SLA metric and priority applied: SLA clocks in fct_sla_events, those breached, those
    still running, and attainment = share not breached (the definition rpt_category_performance
    uses per category), over every ticket up to the as-of instant."""
    return frame(con, """
        select
            sla_metric,
            priority_applied,
            count(*) as sla_clock_count,
            count(*) filter (where is_sla_breached) as breached_count,
            count(*) filter (where is_active_sla) as running_count,
            1 - count(*) filter (where is_sla_breached) / count(*) as sla_attainment_rate
        from marts.fct_sla_events
        group by sla_metric, priority_applied
        order by sla_metric, priority_applied
    """)


def running_sla_clocks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """SLA clocks still running at the as-of instant (fct_sla_events.is_active_sla), by metric,
    priority and whether they have already breached."""
    return frame(con, """
        select
            sla_metric,
            priority_applied,
            is_sla_breached,
            count(*) as sla_clock_count
        from marts.fct_sla_events
        where is_active_sla
        group by sla_metric, priority_applied, is_sla_breached
        order by sla_metric, priority_applied, is_sla_breached
    """)


def backlog_daily(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """fct_ticket_backlog_daily: open tickets per day and priority, with their age bands."""
    return frame(con, """
        select backlog_date, priority, open_ticket_count, open_under_1d_count,
            open_1_to_3d_count, open_3_to_7d_count, open_over_7d_count,
            created_ticket_count, resolved_ticket_count, day_end_at
        from marts.fct_ticket_backlog_daily
        order by backlog_date, priority
    """)


def backlog_latest(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The open queue at the last day of fct_ticket_backlog_daily (the as-of instant), per
    priority and age band, in long form for a stacked bar."""
    return frame(con, """
        with latest as (
            select *
            from marts.fct_ticket_backlog_daily
            where backlog_date = (select max(backlog_date) from marts.fct_ticket_backlog_daily)
        )
        unpivot latest
        on open_under_1d_count as '< 1 day', open_1_to_3d_count as '1-3 days',
            open_3_to_7d_count as '3-7 days', open_over_7d_count as '> 7 days'
        into name age_band value ticket_count
    """)


def category_month(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """rpt_category_performance: per month and category, SLA attainment and speed."""
    return frame(con, """
        select month, month_start_date, category, ticket_count,
            first_response_sla_attainment_rate, resolution_sla_attainment_rate,
            median_first_response_business_minutes, median_resolution_hours, reopen_rate,
            cost_per_ticket
        from marts.rpt_category_performance
        order by month_start_date, category
    """)


# --- agents ----------------------------------------------------------------------------------

def agent_weeks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The weeks fct_agent_performance has, newest first, with whether each is complete (the
    executive summary's is_complete_week of the same week)."""
    return frame(con, """
        select distinct
            agent_performance.iso_week,
            agent_performance.week_start_date,
            coalesce(weeks.is_complete_week, false) as is_complete_week
        from marts.fct_agent_performance as agent_performance
        left join marts.rpt_weekly_executive_summary as weeks
            on agent_performance.week_start_date = weeks.week_start_date
        order by agent_performance.week_start_date desc
    """)


def agent_performance(con: duckdb.DuckDBPyConnection, week_start_date: Any) -> pd.DataFrame:
    """fct_agent_performance of one week with the agent's name and team (dim_agents); resolved
    tickets are credited to whoever resolved them (the mart's rule)."""
    return frame(con, """
        select
            agents.agent_name,
            agents.team,
            agent_performance.*
        from marts.fct_agent_performance as agent_performance
        inner join marts.dim_agents as agents
            on agent_performance.agent_id = agents.agent_id
        where agent_performance.week_start_date = ?
        order by agent_performance.tickets_resolved_count desc, agents.agent_name
    """, [week_start_date])


def agent_team_trend(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per week and team: tickets resolved and first-response SLA attainment, summed from
    fct_agent_performance's own counts (met / first responses)."""
    return frame(con, """
        select
            agent_performance.week_start_date,
            agent_performance.iso_week,
            agents.team,
            sum(agent_performance.tickets_resolved_count) as tickets_resolved_count,
            sum(agent_performance.first_response_sla_met_count)
            / nullif(sum(agent_performance.first_response_count), 0)
                as first_response_sla_attainment_rate
        from marts.fct_agent_performance as agent_performance
        inner join marts.dim_agents as agents
            on agent_performance.agent_id = agents.agent_id
        group by agent_performance.week_start_date, agent_performance.iso_week, agents.team
        order by agent_performance.week_start_date, agents.team
    """)


# --- conversations ---------------------------------------------------------------------------

def sentiment_trends(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """rpt_sentiment_trends: per week and channel, volume, negative share and compound."""
    return frame(con, """
        select iso_week, week_start_date, channel, conversations, negative_share,
            average_sentiment_compound, trailing_4w_negative_share, negative_share_change,
            is_complete_week
        from marts.rpt_sentiment_trends
        order by week_start_date, channel
    """)


def contact_intents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Chats (fct_chat_conversations) and emails (fct_emails) per intent over the last
    RECENT_WEEKS complete reporting weeks ('(none)' where no intent was found)."""
    return frame(con, f"""
        with weeks as (
            select max(week_start_date) + interval 7 day as window_end
            from marts.rpt_sentiment_trends
            where is_complete_week
        ),
        contacts as (
            select 'chat' as source_type, intent, started_date as contact_date
            from marts.fct_chat_conversations
            union all
            select 'email' as source_type, intent, received_date as contact_date
            from marts.fct_emails
        )
        select
            contacts.source_type,
            coalesce(contacts.intent, '(none)') as intent,
            count(*) as contact_count
        from contacts
        cross join weeks
        where contacts.contact_date >= weeks.window_end - interval {7 * RECENT_WEEKS} day
            and contacts.contact_date < weeks.window_end
        group by contacts.source_type, coalesce(contacts.intent, '(none)')
        order by contact_count desc, intent, source_type
    """)


def review_queue_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Size of rpt_human_review_queue (chats and emails a person should check), how many waited
    more than a day, and the longest wait in hours."""
    return one(con, """
        select
            count(*) as review_item_count,
            count(*) filter (where source_type = 'chat') as chat_item_count,
            count(*) filter (where source_type = 'email') as email_item_count,
            count(*) filter (where waiting_hours > 24) as waiting_over_1d_count,
            max(waiting_hours) as max_waiting_hours
        from marts.rpt_human_review_queue
    """)


def review_queue_reasons(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Review items per reason (an item with two reasons counts under both) and source."""
    return frame(con, """
        with reasons as (
            select source_type, unnest(string_split(review_reasons, ',')) as review_reason
            from marts.rpt_human_review_queue
        )
        select source_type, trim(review_reason) as review_reason, count(*) as review_item_count
        from reasons
        group by source_type, trim(review_reason)
        order by review_item_count desc, review_reason, source_type
    """)


def review_queue_oldest(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The REVIEW_QUEUE_ROWS items that waited longest (no text, no customer key)."""
    return frame(con, f"""
        select queue_position, review_item_id, channel, intent, sentiment_label,
            review_reasons, round(waiting_hours, 1) as waiting_hours, queued_at
        from marts.rpt_human_review_queue
        order by queue_position
        limit {REVIEW_QUEUE_ROWS}
    """)


# --- customers -------------------------------------------------------------------------------

def churn_tiers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Companies per churn risk tier, ours and the CRM's (fct_company_health)."""
    return frame(con, """
        select 'ours' as scorer, churn_risk_tier, count(*) as company_count
        from marts.fct_company_health
        group by churn_risk_tier
        union all
        select 'CRM' as scorer, crm_churn_risk_tier as churn_risk_tier, count(*) as company_count
        from marts.fct_company_health
        group by crm_churn_risk_tier
        order by scorer, churn_risk_tier
    """)


def churn_headline(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Companies, those in the high tier, and those flagged high-risk (fct_company_health)."""
    return one(con, """
        select
            count(*) as company_count,
            count(*) filter (where churn_risk_tier = 'high') as high_tier_company_count,
            count(*) filter (where is_high_risk) as high_risk_company_count,
            avg(churn_risk_score) as average_churn_risk_score
        from marts.fct_company_health
    """)


def churn_risk_companies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The RISK_TABLE_ROWS companies with the highest churn risk score, with their reasons."""
    return frame(con, f"""
        select
            companies.company_name,
            companies.segment,
            companies.company_size,
            round(health.churn_risk_score, 1) as churn_risk_score,
            health.churn_risk_tier,
            round(health.crm_churn_risk_score * 100, 1) as crm_churn_risk_score_x100,
            health.is_high_risk,
            health.top_risk_reasons
        from marts.fct_company_health as health
        inner join marts.dim_companies as companies
            on health.company_id = companies.company_id
        order by health.churn_risk_score desc, companies.company_name
        limit {RISK_TABLE_ROWS}
    """)


def churn_components(con: duckdb.DuckDBPyConnection, limit: int = 10) -> pd.DataFrame:
    """For the `limit` companies with the highest churn risk: each scorecard component's part
    of the score, score x weight / sum of the weights (the parts of a company add up to its
    churn_risk_score, the scorecard's weighted mean), with the component's reason. The
    components are the `<component>_weight` columns of fct_company_health."""
    components = [name.removesuffix("_weight") for (name,) in con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'fct_company_health' and column_name like '%\\_weight' escape '\\' "
        "order by ordinal_position").fetchall()]
    parts = "\n            union all\n".join(
        f"select company_id, '{component}' as component, {component}_score as component_score, "
        f"{component}_weight as component_weight, {component}_reason as component_reason "
        "from top_companies"
        for component in components)
    return frame(con, f"""
        with top_companies as (
            select * from marts.fct_company_health
            order by churn_risk_score desc, company_id
            limit {int(limit)}
        ),
        parts as (
            {parts}
        )
        select
            companies.company_name,
            top_companies.churn_risk_score,
            parts.component,
            parts.component_score,
            parts.component_weight,
            parts.component_score * parts.component_weight
            / sum(parts.component_weight) over (partition by parts.company_id) as contribution,
            parts.component_reason
        from parts
        inner join top_companies on parts.company_id = top_companies.company_id
        inner join marts.dim_companies as companies on parts.company_id = companies.company_id
        where parts.component_weight > 0
        order by top_companies.churn_risk_score desc, companies.company_name, parts.component
    """)


def churn_scores(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every company's churn score beside the CRM's (x 100), for a scatter."""
    return frame(con, """
        select
            companies.company_name,
            companies.company_size,
            health.churn_risk_score,
            health.crm_churn_risk_score * 100 as crm_churn_risk_score_x100,
            health.churn_risk_tier
        from marts.fct_company_health as health
        inner join marts.dim_companies as companies
            on health.company_id = companies.company_id
    """)


def rfm_segments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Customers per RFM segment (dim_customers) with their spend and visits."""
    return frame(con, """
        select
            rfm_segment,
            count(*) as customer_count,
            sum(lifetime_spend) as lifetime_spend,
            avg(order_count) as average_order_count,
            avg(recency_days) as average_recency_days
        from marts.dim_customers
        group by rfm_segment
        order by customer_count desc, rfm_segment
    """)


# --- retail ----------------------------------------------------------------------------------

def retail_weeks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per ISO week of the stores' local dates (fct_receipts): revenue (receipt totals, tax
    included), receipts, average basket (revenue / receipts); a week is complete when its last
    day is before the day of the as-of instant."""
    return frame(con, """
        with as_of as (
            select cast(max(as_of_at) as date) as as_of_date from marts.fct_company_health
        ),
        weekly as (
            select
                date_trunc('week', transaction_date) as week_start_date,
                sum(total) as revenue,
                count(*) as receipt_count,
                sum(total) / count(*) as average_basket,
                min(transaction_date) as first_day,
                max(transaction_date) as last_day
            from marts.fct_receipts
            group by date_trunc('week', transaction_date)
        )
        select
            strftime(weekly.week_start_date, '%G-W%V') as iso_week,
            cast(weekly.week_start_date as date) as week_start_date,
            weekly.revenue,
            weekly.receipt_count,
            weekly.average_basket,
            weekly.first_day = cast(weekly.week_start_date as date)
            and cast(weekly.week_start_date as date) + 6 < as_of.as_of_date as is_complete_week
        from weekly
        cross join as_of
        order by weekly.week_start_date
    """)


def top_categories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Revenue (line totals, before tax) and units per product category over the last
    RECENT_WEEKS complete weeks of fct_receipt_items."""
    return frame(con, f"""
        with window_end as (
            select date_trunc('week', cast(max(as_of_at) as date)) as window_end
            from marts.fct_company_health
        )
        select
            items.product_category,
            sum(items.line_total) as line_revenue,
            sum(items.quantity) as units
        from marts.fct_receipt_items as items
        cross join window_end
        where items.transaction_date >= window_end.window_end - interval {7 * RECENT_WEEKS} day
            and items.transaction_date < window_end.window_end
        group by items.product_category
        order by line_revenue desc, items.product_category
    """)


def store_revenue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Revenue, receipts and average basket per store over the last RECENT_WEEKS complete weeks
    (fct_receipts)."""
    return frame(con, f"""
        with window_end as (
            select date_trunc('week', cast(max(as_of_at) as date)) as window_end
            from marts.fct_company_health
        )
        select
            receipts.store_name,
            receipts.city,
            receipts.region,
            sum(receipts.total) as revenue,
            count(*) as receipt_count,
            sum(receipts.total) / count(*) as average_basket
        from marts.fct_receipts as receipts
        cross join window_end
        where receipts.transaction_date >= window_end.window_end - interval {7 * RECENT_WEEKS} day
            and receipts.transaction_date < window_end.window_end
        group by receipts.store_name, receipts.city, receipts.region
        order by revenue desc, receipts.store_name
    """)
