"""The funders' report, opened in headless Chromium as a funder would open it."""

import shutil

import pytest

from coprod_analysis.report import REPORT_FILE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_page(browser, path, errors: list, requests: list):
    """Open a local file, recording console errors, page errors, dialogs and every request."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page


@pytest.fixture(scope="module")
def report(hostile_report):
    """The funders' report made by the whole job on the sample plus two hostile answers."""
    return hostile_report.reports / REPORT_FILE


def test_report_renders_every_chart_offline_without_errors(report, browser):
    errors, requests = [], []
    page = open_page(browser, report, errors, requests)
    page.wait_for_timeout(1500)
    charts = page.locator("div.plotly-graph-div")
    assert charts.count() >= 2
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} did not render"
    text = page.inner_text("body")
    markup_in_quotes = page.locator("main li b, main li img, main li script").count()
    page.screenshot(path=str(report.parent / "report-screenshot.png"), full_page=True)
    broken = page.locator("img[src='x']").count()
    page.close()
    assert errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    assert markup_in_quotes == 0  # participants' text is escaped, never rendered as markup
    assert broken == 0
    assert "Sessions covered" in text and "Codebook SHA-256" in text


def test_researchers_quote_table_searches_offline_and_shows_markup_as_text(hostile_report, browser):
    errors, requests = [], []
    page = open_page(
        browser, hostile_report.reports / "notebooks" / "02-themes.html", errors, requests
    )
    page.wait_for_selector("table.dataTable", timeout=15000)
    search = page.locator("input[type=search]").first
    search.fill("alert(1)")
    page.wait_for_timeout(500)
    rows = page.locator("table.dataTable tbody tr").all_inner_texts()
    broken = page.locator("img[src='x']").count() + page.locator("table.dataTable script").count()
    page.close()
    assert errors == [] and broken == 0
    assert all(url.startswith(("file:", "data:", "about:", "blob:")) for url in requests), requests
    shown = "\n".join(rows)
    assert "<script>alert(1)</script>" in shown  # the participant's markup, as text
    assert "<img src=x onerror=alert(1)>" in shown
