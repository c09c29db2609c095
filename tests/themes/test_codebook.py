import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.errors import InputError
from tests.conftest import CONFIG

GOOD_THEME = """
  - id: power
    label: Power
    colour: "#332288"
    examples: [The council decides.]
    patterns:
      phrases: [power]
"""


def write(tmp_path, text):
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "themes:" + GOOD_THEME + "    patternz: []\n",
            "codebook.yml, theme 'power': unknown key 'patternz'",
        ),
        (
            "themes:\n  - id: funding\n    label: Funding\n",
            "codebook.yml, theme 'funding': has no patterns, examples or description",
        ),
        (
            "themes:" + GOOD_THEME + "      tokens:\n        - [{LEMA: fund}]\n",
            """codebook.yml, theme 'power', patterns.tokens pattern [{"LEMA":"fund"}]: malformed token pattern""",
        ),
        (
            "themes:" + GOOD_THEME + "      tokens:\n        - {LEMMA: fund}\n",
            """codebook.yml, theme 'power', patterns.tokens pattern {"LEMMA":"fund"}""",
        ),
        ("themes:" + GOOD_THEME + GOOD_THEME, "codebook.yml, theme 'power': the id is used twice"),
        (
            "themes:" + GOOD_THEME.replace("#332288", "blue"),
            "theme 'power': colour: String should match pattern",
        ),
        ("themes: []\n", "codebook.yml, codebook: themes: List should have at least 1 item"),
        ("themes:\n  - id: [unclosed\n", "codebook.yml, line"),
    ],
    ids=[
        "unknown-key",
        "nothing-to-match",
        "bad-attribute",
        "not-a-list",
        "duplicate",
        "bad-colour",
        "no-themes",
        "bad-yaml",
    ],
)
def test_validation_errors_name_file_theme_and_pattern(tmp_path, body, message):
    with pytest.raises(InputError) as err:
        load_codebook(write(tmp_path, body))
    assert message in err.value.line()
    assert "Fix:" in err.value.line()


def test_the_shipped_codebook():
    codebook = load_codebook(CONFIG / "codebook.yml")
    assert codebook.ids[:4] == ["power", "funding", "unlearning", "values"]
    assert {"conditions", "examples", "tokenism", "policy", "ladder"} <= set(codebook.ids)
    assert len(set(codebook.colours.values())) == len(codebook.ids)  # one colour per theme
    assert all(t.description and t.examples for t in codebook.themes)
    assert set(codebook.thresholds) == set(codebook.ids)  # calibrated thresholds beside it


def test_thresholds_default_when_not_calibrated(tmp_path):
    codebook = load_codebook(write(tmp_path, "default_threshold: 0.6\nthemes:" + GOOD_THEME))
    assert codebook.threshold("power") == 0.6
    (tmp_path / "thresholds.yml").write_text("themes:\n  power: {threshold: 0.42}\n")
    assert load_codebook(tmp_path / "codebook.yml").threshold("power") == 0.42


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (False, ["COPROD_ROOT", "COPROD_CONFIG", "Fix: run from the project folder"]),
        (True, ["does not exist. Fix: check the path"]),
    ],
)
def test_a_missing_codebook_names_the_setting_that_finds_it(tmp_path, monkeypatch, given, expected):
    monkeypatch.setenv("COPROD_ROOT", str(tmp_path))
    monkeypatch.delenv("COPROD_CONFIG", raising=False)
    with pytest.raises(InputError) as raised:
        load_codebook(tmp_path / "elsewhere.yml" if given else None)
    assert all(part in str(raised.value) for part in expected), str(raised.value)
