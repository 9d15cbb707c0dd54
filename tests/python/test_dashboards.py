"""The dashboards in a real browser: headless Chromium (the Debian package, /usr/bin/chromium,
driven by Playwright; never a downloaded browser) opens every page of the Streamlit app, started
by scripts/dashboards.py on a free port against a serving file published from the session's
scale-1 build (make test's own build when CX_TEST_PREBUILT_DIR points at it, else one build).

Each page must finish running without an error box (a Streamlit exception, an st.error, the
"page not found" dialog), draw its charts and state the data's as-of instant and the publish
time; the headline numbers shown must equal the marts' own (queried here from the serving file,
with SQL of its own, not through dashboards.queries). A screenshot of each page is saved under
target/dashboards/ (CX_DASHBOARD_SCREENSHOTS overrides: docs/dashboards/ for the README's).

make test-dashboards runs it (marker `browser`, kept out of make test for time); the extra
`dashboards` (streamlit, plotly, playwright) and the chromium package must be installed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pytest

from conftest import REPO

if str(REPO) not in sys.path:  # the dashboards package lives in the repository, not installed
    sys.path.append(str(REPO))

from cx_warehouse import publish  # noqa: E402
from dashboards.views import PAGES  # noqa: E402  (no Streamlit import: collection stays light)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHROMIUM = Path(os.environ.get("CX_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("CX_DASHBOARD_SCREENSHOTS") or REPO / "target" / "dashboards")
VIEWPORT = {"width": 1280, "height": 900}
#: Seconds a page may take to finish its run (the first page also warms DuckDB up).
PAGE_TIMEOUT_SECONDS = 90
ERROR_SELECTORS = ("[data-testid='stException']", "[data-testid='stAlertContentError']",
                   "[data-testid='stDialog']")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def serving(built_warehouse, tmp_path_factory) -> Path:
    """The session's warehouse published to a serving file of this module's own."""
    path = tmp_path_factory.mktemp("dashboards") / "serving.duckdb"
    target = Path(built_warehouse["manifest"].get("target_path") or "")
    publish.publish(built_warehouse["db"], path, target_dir=target if target.is_dir() else None,
                    log=lambda line: None)
    return path


@contextmanager
def running_app(serving: Path, log: Path) -> Iterator[str]:
    """scripts/dashboards.py on a free port against `serving`; yields its base URL."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "dashboards.py"), "--host", "127.0.0.1",
             "--port", str(port), "--serving", str(serving)],
            cwd=REPO, stdout=output, stderr=subprocess.STDOUT, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, f"the app exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"the app did not start:\n{log.read_text()}"
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def app(serving, tmp_path_factory) -> Iterator[str]:
    with running_app(serving, tmp_path_factory.mktemp("dashboards-app") / "streamlit.log") \
            as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: make test-dashboards installs the chromium package "
                    "(apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright  # the dashboards extra

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def marts(serving) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(serving), read_only=True)
    yield connection
    connection.close()


def page_url(base: str, index: int) -> str:
    return base + "/" if index == 0 else f"{base}/{PAGES[index].url_path}"


def open_page(browser, url: str, charts: bool = True):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=PAGE_TIMEOUT_SECONDS * 1000)
    if charts:  # charts draw after the script has run; every page has some
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=PAGE_TIMEOUT_SECONDS * 1000)
    page.wait_for_timeout(500)
    return page


def error_boxes(page) -> list[str]:
    """The text of every error the page shows (exception, st.error, page-not-found dialog)."""
    return [box.inner_text()[:2000] for selector in ERROR_SELECTORS
            for box in page.locator(selector).all()]


def metrics(page) -> dict[str, str]:
    shown = {}
    for metric in page.locator("[data-testid='stMetric']").all():
        label = metric.locator("[data-testid='stMetricLabel']").inner_text().strip()
        shown[label] = metric.locator("[data-testid='stMetricValue']").inner_text().strip()
    return shown


def shown_number(text: str) -> float:
    """A number as the pages show it: `1,234`, `87.1 %`, `+12.5`, `$1,234.56`, `-7.1`."""
    match = re.fullmatch(r"([+\-−]?)\$?([\d,]+(?:\.\d+)?)\s*%?", text.strip())
    assert match, f"not a number: {text!r}"
    sign = -1 if match.group(1) in ("-", "−") else 1
    return sign * float(match.group(2).replace(",", ""))


def save_screenshot(page, name: str) -> Path:
    """The whole page (Streamlit scrolls inside its main block, so the viewport is grown to its
    height first), saved as a 256-colour PNG to keep it small."""
    from PIL import Image

    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
        "[data-testid=\"stMainBlockContainer\"]')].map(e => e.scrollHeight), 900)")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": int(height) + 40})
    page.wait_for_timeout(700)  # charts re-layout to the new size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT) \
            .save(path, optimize=True)
    return path


@pytest.fixture(scope="module")
def pages(app, browser) -> Iterator[dict[str, object]]:
    """Every page opened once (in navigation order), its screenshot saved."""
    opened = {}
    for index, spec in enumerate(PAGES):
        page = open_page(browser, page_url(app, index))
        opened[spec.module] = {"page": page, "text": page.locator(
            "[data-testid='stMain']").inner_text(), "metrics": metrics(page),
            "charts": page.locator(".js-plotly-plot").count()}
        save_screenshot(page, spec.url_path)
    yield opened
    for entry in opened.values():
        entry["page"].close()


