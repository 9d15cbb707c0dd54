"""Retail: revenue per week, the top categories and the stores."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboards import queries, ui
from dashboards.views import page


def render() -> None:
    ui.page_header(page("retail"))
    weeks = ui.load(queries.retail_weeks)
    complete = weeks[weeks["is_complete_week"]]
    if complete.empty:
        st.info("No complete week of receipts in the data.")
        return
    this_week = complete.iloc[-1]
    last_week = complete.iloc[-2] if len(complete) > 1 else None

    def change(column: str):
        return None if last_week is None else this_week[column] - last_week[column]

    st.subheader(f"Last complete week: {ui.week_label(this_week)}")
    first, second, third = st.columns(3)
    first.metric("Revenue (tax included)", ui.money(this_week["revenue"]),
                 ui.delta(change("revenue"), 2))
    second.metric("Receipts", ui.count(this_week["receipt_count"]),
                  ui.delta(change("receipt_count"), 0))
    third.metric("Average basket", ui.money(this_week["average_basket"]),
                 ui.delta(change("average_basket"), 2))

    left, right = st.columns(2)
    with left:
        ui.chart(ui.weekly_trend(weeks, "revenue", "Revenue per week ($)", y_format=",.0f"))
    with right:
        ui.chart(ui.weekly_trend(weeks, "average_basket", "Average basket per week ($)",
                                 y_format=",.2f"))

    left, right = st.columns(2)
    with left:
        categories = ui.load(queries.top_categories)
        bars = px.bar(categories.head(10).sort_values("line_revenue"), x="line_revenue",
                      y="product_category", orientation="h", hover_data=["units"],
                      labels={"line_revenue": "revenue before tax ($)", "product_category": ""},
                      title=f"Top categories, last {queries.RECENT_WEEKS} complete weeks")
        bars.update_layout(height=380)
        ui.chart(bars)
    with right:
        stores = ui.load(queries.store_revenue)
        store_bars = px.bar(stores.sort_values("revenue"), x="revenue", y="store_name",
                            color="region", orientation="h",
                            hover_data=["city", "receipt_count", "average_basket"],
                            labels={"revenue": "revenue ($)", "store_name": ""},
                            title=f"Stores, last {queries.RECENT_WEEKS} complete weeks")
        store_bars.update_layout(height=max(380, 26 * len(stores)),
                                 yaxis={"categoryorder": "total ascending", "dtick": 1},
                                 legend={"orientation": "h", "y": -0.15})
        ui.chart(store_bars)
