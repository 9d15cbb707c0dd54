"""Customers: which companies may churn and why, and the RFM segments of the shoppers."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards import queries, ui
from dashboards.views import page

TIER_ORDER = ["high", "medium", "low"]
TIER_COLOURS = {"high": "#b2182b", "medium": "#ef8a62", "low": "#67a9cf"}


def render() -> None:
    ui.page_header(page("customers"))
    headline = ui.load(queries.churn_headline)
    first, second, third, fourth = st.columns(4)
    first.metric("Companies", ui.count(headline["company_count"]))
    second.metric("High churn-risk tier", ui.count(headline["high_tier_company_count"]))
    third.metric("Flagged high-risk", ui.count(headline["high_risk_company_count"]),
                 help="At least one of the company's people had a negative contact in 30 days "
                      "together with repeated technical issues.")
    fourth.metric("Average churn risk (0-100)",
                  ui.number(headline["average_churn_risk_score"]))

    left, right = st.columns(2)
    with left:
        tiers = ui.load(queries.churn_tiers)
        bars = px.bar(tiers, x="churn_risk_tier", y="company_count", color="scorer",
                      barmode="group", category_orders={"churn_risk_tier": TIER_ORDER},
                      labels={"churn_risk_tier": "tier", "company_count": "companies",
                              "scorer": ""},
                      title="Companies per churn-risk tier, ours and the CRM's")
        bars.update_layout(height=340)
        ui.chart(bars)
    with right:
        scores = ui.load(queries.churn_scores)
        scatter = px.scatter(scores, x="crm_churn_risk_score_x100", y="churn_risk_score",
                             color="churn_risk_tier", hover_name="company_name",
                             color_discrete_map=TIER_COLOURS,
                             category_orders={"churn_risk_tier": TIER_ORDER},
                             labels={"crm_churn_risk_score_x100": "CRM score x 100",
                                     "churn_risk_score": "our churn risk score"},
                             title="Our churn score against the CRM's")
        scatter.update_layout(height=340)
        ui.chart(scatter)

    st.subheader("Highest churn risk, with the reasons")
    parts = ui.load(queries.churn_components, 10)
    breakdown = px.bar(parts, x="contribution", y="company_name", color="component",
                       orientation="h", hover_data={"component_reason": True,
                                                    "component_score": ":.0f",
                                                    "contribution": ":.1f"},
                       labels={"contribution": "points of the churn risk score (0-100)",
                               "company_name": "", "component": "component"},
                       title="What makes up the score of the 10 riskiest companies "
                             "(hover for the reason)")
    breakdown.update_layout(height=420, yaxis={"categoryorder": "total ascending"})
    ui.chart(breakdown)
    ui.table(ui.load(queries.churn_risk_companies),
             columns={
                 "company_name": st.column_config.TextColumn("company"),
                 "segment": None, "company_size": st.column_config.TextColumn("size"),
                 "churn_risk_score": st.column_config.NumberColumn("churn risk",
                                                                   format="%.1f"),
                 "churn_risk_tier": st.column_config.TextColumn("tier"),
                 "crm_churn_risk_score_x100": st.column_config.NumberColumn("CRM x 100",
                                                                            format="%.1f"),
                 "is_high_risk": st.column_config.CheckboxColumn("flagged"),
                 "top_risk_reasons": st.column_config.TextColumn("top reasons (biggest "
                                                                 "first)", width="large"),
             })

    st.subheader("RFM segments of the shoppers")
    segments = ui.load(queries.rfm_segments)
    left, right = st.columns(2)
    with left:
        tree = px.treemap(segments, path=["rfm_segment"], values="customer_count",
                          title="Customers per RFM segment")
        tree.update_layout(height=360, margin={"l": 10, "r": 10, "t": 40, "b": 10})
        ui.chart(tree)
    with right:
        spend = px.bar(segments.sort_values("lifetime_spend"), x="lifetime_spend",
                       y="rfm_segment", orientation="h",
                       labels={"lifetime_spend": "lifetime spend ($)", "rfm_segment": ""},
                       title="Lifetime spend per RFM segment")
        spend.update_layout(height=360)
        ui.chart(spend)
