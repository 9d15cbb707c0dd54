"""Conversations: the sentiment trend, what customers contact us about, the review queue."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards import queries, ui
from dashboards.views import page


def render() -> None:
    ui.page_header(page("conversations"))
    queue = ui.load(queries.review_queue_summary)
    trends = ui.load(queries.sentiment_trends)
    complete = trends[trends["is_complete_week"]]
    last_week = complete[complete["week_start_date"] == complete["week_start_date"].max()]
    contacts = int(last_week["conversations"].sum()) if len(last_week) else 0
    negative = (float((last_week["negative_share"] * last_week["conversations"]).sum())
                / contacts if contacts else None)

    first, second, third, fourth = st.columns(4)
    first.metric("Review queue", ui.count(queue["review_item_count"]),
                 help="Chats and emails whose automatic labels a person should check "
                      "(rpt_human_review_queue).")
    second.metric("Waiting more than a day", ui.count(queue["waiting_over_1d_count"]))
    week = last_week["iso_week"].iloc[0] if len(last_week) else "–"
    third.metric(f"Contacts, {week}", ui.count(contacts),
                 help="Chats and emails of the latest complete week.")
    fourth.metric(f"Negative, {week}", ui.percent(negative),
                  help="Share of that week's chats and emails labelled negative.")

    done = trends[trends["is_complete_week"]]
    running = trends[~trends["is_complete_week"]
                     & (trends["week_start_date"] > done["week_start_date"].max())]
    trend = px.line(done, x="week_start_date", y="negative_share", color="channel",
                    markers=True, hover_data=["iso_week", "conversations"],
                    labels={"week_start_date": "week", "negative_share": "negative share"},
                    title="Share of negative contacts per complete week and channel (hollow: "
                          "the week in progress)")
    colours = {trace.name: trace.line.color for trace in trend.data}
    for channel, points in running.groupby("channel"):
        trend.add_trace(go.Scatter(
            x=points["week_start_date"], y=points["negative_share"], mode="markers",
            name=f"{channel} (so far)", showlegend=False,
            marker={"symbol": "circle-open", "size": 10, "color": colours.get(channel)}))
    trend.update_yaxes(tickformat=".0%")
    trend.update_layout(height=340)
    ui.chart(trend)

    left, right = st.columns(2)
    with left:
        intents = ui.load(queries.contact_intents)
        bars = px.bar(intents, x="contact_count", y="intent", color="source_type",
                      orientation="h",
                      labels={"contact_count": "contacts", "intent": "", "source_type": ""},
                      title=f"Intents of the last {queries.RECENT_WEEKS} complete weeks")
        bars.update_layout(height=380, yaxis={"categoryorder": "total ascending"})
        ui.chart(bars)
    with right:
        reasons = ui.load(queries.review_queue_reasons)
        why = px.bar(reasons, x="review_reason", y="review_item_count", color="source_type",
                     labels={"review_item_count": "items", "review_reason": "reason",
                             "source_type": ""},
                     title="Why items are in the review queue")
        why.update_layout(height=380)
        ui.chart(why)

    st.subheader("Waiting longest")
    ui.table(ui.load(queries.review_queue_oldest))