@pytest.mark.parametrize("module", [spec.module for spec in PAGES])
def test_page_has_no_error_and_states_its_freshness(pages, marts, module):
    entry = pages[module]
    assert error_boxes(entry["page"]) == [], module
    assert "Traceback" not in entry["text"]
    assert entry["charts"] >= 2, f"{module} draws {entry['charts']} chart(s)"
    as_of, published = marts.execute(
        "select (select max(as_of_at) from marts.fct_company_health), published_at "
        "at time zone 'UTC' from serving_info").fetchone()
    assert f"Data as of {as_of:%Y-%m-%d %H:%M} UTC" in entry["text"], entry["text"][:500]
    assert f"published {published:%Y-%m-%d %H:%M} UTC" in entry["text"], entry["text"][:500]


def test_every_page_has_its_own_url(pages):
    titles = [pages[spec.module]["page"].locator("h1").first.inner_text().strip()
              for spec in PAGES]
    assert titles == [spec.title for spec in PAGES]


def test_executive_headline_numbers_equal_the_mart(pages, marts):
    week, tickets, first_response_breaches, resolution_breaches, nps, running_week, \
        running_tickets = marts.execute("""
            with weeks as (select * from marts.rpt_weekly_executive_summary)
            select complete.iso_week, complete.total_tickets,
                complete.first_response_sla_breach_count, complete.resolution_sla_breach_count,
                complete.net_promoter_score, running.iso_week, running.total_tickets
            from (select * from weeks where is_complete_week
                  order by week_start_date desc limit 1) as complete
            left join (select * from weeks where not is_complete_week) as running
                on running.week_start_date > complete.week_start_date
        """).fetchone()
    entry = pages["executive"]
    shown = entry["metrics"]
    assert f"This week: {week}" in entry["text"]
    assert shown_number(shown["Tickets created"]) == tickets
    assert shown_number(shown["First reply in SLA"]) == pytest.approx(
        100 * (1 - first_response_breaches / tickets), abs=0.051)
    assert shown_number(shown["Resolution in SLA"]) == pytest.approx(
        100 * (1 - resolution_breaches / tickets), abs=0.051)
    assert shown_number(shown["NPS"]) == pytest.approx(nps, abs=0.051)
    if running_week is not None:  # the running week is named, with its count so far
        assert f"running week {running_week} has {running_tickets:,} tickets so far" \
            in entry["text"]


def test_other_headline_numbers_equal_the_marts(pages, marts):
    review_items, = marts.execute(
        "select count(*) from marts.rpt_human_review_queue").fetchone()
    companies, high_tier = marts.execute(
        "select count(*), count(*) filter (where churn_risk_tier = 'high') "
        "from marts.fct_company_health").fetchone()
    open_now, = marts.execute(
        "select sum(open_ticket_count) from marts.fct_ticket_backlog_daily "
        "where backlog_date = (select max(backlog_date) from marts.fct_ticket_backlog_daily)"
    ).fetchone()
    assert shown_number(pages["conversations"]["metrics"]["Review queue"]) == review_items
    assert shown_number(pages["customers"]["metrics"]["Companies"]) == companies
    assert shown_number(pages["customers"]["metrics"]["High churn-risk tier"]) == high_tier
    assert shown_number(pages["sla_backlog"]["metrics"]["Open tickets now"]) == open_now


def test_screenshots_are_saved(pages):
    for spec in PAGES:
        path = SCREENSHOTS / f"{spec.url_path}.png"
        assert path.is_file() and path.stat().st_size > 10_000, path


def test_a_missing_mart_is_an_error_line_the_check_sees(serving, browser, tmp_path):
    """The error check above can fail: with a mart missing from the serving file, its page
    shows one error line naming it and the fix, which error_boxes() finds (and no traceback)."""
    broken = tmp_path / "broken.duckdb"
    shutil.copy(serving, broken)
    broken.chmod(0o644)
    with duckdb.connect(str(broken)) as connection:
        connection.execute("drop table marts.rpt_sentiment_trends")
    with running_app(broken, tmp_path / "streamlit.log") as url:
        page = open_page(browser, f"{url}/conversations", charts=False)
        try:
            errors = error_boxes(page)
            exceptions = page.locator("[data-testid='stException']").count()
        finally:
            page.close()
    assert len(errors) == 1 and exceptions == 0, errors
    assert "rpt_sentiment_trends" in errors[0] and "Run make build" in errors[0], errors


def test_missing_serving_file_is_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "dashboards.py"), "--serving",
         str(tmp_path / "none.duckdb")], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "run make build first" in lines[0], result.stderr


def test_churn_score_parts_add_up_to_the_marts_score(marts):
    """The customers page's breakdown: each company's parts sum to its churn_risk_score."""
    from dashboards import queries

    parts = queries.churn_components(marts, 10)
    assert parts["company_name"].nunique() == min(10, marts.execute(
        "select count(*) from marts.fct_company_health").fetchone()[0])
    sums = parts.groupby("company_name").agg(total=("contribution", "sum"),
                                             score=("churn_risk_score", "first"))
    assert (sums["total"] - sums["score"]).abs().max() < 1e-9
