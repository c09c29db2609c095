import pandas as pd
import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.themes.highlight import show_themes
from tests.conftest import CONFIG

CODEBOOK = load_codebook(CONFIG / "codebook.yml")


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>'],
)
def test_free_text_is_escaped(hostile):
    out = show_themes(f"Funders hold the purse strings. {hostile}", CODEBOOK)
    assert "<script" not in out and "<img" not in out and "<svg" not in out
    assert "&lt;" in out


def test_segments_render_with_theme_colours_and_headings():
    seg = pd.DataFrame(
        {
            "segment_id": ["a"],
            "session_id": ["<s1>"],
            "speaker": ["P-1"],
            "text": ["Trust takes time."],
        }
    )
    out = show_themes(seg, CODEBOOK)
    assert CODEBOOK.theme("values").colour in out and "&lt;s1&gt; · P-1 · a" in out
    assert out._repr_html_() == str(out)


def test_no_warnings_no_nan_and_the_text_as_written():
    import warnings

    seg = pd.DataFrame(
        {
            "segment_id": ["a"],
            "session_id": ["s1"],
            "speaker": [float("nan")],
            "text": ["Tea at the meeting. OK?"],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # spaCy's W117 ("no spans to visualise") would raise
        out = show_themes(seg, CODEBOOK, names={"s1": "Session 1"})
    assert "nan" not in out and "meeting. OK?" in out and "Session 1 · a" in out
    assert "<span" not in out.split("</div>", 1)[0]  # no theme found: an empty legend


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (
            [("a", "values", "learned", 0.8123, "we built trust slowly")],
            [
                "the classifier trained on hand-coding, probability 0.81",
                "closest coded example: “we built trust slowly”",
            ],
        ),
        (
            [("a", "values", "semantic", 0.52, "")],
            ["closeness in meaning to the theme, similarity 0.52"],
        ),
    ],
)
def test_each_tag_says_why_it_was_found(tags, expected):
    seg = pd.DataFrame({"segment_id": ["a", "b"], "text": ["Trust takes time.", "Funders decide."]})
    table = pd.DataFrame(tags, columns=["segment_id", "theme", "method", "score", "evidence"])
    out = show_themes(seg, CODEBOOK, tags=table)
    assert all(part in out for part in expected), out
    legend = out.split("</div>", 1)[0]
    # one legend, naming only the themes shown: values, and power and funding ("Funders decide")
    assert legend.count("<span") == 3 and "Unlearning" not in legend
    assert out.count('class="coprod-legend"') == 1


def test_the_words_that_weigh_most_are_underlined():
    class Learned:
        used = ("values",)

        def weights(self, text, theme):
            return ["take time"]

    seg = pd.DataFrame({"segment_id": ["a"], "text": ["Trust takes time."]})
    table = pd.DataFrame(
        {
            "segment_id": ["a"],
            "theme": ["values"],
            "method": ["learned"],
            "score": [0.9],
            "evidence": [""],
        }
    )
    out = show_themes(seg, CODEBOOK, tags=table, learned=Learned())
    assert "weighs most for the classifier" in out and ">takes time</mark>" in out
    assert "words that weigh most: take time" in out
