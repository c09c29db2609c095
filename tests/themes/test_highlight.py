import pandas as pd
import pytest

from coprod_analysis.themes.codebook import load_codebook
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
