import nbformat
import pytest

from coprod_analysis.report import export_html, parameterise


def notebook(*outputs_html):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("PROCESSED = None")
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
    assert nb.cells[1].source == "PROCESSED = '/tmp/p'\nPLOTLY_RENDERER = 'notebook'"


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


HOSTILE = [
    "<script>alert(1)</script> and the council decides everything for us, every single time, honestly.",
    "<img src=x onerror=alert(1)> funders want outputs and not relationships, that is the long and short of it.",
]


def test_quotes_show_hostile_answers_as_text():
    import pandas as pd

    from coprod_analysis.report import quotes_html

    segments = pd.DataFrame(
        {"segment_id": ["a", "b"], "session_id": ["<s1>", "s1"], "text": HOSTILE}
    )
    segments["n_words"] = segments["text"].str.split().str.len()
    themes = pd.DataFrame({"segment_id": ["a", "b"], "theme": ["power", "power"]})
    out = quotes_html(segments, themes, "power", label="<Power>")
    assert "<script" not in out and "<img" not in out
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in out
        and "&lt;img src=x onerror=alert(1)&gt;" in out
    )
    assert "<h3>&lt;Power&gt;</h3>" in out and "(&lt;s1&gt;)" in out
