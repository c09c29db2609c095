import pandas as pd
import pytest

from coprod_analysis import charts
from coprod_analysis.charts.style import PALETTE
from coprod_analysis.shifts import (
    cooccurrence,
    ladder_distribution,
    ladder_shifts,
    likert_distribution,
    question_shifts,
    theme_shifts,
    tone_by_theme,
)
from coprod_analysis.topics.describe import session_shares
from tests.charts.conftest import CODEBOOK, strings
from tests.conftest import TEST_KEY_HEX, sessions_with


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


NAME, EMAIL = "Jane Smith", "jane.smith@example.org"
IDENTIFIERS = [NAME, "jane", "smith", EMAIL, TEST_KEY_HEX]


def identified_tables():
    """Chart inputs built the way the pipeline builds them, from rows that name a person.

    Every field that identifies someone holds a real name, an email address or the pseudonym
    key: the speaker and respondent, the segment ids, the text and the evidence. The charts
    plot these very rows, so any chart that showed such a field would show the person.
    """
    segments, themes = sessions_with({"a": 4, "b": 12}, people=3)
    segments["speaker"] = segments["speaker"].map({"P-0": NAME, "P-1": EMAIL, "P-2": TEST_KEY_HEX})
    segments["segment_id"] = TEST_KEY_HEX + "-" + segments["segment_id"]
    segments["text"] = f"{NAME} ({EMAIL}) said the council decides and the funders pay."
    segments["question"] = "definition"
    themes["segment_id"] = TEST_KEY_HEX + "-" + themes["segment_id"]
    themes = pd.concat([themes, themes.assign(theme="funding").head(3)], ignore_index=True)
    themes["evidence"] = NAME
    people = [NAME, EMAIL, TEST_KEY_HEX]
    responses = pd.DataFrame(
        [
            row
            for session in ("a", "b")
            for i, person in enumerate(people)
            for row in (
                (session, person, "ladder_now", "Consultation", 3 + i % 2, None),
                (session, person, "ladder_hoped", "Co-production", 7, None),
                (session, person, "confidence", "Slightly confident", 2, "pre"),
                (session, person, "confidence", "Very confident", 4, "post"),
            )
        ],
        columns=["session_id", "respondent", "question", "answer", "value", "timing"],
    )
    topics = segments[["segment_id"]].assign(
        topic=[i % 2 for i in range(len(segments))],
        topic_label=["budgets and bids", "who decides"] * (len(segments) // 2),
    )
    shares = session_shares(topics, segments, segments["session_id"].map({"a": 1, "b": 2}).tolist())
    return segments, themes, responses, topics, shares


def _prevalence(segments, themes, *_):
    return charts.theme_prevalence(theme_shifts(segments, themes), codebook=CODEBOOK)


# One entry per chart function in coprod_analysis.charts: its inputs made from identified rows.
CHARTS = {
    "theme_prevalence": _prevalence,
    "add_picker": lambda *tables: charts.add_picker(_prevalence(*tables), label="Theme"),
    "session_profile": lambda seg, tags, *_: charts.session_profile(
        theme_shifts(seg, tags), codebook=CODEBOOK
    ),
    "question_themes": lambda seg, tags, _, topics, __: charts.question_themes(
        question_shifts(seg, tags, "definition", topics=topics),
        question="definition",
        codebook=CODEBOOK,
    ),
    "theme_cooccurrence": lambda _, tags, *__: charts.theme_cooccurrence(
        cooccurrence(tags), codebook=CODEBOOK
    ),
    "theme_tone": lambda seg, tags, *_: charts.theme_tone(
        tone_by_theme(seg, tags), codebook=CODEBOOK
    ),
    "ladder_change": lambda _, __, responses, *___: charts.ladder_change(ladder_shifts(responses)),
    "ladder_distribution": lambda _, __, responses, *___: charts.ladder_distribution(
        ladder_distribution(responses)
    ),
    "prepost_answers": lambda _, __, responses, *___: charts.prepost_answers(
        likert_distribution(responses), question="confidence"
    ),
    "topics_over_sessions": lambda *tables: charts.topics_over_sessions(tables[-1]),
}
NOT_CHARTS = {"describe", "template"}  # helpers in charts.__all__ that draw no chart


def test_every_chart_function_is_checked_for_identifiers():
    assert set(CHARTS) == set(charts.__all__) - NOT_CHARTS


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_no_key_or_real_name_in_any_chart(chart):
    fig = CHARTS[chart](*identified_tables())
    assert len(fig.data) > 0  # the identified rows were drawn
    out = (strings(fig) + charts.describe(fig)).lower()
    assert [found for found in IDENTIFIERS if found.lower() in out] == []


def test_theme_cooccurrence_counts():
    tags = pd.DataFrame(
        {"segment_id": [f"s{i}" for i in range(5)] * 2, "theme": ["power"] * 5 + ["funding"] * 5}
    )
    fig = charts.theme_cooccurrence(cooccurrence(tags), codebook=CODEBOOK)
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
    fig = charts.ladder_change(ladder)
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
