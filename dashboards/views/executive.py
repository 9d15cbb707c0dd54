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
    first, second, third, fourth = st.columns(4)
    first.metric("Tickets created", ui.count(this_week["total_tickets"]),
                 ui.delta(this_week["total_tickets_change"], 0), delta_color="off")
    second.metric("SLA attainment", ui.percent(this_week["sla_attainment_rate"]),
                  ui.delta(-this_week["sla_breach_rate_change"]
                           if not ui.missing(this_week["sla_breach_rate_change"]) else None,
                           points=True),
                  help="Share of the week's tickets with neither the first-response nor the "
                       "resolution SLA breached (1 - sla_breach_rate).")
    third.metric("NPS", ui.number(this_week["net_promoter_score"], signed=True),
                 ui.delta(this_week["net_promoter_score_change"], unit=" pts"),
                 help="% promoters (9-10) minus % detractors (0-6) of the week's NPS answers "
                      f"({ui.count(this_week['nps_response_count'])} answers).")
    fourth.metric("CSAT (1-5)", ui.number(this_week["avg_csat_score"], 2),
                  ui.delta(this_week["avg_csat_score_change"], 2),
                  help=f"{ui.count(this_week['csat_rating_count'])} answers.")
    fifth, sixth, seventh, eighth = st.columns(4)
    fifth.metric("Open at week end", ui.count(this_week["open_tickets_at_week_end"]),
                 ui.delta(this_week["open_tickets_at_week_end_change"], 0),
                 delta_color="inverse")
    sixth.metric("Critical tickets", ui.count(this_week["critical_tickets"]),
                 ui.delta(this_week["critical_tickets_change"], 0), delta_color="inverse")
    seventh.metric("Median resolution (h)", ui.number(this_week["median_resolution_hours"]),
                   ui.delta(this_week["median_resolution_hours_change"], unit=" h"),
                   delta_color="inverse")
    eighth.metric("SLA breaches", ui.count(this_week["sla_breach_count"]),
                  ui.delta(this_week["sla_breach_count_change"], 0), delta_color="inverse")

    left, right = st.columns(2)
    with left:
        ui.chart(ui.weekly_trend(weeks, "total_tickets", "Tickets created per week"))
        ui.chart(ui.weekly_trend(weeks, "net_promoter_score", "NPS per week", y_format="+.1f"))
    with right:
        ui.chart(ui.weekly_trend(weeks, "sla_attainment_rate", "SLA attainment per week",
                                 y_format=".1%", percent_axis=True))
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
