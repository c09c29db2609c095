import json

import pandas as pd
import pytest

from coprod_analysis import charts
from coprod_analysis.charts.style import PALETTE
from coprod_analysis.shifts import cooccurrence, theme_shifts
from coprod_analysis.themes.codebook import load_codebook
from tests.conftest import CONFIG, TEST_KEY_HEX
from tests.shifts.test_shifts import sessions_with

CODEBOOK = load_codebook(CONFIG / "codebook.yml")


@pytest.fixture
def shifts():
    segments, themes = sessions_with({"a": 2, "b": 12, "c": 13})
    more = themes.assign(theme="funding").head(5)
    return theme_shifts(segments, pd.concat([themes, more]), theme_ids=["power", "funding"])


def strings(fig) -> str:
    return json.dumps(fig.to_dict(), default=str)


@pytest.mark.parametrize(
    ("within_noise", "hollow"),
    [
        ([None, True, False], [False, True, False]),
        ([None, False, False], [False, False, False]),
        ([None, True, True], [False, True, True]),
        ([None, None, None], [False, True, True]),  # nothing could be tested: not a change
    ],
)
def test_changes_within_the_noise_get_hollow_markers(shifts, within_noise, hollow):
    power = shifts[shifts["theme"] == "power"].copy()
    power["within_noise"] = pd.array(within_noise, dtype="boolean")
    fig = charts.theme_prevalence(power, codebook=CODEBOOK)
    line = next(t for t in fig.data if t.mode == "lines+markers")
    assert [c == "white" for c in line.marker.color] == hollow


def test_theme_prevalence_traces_colours_and_description(shifts):
    fig = charts.theme_prevalence(shifts, codebook=CODEBOOK)
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert len(fig.data) == 4 and len(lines) == 2  # a band and a line per theme
    assert {t.line.color for t in lines} == {CODEBOOK.colours["power"], CODEBOOK.colours["funding"]}
    assert fig.layout.template.layout.font.family.startswith("Atkinson")
    text = charts.describe(fig)
    assert "Power and enabling spaces 10% to 65%" in text and "Hollow markers" in text


def test_small_counts_are_suppressed(shifts):
    out = strings(charts.theme_prevalence(shifts, codebook=CODEBOOK))
    assert "(<3 of 20)" in out  # power in session a: 2 of 20
    assert "(2 of 20)" not in out


def test_hover_text_is_escaped(shifts):
    hostile = CODEBOOK.model_copy(deep=True)
    hostile.themes[0].label = "<script>alert(1)</script>"
    out = strings(charts.theme_prevalence(shifts, codebook=hostile))
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_no_key_or_real_name_in_any_chart(shifts):
    tags = pd.DataFrame({"segment_id": ["x", "x", "y"], "theme": ["power", "funding", "power"]})
    for fig in (
        charts.theme_prevalence(shifts, codebook=CODEBOOK),
        charts.cooccurrence_heatmap(cooccurrence(tags), codebook=CODEBOOK),
    ):
        out = strings(fig)
        assert TEST_KEY_HEX not in out and "Jane Smith" not in out


def test_cooccurrence_heatmap_counts():
    tags = pd.DataFrame(
        {"segment_id": [f"s{i}" for i in range(5)] * 2, "theme": ["power"] * 5 + ["funding"] * 5}
    )
    fig = charts.cooccurrence_heatmap(cooccurrence(tags), codebook=CODEBOOK)
    assert len(fig.data) == 1 and [list(r) for r in fig.data[0].text] == [["5", "5"], ["5", "5"]]


def test_theme_lines_differ_without_colour_and_are_labelled_at_their_ends(shifts):
    fig = charts.theme_prevalence(shifts, codebook=CODEBOOK)
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert len({t.line.dash for t in lines}) == len({t.marker.symbol for t in lines}) == 2
    assert {a.text for a in fig.layout.annotations} >= {
        "Power and enabling spaces",
        "Funding and funders",
    }


@pytest.mark.parametrize("theme", CODEBOOK.ids)
def test_every_plotted_theme_colour_is_at_least_3_to_1(theme):
    from coprod_analysis.charts.style import colour_map, contrast

    assert contrast(colour_map(CODEBOOK)[theme]) >= 3.0


def test_ladder_now_and_hoped_differ_in_shape_not_only_colour():
    ladder = pd.DataFrame(
        {
            "session_id": ["a", "a"],
            "respondent": ["P-1", "P-2"],
            "now": [3.0, 4.0],
            "hoped": [5.0, 6.0],
            "gap": [2.0, 2.0],
        }
    )
    fig = charts.ladder_dumbbell(ladder)
    markers = [t for t in fig.data if t.mode == "markers"]
    assert len({t.marker.symbol for t in markers}) == 2


@pytest.mark.parametrize("colour", PALETTE)
def test_every_palette_colour_is_at_least_3_to_1(colour):
    from coprod_analysis.charts.style import contrast

    assert contrast(colour) >= 3.0


@pytest.mark.parametrize(
    ("themes", "panels", "labels"),
    [
        (["power", "funding"], 1, 2),  # one panel, a label at each line's end
        (["power", "funding", "values", "unlearning"], 1, 4),
        (["power", "funding", "values", "unlearning", "ladder"], 5, 0),  # small multiples
        (CODEBOOK.ids, 9, 0),
    ],
)
def test_more_than_four_themes_become_small_multiples_on_one_scale(themes, panels, labels):
    segments, tags = sessions_with({"a": 2, "b": 12, "c": 13})
    tags = pd.concat([tags.assign(theme=t) for t in themes])
    fig = charts.theme_prevalence(theme_shifts(segments, tags, theme_ids=themes), codebook=CODEBOOK)
    used = {t.yaxis for t in fig.data}
    line_ends = [a for a in fig.layout.annotations if a.xanchor == "left"]
    assert (len(used), len(line_ends)) == (panels, labels)
    if panels > 1:
        assert all(
            fig.layout[k].matches == "y"
            for k in fig.layout
            if k.startswith("yaxis") and k != "yaxis"
        )
        assert "one panel per theme" in charts.describe(fig)
