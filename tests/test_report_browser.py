"""The funders' report, opened in headless Chromium as a funder would open it."""

import shutil

import pytest

from coprod_analysis.report import REPORT_FILE, build_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def report(sample_results):
    build_reports(sample_results, echo=lambda message: None)
    return sample_results.reports / REPORT_FILE


def test_report_renders_every_chart_offline_without_errors(report):
    from playwright.sync_api import sync_playwright

    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        page.wait_for_timeout(1500)
        charts = page.locator("div.plotly-graph-div")
        assert charts.count() >= 2
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg.main-svg").count() >= 1, f"chart {i} did not render"
        text = page.inner_text("body")
        markup_in_quotes = page.locator("main li b, main li img, main li script").count()
        page.screenshot(path=str(report.parent / "report-screenshot.png"), full_page=True)
        browser.close()
    assert errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    assert markup_in_quotes == 0  # participants' text is escaped, never rendered as markup
    assert "Sessions covered" in text and "Codebook SHA-256" in text
