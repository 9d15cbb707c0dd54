"""The dashboards' Streamlit entry point: `make dashboards` (scripts/dashboards.py) runs it.

It reads only the serving file (CX_SERVING_PATH, read-only) through dashboards.queries. A
missing serving file is one line on the page, with the fix, rather than a traceback.
"""

from __future__ import annotations

import functools
import importlib
import sys
from pathlib import Path
from typing import Callable

# Streamlit puts this folder, not the repository, on sys.path; the pages import `dashboards.*`.
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402
import streamlit as st  # noqa: E402

from dashboards import queries  # noqa: E402
from dashboards.views import PAGES  # noqa: E402


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """The page's render function; a query the serving file cannot answer (a mart missing from
    an older publish) becomes one line with the fix instead of a traceback."""

    @functools.wraps(render)
    def page() -> None:
        try:
            render()
        except (duckdb.Error, queries.ServingFileMissing) as error:
            first_line = (str(error).splitlines() or [type(error).__name__])[0]
            st.error(f"This page cannot be drawn from {queries.serving_path()}: {first_line}. "
                     "Run make build (it publishes a serving file with every mart).")

    return page


def main() -> None:
    st.set_page_config(page_title="CX Warehouse", layout="wide")
    if not queries.serving_path().is_file():
        st.error(f"serving file {queries.serving_path()} not found: run make build first")
        st.stop()
    navigation = st.navigation([
        st.Page(guarded(importlib.import_module(f"dashboards.views.{spec.module}").render),
                title=spec.title, url_path=spec.url_path, default=index == 0)
        for index, spec in enumerate(PAGES)
    ])
    navigation.run()


main()
