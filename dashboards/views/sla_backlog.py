"""SLA and backlog: attainment by priority, the open queue by priority and age."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards import queries, ui
from dashboards.views import page

AGE_BANDS = ["< 1 day", "1-3 days", "3-7 days", "> 7 days"]


def render() -> None:
    ui.page_header(page("sla_backlog"))
    attainment = ui.load(queries.sla_attainment_by_priority)
    latest = ui.load(queries.backlog_latest)
    running = ui.load(queries.running_sla_clocks)

    open_now = int(latest["ticket_count"].sum()) if len(latest) else 0
    older = int(latest.loc[latest["age_band"] == "> 7 days", "ticket_count"].sum())
    breached_running = int(running.loc[running["is_sla_breached"], "sla_clock_count"].sum())
    first, second, third = st.columns(3)
    first.metric("Open tickets now", ui.count(open_now),
                 help="Open, in progress or pending the customer at the as-of instant.")
    second.metric("Open for more than 7 days", ui.count(older))
    third.metric("Running SLA clocks already breached", ui.count(breached_running),
                 help="First-response and resolution clocks of open tickets that are past "
                      "their target and still running.")

    priorities = ui.ordered(attainment["priority_applied"], ui.PRIORITY_ORDER)
    figure = px.bar(attainment, x="priority_applied", y="sla_attainment_rate", color="sla_metric",
                    barmode="group", category_orders={"priority_applied": priorities},
                    text_auto=".1%", hover_data=["sla_clock_count", "breached_count",
                                                 "running_count"],
                    labels={"priority_applied": "priority", "sla_attainment_rate": "attainment",
                            "sla_metric": "SLA"},
                    title="SLA attainment by priority, all tickets to date")
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
    figure.update_layout(height=340)

    left, right = st.columns(2)
    with left:
        ui.chart(figure)
    with right:
        backlog = px.bar(latest, x="priority", y="ticket_count", color="age_band",
                         category_orders={"priority": ui.ordered(latest["priority"],
                                                                 ui.PRIORITY_ORDER),
                                          "age_band": AGE_BANDS},
                         color_discrete_sequence=["#c6dbef", "#6baed6", "#2171b5", "#08306b"],
                         labels={"ticket_count": "open tickets", "age_band": "age"},
                         title="Open queue now, by priority and age since creation")
        backlog.update_layout(height=340)
        ui.chart(backlog)

    daily = ui.load(queries.backlog_daily)
    trend = px.area(daily, x="backlog_date", y="open_ticket_count", color="priority",
                    category_orders={"priority": ui.ordered(daily["priority"],
                                                            ui.PRIORITY_ORDER)},
                    color_discrete_map=ui.PRIORITY_COLOURS,
                    labels={"backlog_date": "day", "open_ticket_count": "open at day end"},
                    title="Open tickets at the end of each day, by priority")
    trend.update_layout(height=320)
    ui.chart(trend)

    st.subheader("SLA attainment by category and month")
    categories = ui.load(queries.category_month)
    attainment_grid = categories.pivot(index="category", columns="month",
                                       values="resolution_sla_attainment_rate")
    heat = px.imshow(attainment_grid, text_auto=".0%", aspect="auto", zmin=0.5, zmax=1,
                     color_continuous_scale="RdYlGn",
                     labels={"color": "resolution SLA", "x": "month", "y": ""},
                     title="Resolution SLA attainment per category and month")
    heat.update_xaxes(type="category")
    heat.update_layout(height=320, coloraxis_colorbar={"tickformat": ".0%"})
    ui.chart(heat)
    with st.expander("SLA clocks by priority (table)"):
        ui.table(attainment)
