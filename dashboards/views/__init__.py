"""One module per dashboard page, each with a render() function; PAGES is the navigation.

Kept free of Streamlit imports so that the browser test can read the page list.
"""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    url_path: str  # the page's URL under the app's root; the first page is also served at /
    title: str
    module: str  # dashboards.views.<module>.render draws it
    answers: str  # the question it answers (README, "Dashboards")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("executive", "Executive summary", "executive",
             "How did the support desk do this week, against last week and the trend?"),
    PageSpec("sla-backlog", "SLA and backlog", "sla_backlog",
             "Which priorities miss their SLAs, and how big and how old is the open queue?"),
    PageSpec("agents", "Agents", "agents",
             "Who handled how much, how fast, within SLA how often, and with what CSAT?"),
    PageSpec("conversations", "Conversations", "conversations",
             "Is chat and email sentiment getting worse, what do customers contact us about, "
             "and how much waits for a person to check?"),
    PageSpec("customers", "Customers", "customers",
             "Which companies are about to churn and why, and who are our best and fading "
             "shoppers?"),
    PageSpec("retail", "Retail", "retail",
             "How much do the stores sell, what sells, and which stores lead?"),
)


def page(module: str) -> PageSpec:
    return next(spec for spec in PAGES if spec.module == module)
