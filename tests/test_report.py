import re

import nbformat
import pytest

from coprod_analysis.report import export_html, parameterise


def notebook(*outputs_html):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("PROCESSED = None\nCODER = 'me'")
    params.metadata["tags"] = ["parameters"]
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": h}) for h in outputs_html
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), params, cell]
    return nb


def test_parameters_are_injected():
    nb = notebook()
    parameterise(nb, {"PROCESSED": "/tmp/p", "PLOTLY_RENDERER": "notebook"})
    namespace: dict = {}
    exec(nb.cells[1].source, namespace)
    assert (namespace["PROCESSED"], namespace["PLOTLY_RENDERER"]) == ("/tmp/p", "notebook")
    assert namespace["CODER"] == "me"  # a parameter not given keeps its default


def test_report_has_no_code_and_no_external_resources():
    page = export_html(
        notebook("<b>chart</b>"), title="<Report>", code=False, footer="<footer>f</footer>"
    )
    assert (
        "PROCESSED" not in page
        and "<title>&lt;Report&gt;</title>" in page
        and "<footer>f</footer>" in page
    )
    assert "cdnjs" not in page and "https://" not in page


def test_plotly_mathjax_cdn_tag_is_dropped():
    tag = '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/tex-svg.min.js"></script>'
    assert "mathjax" not in export_html(notebook(tag + "<div>fig</div>"), title="t", code=False)


def test_any_other_external_script_is_refused():
    with pytest.raises(RuntimeError, match="would load a script or stylesheet from a URL"):
        export_html(
            notebook('<script src="https://evil.example/x.js"></script>'), title="t", code=True
        )


def test_whole_job_shows_hostile_answers_as_text_and_keeps_the_person_out(hostile_report):
    import zipfile

    from tests.conftest import HOSTILE_IDENTIFIERS, HOSTILE_PERSON

    name, email, phone = HOSTILE_PERSON
    secrets = [*name.lower().split(), email, phone, phone.replace(" ", ""), *HOSTILE_IDENTIFIERS]
    tables = [p for p in hostile_report.processed.rglob("*") if p.suffix in {".csv", ".json"}]
    pages = sorted(hostile_report.reports.rglob("*.html"))
    assert len(tables) >= 4 and len(pages) >= 6  # the report, 5 notebooks, the figures
    texts = {path: path.read_text(encoding="utf-8") for path in tables + pages}
    with zipfile.ZipFile(hostile_report.reports / "coproduction.qdpx") as qdpx:
        for member in qdpx.namelist():
            texts[f"coproduction.qdpx/{member}"] = qdpx.read(member).decode("utf-8")
    assert any("share power with us" in text for text in texts.values())  # the transcript was read
    for path, text in texts.items():
        # whole words: plotly.js itself contains "Ghana"
        assert not [
            s for s in secrets if re.search(rf"(?<![\w.@]){re.escape(s)}(?![\w@])", text.lower())
        ], path
    html = {path.name: path.read_text(encoding="utf-8") for path in pages}
    for name_, text in html.items():
        assert "<script>alert(1)" not in text and "<img src=x onerror" not in text, name_
    segments = (hostile_report.processed / "segments.csv").read_text(encoding="utf-8")
    assert "<script>alert(1)</script> and the council" in segments  # the text itself is kept
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html["02-themes.html"]  # shown as text


def test_widget_outputs_become_a_note_in_exported_pages():
    nb = notebook()
    nb.cells[2].outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                "text/plain": "VBox()",
            },
        )
    ]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    page = export_html(nb, title="t", code=True)
    assert "widget-view" not in page and "widget-state" not in page and "$(" not in page
    assert "open this notebook in JupyterLab" in page
