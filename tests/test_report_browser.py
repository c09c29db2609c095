"""The funders' report, opened in headless Chromium as a funder would open it."""

import pytest

from coprod_analysis.report import EASY_FILE, REPORT_FILE
from tests.browser import ARGS, CHROMIUM, needs_chromium

pytestmark = needs_chromium


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
    markup_in_quotes = page.locator(
        "main li b, main li img, main li script, main blockquote b, main blockquote img"
    ).count()
    page.screenshot(path=str(report.parent / "report-screenshot.png"), full_page=True)
    broken = page.locator("img[src='x']").count()
    page.close()
    assert errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    assert markup_in_quotes == 0  # participants' text is escaped, never rendered as markup
    assert broken == 0
    assert "Sessions covered" in text and "Versions and fingerprints" in text


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


def test_researchers_quote_table_holds_every_row_with_filters_on_top(hostile_report, browser):
    import re

    import coprod_analysis as cp

    results = cp.read_results(hostile_report.processed)
    expected = len(cp.quote_table(results.corpus.segments, results.themes))
    page = open_page(browser, hostile_report.reports / "notebooks" / "02-themes.html", [], [])
    page.wait_for_selector("table.dataTable", timeout=15000)
    info = page.locator(".dt-info").first.inner_text()
    filters = page.locator("table.dataTable thead input").count()
    headers = page.evaluate(
        "[...document.querySelectorAll('table.dataTable thead input')].map(i => i.placeholder)"
    )
    page.close()
    total = int(re.search(r"of ([\d,]+) entries", info)[1].replace(",", ""))
    assert total == expected > 300, info
    assert filters >= 10 and headers[:3] == ["Segment ID", "Session", "Kind"]


SLUGS = ["s1-what-is-coproduction", "s2-examples", "s3-power-and-funding", "s4-unlearning"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """Run axe-core (the copy bundled in axe-playwright-python, offline) at WCAG 2.2 A/AA."""
    from importlib.resources import files

    page.add_script_tag(path=str(files("axe_playwright_python") / "axe.min.js"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]


@pytest.mark.parametrize(
    "page_path", [REPORT_FILE, EASY_FILE, "notebooks/04-perception-shifts.html"]
)
def test_pages_have_no_wcag_violations(hostile_report, browser, page_path):
    page = open_page(browser, hostile_report.reports / page_path, [], [])
    page.wait_for_timeout(1000)
    found = axe_violations(page)
    page.close()
    assert found == []


def test_what_we_heard_is_easy_read_and_reflows(hostile_report, browser):
    path = hostile_report.reports / EASY_FILE
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(path.as_uri())
    width = page.evaluate("document.scrollingElement.scrollWidth")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('p')).fontSize)")
    lines = page.locator("main p").all_inner_texts()
    icons = page.locator("main h2 svg").count()
    page.screenshot(path=str(path.parent / "what-we-heard-screenshot.png"), full_page=True)
    page.close()
    assert width <= 320 and size >= 18 and icons >= 4
    assert max(len(line.split()) for line in lines) <= 15
    assert not [slug for slug in SLUGS if slug in " ".join(lines)]


def test_report_names_sessions_and_describes_every_chart(report, browser):
    page = open_page(browser, report, [], [])
    page.wait_for_timeout(1000)
    text = page.inner_text("body")
    charts = page.locator("div.plotly-graph-div").count()
    captions = page.locator("p.chart-caption").all_inner_texts()
    labelled = page.locator("figure[aria-label] div.plotly-graph-div").count()
    tables = page.locator("details table.chart-data").count()
    toolbars = page.locator(".modebar-btn").count()
    page.close()
    assert not [slug for slug in SLUGS if slug in text]
    assert "Session 3: Power, funding and funders (19 Mar 2024)" in text
    assert "rose clearly" in text or "No theme changed clearly" in text  # a headline title
    assert charts >= 2 and len(captions) == charts and tables == charts and labelled == charts
    assert all(caption.strip() for caption in captions)
    assert toolbars == 0


def test_report_reflows_at_320_px_and_prints(report, browser, tmp_path):
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(report.as_uri())
    page.wait_for_timeout(1000)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    page.close()
    assert width <= 320
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


# Every text in a chart (title, ticks, axis titles, legend) inside the chart's own box
_CUT_OFF = """() => [...document.querySelectorAll('div.js-plotly-plot')].map(g => {
    const box = g.getBoundingClientRect();
    const cut = [...g.querySelectorAll('text')].filter(t => {
        const r = t.getBoundingClientRect();
        return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1);
    }).map(t => t.textContent);
    return {width: box.width, plot: g._fullLayout._size.w, cut: cut,
            labels: (g.layout.annotations || []).length, legend: g._fullLayout.showlegend};
})"""


def test_charts_stay_readable_at_320_px_and_come_back_when_wide(report, browser):
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(report.as_uri())
    page.wait_for_timeout(1500)
    narrow = page.evaluate(_CUT_OFF)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.wait_for_timeout(1000)
    wide = page.evaluate(_CUT_OFF)
    page.close()
    assert narrow and all(c["width"] >= 280 and c["plot"] >= 160 for c in narrow), narrow
    assert [c["cut"] for c in narrow] == [[] for _ in narrow]
    assert all(c["legend"] for c in narrow)  # line-end labels become a legend under the plot
    assert [c["labels"] for c in wide] > [c["labels"] for c in narrow]
    assert all(c["width"] > 600 for c in wide)


def test_report_text_speaks_of_contributions_not_segments(report):
    import re

    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", report.read_text("utf-8"), flags=re.S)
    assert "segment" not in text.lower()


def test_each_chart_table_holds_the_charts_numbers(report, browser):
    page = open_page(browser, report, [], [])
    page.wait_for_timeout(1000)
    plotted = page.evaluate(
        """() => [...document.querySelectorAll('div.plotly-graph-div')].map(d =>
            d.data.filter(t => t.mode === 'lines+markers').flatMap(t => t.y))"""
    )
    tables = page.evaluate(
        """() => [...document.querySelectorAll('table.chart-data')].map(t =>
            [...t.querySelectorAll('tbody td')].map(td => td.textContent.trim()))"""
    )
    page.close()
    shares = sorted(round(float(y) * 100) for y in plotted[0])
    shown = sorted(int(cell.rstrip("%")) for cell in tables[0] if cell.endswith("%"))
    assert shares and shares == shown
