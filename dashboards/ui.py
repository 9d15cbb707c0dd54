"""What every dashboard page shares: cached queries against the serving file, the freshness line
(the data's as-of instant and the publish time), number formats and the weekly trend chart that
marks the unfinished current week instead of drawing it as a drop."""

from __future__ import annotations

import math
from typing import Any, Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards import queries
from dashboards.views import PageSpec

#: Colours of the priorities (worst first), reused by every chart that splits by priority.
PRIORITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW"]
PRIORITY_COLOURS = {"CRITICAL": "#b2182b", "HIGH": "#ef8a62", "MEDIUM": "#67a9cf",
                    "LOW": "#2166ac"}
RUNNING_WEEK_NOTE = "week in progress (up to the as-of instant)"
SERIES_COLOURS = ["#2166ac", "#b2182b", "#1b7837", "#762a83"]


def _version() -> tuple[str, int, int]:
    """Identifies one published version of the serving file: a new publish (an atomic rename)
    changes the inode and mtime, so cached results of the old version are not reused."""
    path = queries.serving_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), 0, 0)
    return (str(path), stat.st_ino, stat.st_mtime_ns)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(name: str, version: tuple[str, int, int], args: tuple[Any, ...]) -> Any:
    connection = queries.connect()
    try:
        return getattr(queries, name)(connection, *args)
    finally:
        connection.close()


def load(function: Callable[..., Any], *args: Any) -> Any:
    """Run a function of dashboards.queries on the current serving file (cached per version)."""
    return _cached(function.__name__, _version(), args)


def page_header(spec: PageSpec) -> dict[str, Any]:
    """Title, the question the page answers, and the freshness line; returns freshness()."""
    st.title(spec.title)
    st.markdown(f"*{spec.answers}*")
    info = load(queries.freshness)
    st.caption(
        f"Data as of **{timestamp(info['as_of_at'])}** · published "
        f"**{timestamp(info['published_at'])}** · serving file storage "
        f"{info['storage_version']} · dbt invocation {info['dbt_invocation_id'] or 'unknown'}")
    return info


def timestamp(value: Any) -> str:
    """A timestamp as `2026-06-30 23:59 UTC` (naive values are UTC, as in the marts)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    value = pd.Timestamp(value)
    if value.tzinfo is not None:
        value = value.tz_convert("UTC").tz_localize(None)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def count(value: Any) -> str:
    return "–" if missing(value) else f"{int(value):,}"


def percent(share: Any, digits: int = 1) -> str:
    return "–" if missing(share) else f"{100 * float(share):.{digits}f} %"


def number(value: Any, digits: int = 1, signed: bool = False) -> str:
    if missing(value):
        return "–"
    return f"{float(value):+,.{digits}f}" if signed else f"{float(value):,.{digits}f}"


def money(value: Any) -> str:
    return "–" if missing(value) else f"${float(value):,.2f}"


def delta(value: Any, digits: int = 1, unit: str = "", points: bool = False) -> str | None:
    """A week-over-week change for st.metric (None when there is no previous week)."""
    if missing(value):
        return None
    if points:
        return f"{100 * float(value):+.{digits}f} pp"
    return f"{float(value):+,.{digits}f}{unit}"


def weekly_trend(weeks: pd.DataFrame, y: str | dict[str, str], title: str, *,
                 y_format: str = ",.0f", percent_axis: bool = False,
                 x: str = "week_start_date", complete: str = "is_complete_week",
                 label: str = "iso_week") -> go.Figure:
    """Lines over the complete weeks (y: a column, or {column: legend name}); the running week
    is only a hollow marker in a shaded band labelled "in progress" (not joined to the line),
    so a week that has only begun does not read as a drop."""
    series = {y: "complete weeks"} if isinstance(y, str) else y
    done = weeks[weeks[complete]]
    running = weeks[~weeks[complete] & (weeks[x] > done[x].max())] if len(done) else weeks
    figure = go.Figure()
    for (column, name), colour in zip(series.items(), SERIES_COLOURS):
        figure.add_trace(go.Scatter(
            x=done[x], y=done[column], mode="lines+markers", name=name,
            customdata=done[[label]], line={"color": colour},
            hovertemplate="%{customdata[0]}: %{y:" + y_format + "}<extra>" + name + "</extra>"))
        if len(running):
            figure.add_trace(go.Scatter(
                x=running[x], y=running[column], mode="markers", showlegend=False,
                name=f"{name}, {RUNNING_WEEK_NOTE}", customdata=running[[label]],
                marker={"symbol": "circle-open", "size": 11, "color": colour},
                hovertemplate="%{customdata[0]} so far: %{y:" + y_format + "}<extra></extra>"))
    if len(running):
        figure.add_vrect(x0=running[x].iloc[0] - pd.Timedelta(days=3),
                         x1=running[x].iloc[-1] + pd.Timedelta(days=3), fillcolor="#dddddd",
                         opacity=0.35, line_width=0,
                         annotation_text="in progress", annotation_position="top left",
                         annotation={"xanchor": "right", "font": {"color": "#777777"}})
    figure.update_layout(title=title, height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                         legend={"orientation": "h", "y": -0.2}, hovermode="x unified",
                         showlegend=len(series) > 1)
    if len(weeks):  # the band and its label must not widen the axis past the data
        figure.update_xaxes(range=[weeks[x].min() - pd.Timedelta(days=4),
                                   weeks[x].max() + pd.Timedelta(days=4)])
    if percent_axis:
        figure.update_yaxes(tickformat=".0%")
    return figure


def chart(figure: go.Figure, key: str | None = None) -> None:
    st.plotly_chart(figure, width="stretch", key=key, config={"displaylogo": False})


def table(data: pd.DataFrame, columns: dict[str, Any] | None = None,
          height: int | None = None) -> None:
    # Tall enough for every row (up to 25): a screenshot then shows the whole table.
    st.dataframe(data, hide_index=True, width="stretch", column_config=columns,
                 height=height or 35 * (min(len(data), 25) + 1) + 3)


def week_label(row: pd.Series | None) -> str:
    return "–" if row is None else f"{row['iso_week']} (from {as_date(row['week_start_date'])})"


def as_date(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat() if not missing(value) else "–"


def ordered(values: Iterable[str], order: list[str]) -> list[str]:
    present = list(dict.fromkeys(values))
    return [value for value in order if value in present] + \
        sorted(value for value in present if value not in order)

