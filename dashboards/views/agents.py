"""Agents: volume, speed, SLA and CSAT per agent and week, credited to who did the work."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards import queries, ui
from dashboards.views import page


def render() -> None:
    ui.page_header(page("agents"))
    weeks = ui.load(queries.agent_weeks)
    if weeks.empty:
        st.info("No agent activity in the data.")
        return
    labels = [f"{row.iso_week}" + ("" if row.is_complete_week else " (in progress)")
              for row in weeks.itertuples()]
    complete = [index for index, row in enumerate(weeks.itertuples()) if row.is_complete_week]
    choice = st.selectbox("Week", range(len(labels)), format_func=lambda index: labels[index],
                          index=complete[0] if complete else 0)
    week = weeks.iloc[choice]
    agents = ui.load(queries.agent_performance, week["week_start_date"])
    st.caption("Resolutions are credited to the agent who changed the ticket to resolved (a "
               "change the system made goes to the last agent who replied before it, else the "
               "assignee), first responses to the agent who sent them, reassignments to the "
               "agent the ticket was taken from.")

    first, second, third, fourth = st.columns(4)
    resolved = int(agents["tickets_resolved_count"].sum())
    responses = int(agents["first_response_count"].sum())
    met = int(agents["first_response_sla_met_count"].sum())
    rated = agents["csat_rating_count"].sum()
    first.metric("Agents active", ui.count(len(agents)))
    second.metric("Tickets resolved", ui.count(resolved))
    third.metric("First-response SLA attainment",
                 ui.percent(met / responses if responses else None),
                 help="First responses within SLA / first responses, all agents of the week.")
    fourth.metric("CSAT of resolved tickets",
                  ui.number((agents["avg_csat_score"] * agents["csat_rating_count"]).sum() / rated
                            if rated else None, 2))

    left, right = st.columns(2)
    with left:
        volume = px.bar(agents.sort_values("tickets_resolved_count"),
                        x=["tickets_resolved_count", "first_response_count"], y="agent_name",
                        orientation="h", barmode="group",
                        labels={"value": "tickets", "agent_name": "", "variable": ""},
                        title=f"Resolved and first-responded tickets, {week['iso_week']}")
        volume.for_each_trace(lambda trace: trace.update(name={
            "tickets_resolved_count": "resolved (credited)",
            "first_response_count": "first responses"}.get(trace.name, trace.name)))
        volume.update_layout(height=max(360, 30 * len(agents)), yaxis={"dtick": 1})
        ui.chart(volume)
    with right:
        speed = px.scatter(agents, x="median_first_response_business_minutes",
                           y="first_response_sla_attainment_rate", size="first_response_count",
                           color="team", hover_name="agent_name",
                           hover_data=["avg_csat_score", "reopen_rate",
                                       "one_touch_resolution_rate"],
                           labels={"median_first_response_business_minutes":
                                   "median first response (business minutes)",
                                   "first_response_sla_attainment_rate":
                                   "first-response SLA attainment"},
                           title="Speed against SLA attainment (size = first responses)")
        speed.update_yaxes(tickformat=".0%", range=[-0.05, 1.1])
        speed.update_layout(height=max(360, 30 * len(agents)))
        ui.chart(speed)

    trend = ui.load(queries.agent_team_trend)
    team = px.line(trend, x="week_start_date", y="first_response_sla_attainment_rate",
                   color="team", markers=True,
                   labels={"week_start_date": "week", "first_response_sla_attainment_rate":
                           "first-response SLA attainment"},
                   title="First-response SLA attainment per team and week")
    team.update_yaxes(tickformat=".0%")
    team.update_layout(height=300)
    ui.chart(team)

    st.subheader("Scorecard")
    ui.table(agents[["agent_name", "team", "tickets_assigned_count", "tickets_replied_count",
                     "tickets_resolved_count", "median_first_response_business_minutes",
                     "median_resolution_business_minutes", "first_response_sla_attainment_rate",
                     "resolution_sla_attainment_rate", "avg_csat_score", "reopen_rate",
                     "one_touch_resolution_rate", "reassignment_count"]],
             columns={
                 "agent_name": st.column_config.TextColumn("agent"),
                 "tickets_assigned_count": st.column_config.NumberColumn("assigned"),
                 "tickets_replied_count": st.column_config.NumberColumn("replied"),
                 "tickets_resolved_count": st.column_config.NumberColumn("resolved"),
                 "reassignment_count": st.column_config.NumberColumn("reassigned away"),
                 "first_response_sla_attainment_rate": st.column_config.NumberColumn(
                     "first-response SLA", format="percent"),
                 "resolution_sla_attainment_rate": st.column_config.NumberColumn(
                     "resolution SLA", format="percent"),
                 "reopen_rate": st.column_config.NumberColumn("reopen rate", format="percent"),
                 "one_touch_resolution_rate": st.column_config.NumberColumn(
                     "one-touch rate", format="percent"),
                 "avg_csat_score": st.column_config.NumberColumn("CSAT", format="%.2f"),
                 "median_first_response_business_minutes": st.column_config.NumberColumn(
                     "1st response (bus. min)", format="%.0f"),
                 "median_resolution_business_minutes": st.column_config.NumberColumn(
                     "resolution (bus. min)", format="%.0f"),
             })
