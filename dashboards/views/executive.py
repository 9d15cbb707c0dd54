"""Executive: this week against last week, and the weekly trends."""

from __future__ import annotations

import streamlit as st

from dashboards import queries, ui
from dashboards.views import page


def render() -> None:
    ui.page_header(page("executive"))
    weeks = ui.load(queries.executive_weeks)
    this_week, last_week, running = queries.headline_weeks(weeks)
    if this_week is None:
        st.info("No complete week yet: the data covers less than one reporting week.")
        return
    st.subheader(f"This week: {ui.week_label(this_week)}")
    st.caption("This week is the latest complete reporting week; the changes are against "
               f"{ui.week_label(last_week)}. "
               + (f"The running week {running['iso_week']} has "
                  f"{ui.count(running['total_tickets'])} tickets so far and is shown only as "
                  "'in progress' in the trends." if running is not None else ""))
    def change(column: str) -> float | None:
        if last_week is None or ui.missing(this_week[column]) or ui.missing(last_week[column]):
            return None
        return this_week[column] - last_week[column]

    tiles = st.columns(5)
    tiles[0].metric("Tickets created", ui.count(this_week["total_tickets"]),
                    ui.delta(this_week["total_tickets_change"], 0), delta_color="off")
    tiles[1].metric("First reply in SLA",
                    ui.percent(this_week["first_response_sla_attainment_rate"]),
                    ui.delta(change("first_response_sla_attainment_rate"), points=True),
                    help="First-response SLA attainment: the share of the week's new tickets "
                         "whose first-response SLA is not "
                         "breached (a running clock counts once past its target).")
    tiles[2].metric("Resolution in SLA",
                    ui.percent(this_week["resolution_sla_attainment_rate"]),
                    ui.delta(change("resolution_sla_attainment_rate"), points=True),
                    help="Resolution SLA attainment: the share of the week's new tickets whose "
                         "resolution SLA is not "
                         "breached (net of the pauses while pending the customer).")
    tiles[3].metric("NPS", ui.number(this_week["net_promoter_score"], signed=True),
                    ui.delta(this_week["net_promoter_score_change"], unit=" pts"),
                    help="% promoters (9-10) minus % detractors (0-6) of the week's NPS answers "
                         f"({ui.count(this_week['nps_response_count'])} answers).")
    tiles[4].metric("CSAT (1-5)", ui.number(this_week["avg_csat_score"], 2),
                    ui.delta(this_week["avg_csat_score_change"], 2),
                    help=f"{ui.count(this_week['csat_rating_count'])} answers.")
    tiles = st.columns(5)
    tiles[0].metric("Open at week end", ui.count(this_week["open_tickets_at_week_end"]),
                    ui.delta(this_week["open_tickets_at_week_end_change"], 0),
                    delta_color="inverse")
    tiles[1].metric("Critical tickets", ui.count(this_week["critical_tickets"]),
                    ui.delta(this_week["critical_tickets_change"], 0), delta_color="inverse")
    tiles[2].metric("Resolved so far", ui.count(this_week["resolved_tickets"]),
                    ui.delta(change("resolved_tickets"), 0), delta_color="off",
                    help="Of the week's tickets, those fully resolved by the as-of instant.")
    tiles[3].metric("Median resolution (h)", ui.number(this_week["median_resolution_hours"]),
                    ui.delta(this_week["median_resolution_hours_change"], unit=" h"),
                    delta_color="inverse")
    tiles[4].metric("Breached tickets", ui.count(this_week["sla_breach_count"]),
                    ui.delta(this_week["sla_breach_count_change"], 0), delta_color="inverse",
                    help="The week's tickets with either SLA breached.")

    left, right = st.columns(2)
    with left:
        ui.chart(ui.weekly_trend(weeks, "total_tickets", "Tickets created per week"))
        ui.chart(ui.weekly_trend(weeks, "net_promoter_score", "NPS per week", y_format="+.1f"))
    with right:
        ui.chart(ui.weekly_trend(weeks, {"first_response_sla_attainment_rate": "first response",
                                         "resolution_sla_attainment_rate": "resolution"},
                                 "SLA attainment per week", y_format=".1%", percent_axis=True))
        ui.chart(ui.weekly_trend(weeks, "open_tickets_at_week_end", "Open tickets at week end"))

    st.subheader("Alerts of the last 7 days")
    alerts = ui.load(queries.open_alerts)
    if alerts.empty:
        st.success("No operations alert in the last 7 days.")
    else:
        ui.table(alerts, columns={
            "alert_date": st.column_config.DateColumn("day", format="YYYY-MM-DD"),
            "metric_name": st.column_config.TextColumn("metric", width="large"),
            "observed_value": st.column_config.NumberColumn("observed", format="%.3g"),
            "threshold_value": st.column_config.NumberColumn("threshold", format="%.3g"),
            "baseline_value": st.column_config.NumberColumn("baseline", format="%.3g"),
        })
