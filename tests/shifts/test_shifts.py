import math

import pandas as pd
import pytest

from coprod_analysis.config import LadderSettings
from coprod_analysis.shifts import (
    cooccurrence,
    ladder_distribution,
    ladder_shifts,
    survey_shifts,
    theme_shifts,
)
from coprod_analysis.shifts.themes import CORRECTED
from coprod_analysis.shifts.tone import check_tone
from tests.conftest import ROOT, sessions_with

RUNGS = LadderSettings().rungs


def test_known_shift_gives_shares_and_intervals():
    segments, themes = sessions_with({"a": 2, "b": 12, "c": 13})
    table = theme_shifts(segments, themes).set_index("session_id")
    assert table["share"].tolist() == [0.1, 0.6, 0.65]
    assert table.loc["a", ["ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.0279, 0.3010], abs=1e-4
    )
    assert pd.isna(table.loc["a", "within_noise"])
    assert (
        table.loc["b", "n_participants"] == 5 and table.loc["a", "n_participants_with_theme"] == 2
    )


@pytest.mark.parametrize(
    ("counts", "people", "flagged"),
    [
        # one segment per person: 10% → 60% of 20 people is a change; 60% → 65% is not
        ({"a": 2, "b": 12, "c": 13}, 20, {"b": True, "c": False}),
        # the same segments from 5 talkative people: 2 of 5 → 5 of 5 is not beyond the noise
        ({"a": 2, "b": 12, "c": 13}, 5, {"b": False, "c": False}),
        ({"a": 3, "b": 3}, 20, {"b": False}),
    ],
)
def test_changes_are_tested_on_participants(counts, people, flagged):
    segments, themes = sessions_with(counts, people=people)
    table = theme_shifts(segments, themes).set_index("session_id")
    for session, expected in flagged.items():
        assert (not table.loc[session, "within_noise"]) is expected


def test_q_adjusts_every_change_and_first_to_last_is_given():
    segments, themes = sessions_with({"a": 2, "b": 8, "c": 14, "d": 18}, people=20)
    table = theme_shifts(segments, themes).set_index("session_id")
    tested = table[["p", "overall_p"]].stack().dropna()
    assert len(tested) == 4  # three steps and one first-to-last
    assert (table["q"].dropna() >= table["p"].dropna()).all()
    assert table.loc["d", "overall_change"] == pytest.approx(0.8)
    assert table.loc["d", "overall_q"] < 0.05
    assert pd.isna(table.loc["b", "overall_change"])


@pytest.mark.parametrize(
    ("focus", "expected"),
    [({"b": {"power"}}, [False, True]), ({"a": {"power"}}, [True, False]), (None, [False, False])],
)
def test_changes_into_a_session_about_the_theme_are_on_the_agenda(focus, expected):
    segments, themes = sessions_with({"a": 2, "b": 12})
    table = theme_shifts(segments, themes, focus=focus)
    assert table["on_agenda"].tolist() == expected


POORLY_MEASURED = {"tp": 1, "fn": 4, "tn": 950, "fp": 50}  # sensitivity 1 in 5, specificity 0.95
GOOD = {"tp": 60, "fn": 40, "tn": 90, "fp": 10}  # sensitivity 0.6, specificity 0.9
LOW_SENSITIVITY = {"tp": 10, "fn": 90, "tn": 950, "fp": 50}  # sensitivity 0.1, well measured


@pytest.mark.parametrize(
    ("card", "tagged", "n", "expected", "interval", "clamped"),
    [
        # sensitivity 0.6, specificity 0.9: 30% tagged is (0.3 + 0.9 − 1) / 0.5 = 40% true
        (GOOD, 60, 200, 0.4, None, False),
        # a perfect tagger changes nothing
        ({"tp": 50, "fn": 0, "tn": 50, "fp": 0}, 60, 200, 0.3, None, False),
        # some sensitivity draws make the tagger no better than chance, where any share could
        # be true: the interval runs from 0 to 1 rather than dropping them
        (POORLY_MEASURED, 30, 200, (0.15 + 0.95 - 1) / 0.15, (0.0, 1.0), False),
        # 30% tagged by a tagger that finds 1 in 10: over 100%, clamped
        (LOW_SENSITIVITY, 60, 200, 1.0, (1.0, 1.0), True),
        # nothing tagged: corrected to 0, and the interval still holds its own share
        ({"tp": 50, "fn": 0, "tn": 5000, "fp": 0}, 0, 5, 0.0, None, False),
        # a tagger that never finds the theme can correct nothing
        ({"tp": 0, "fn": 10, "tn": 90, "fp": 10}, 60, 200, None, None, None),
        ({"tp": 60, "fn": 0, "tn": 0, "fp": 0}, 60, 200, None, None, None),  # no negatives
        (None, 60, 200, None, None, None),
    ],
)
def test_shares_are_corrected_for_the_taggers_error(card, tagged, n, expected, interval, clamped):
    segments, themes = sessions_with({"a": tagged}, n=n)
    reliability = None if card is None else pd.DataFrame([{"theme": "power", **card}])
    table = theme_shifts(
        segments, themes, theme_ids=["power"], reliability=reliability, resamples=400
    )
    row = table.iloc[0]
    if expected is None:
        assert row[CORRECTED].isna().all()
        return
    assert row["corrected_share"] == pytest.approx(expected)
    assert row["corrected_low"] <= row["corrected_share"] <= row["corrected_high"]
    if interval is None:
        assert 0.05 < row["corrected_high"] - row["corrected_low"] < 0.5
    else:
        assert (row["corrected_low"], row["corrected_high"]) == interval
    assert bool(row["corrected_clamped"]) is clamped


@pytest.mark.parametrize(
    ("card", "tagged"),
    [
        # nothing tagged in 200: the correction is 0, but not certainly 0
        ({"tp": 60, "fn": 40, "tn": 990, "fp": 10}, 0),
        # a tagger with no false alarms in its 50 negatives is not known to have none
        ({"tp": 50, "fn": 0, "tn": 50, "fp": 0}, 0),
    ],
)
def test_a_share_of_none_still_has_an_interval(card, tagged):
    segments, themes = sessions_with({"a": tagged}, n=200)
    reliability = pd.DataFrame([{"theme": "power", **card}])
    table = theme_shifts(
        segments, themes, theme_ids=["power"], reliability=reliability, resamples=400
    )
    row = table.iloc[0]
    assert row["corrected_share"] == row["corrected_low"] == 0
    assert 0 < row["corrected_high"] < 0.1


@pytest.mark.parametrize(
    ("card", "present", "cell"),
    [
        (GOOD, ["corrected for the tagger's error, 40% (26%–57%)"], "40% [26%, 57%]"),
        (
            LOW_SENSITIVITY,
            [
                "corrected for the tagger's error, 100%, clamped (100%–100%)",
                "In a, the share tagged was above the tagger's measured sensitivity",
                "read the raw share",
            ],
            "100%, clamped [100%, 100%]",
        ),
        (None, ["Of contributions: 30% in a (n = 200)"], ""),
    ],
)
def test_findings_and_table_say_when_the_correction_is_clamped(card, present, cell):
    from coprod_analysis.pipeline.shifts import shift_summary
    from coprod_analysis.shifts import theme_findings

    segments, themes = sessions_with({"a": 60}, n=200)
    reliability = None if card is None else pd.DataFrame([{"theme": "power", **card}])
    table = theme_shifts(segments, themes, reliability=reliability, resamples=400)
    [line] = theme_findings(table)
    assert all(text in line for text in present), line
    assert ("clamped" in line) is (card is LOW_SENSITIVITY), line
    assert shift_summary(table)["corrected [95%]"].item() == cell


def test_facilitators_are_not_participants():
    segments, themes = sessions_with({"a": 5})
    segments.loc[segments.speaker == "P-0", "speaker"] = "Facilitator"
    assert theme_shifts(segments, themes)["n_participants"].item() == 4


def responses(rows):
    return pd.DataFrame(
        rows, columns=["session_id", "respondent", "question", "answer", "value", "timing"]
    )


def test_ladder_arithmetic_with_unknown_and_missing_rungs():
    table = responses(
        [
            ("s1", "P-1", "ladder_now", "consultation", 4, "pre"),
            ("s1", "P-1", "ladder_hoped", "co-production", 7, "pre"),
            ("s1", "P-2", "ladder_now", "informing", 3, "pre"),
            ("s1", "P-3", "ladder_now", "???", 9, "pre"),
            ("s1", "P-3", "ladder_hoped", "co-design", 6, "pre"),
        ]
    )
    ladder = ladder_shifts(table, rungs=RUNGS).set_index("respondent")
    assert ladder.loc["P-1", ["now", "hoped", "gap", "now_rung"]].tolist() == [
        4,
        7,
        3,
        "consultation",
    ]
    assert math.isnan(ladder.loc["P-2", "hoped"]) and math.isnan(ladder.loc["P-2", "gap"])
    assert math.isnan(ladder.loc["P-3", "now"]) and math.isnan(ladder.loc["P-3", "gap"])
    dist = ladder_distribution(table, rungs=RUNGS).set_index(["which", "rung"])
    assert dist.loc[("now", "consultation"), ["count", "n"]].tolist() == [
        1,
        2,
    ]  # the unknown rung is not counted


def test_paired_and_unpaired_pre_post():
    rows = [("s1", f"P-{i}", "confidence", "x", v, "pre") for i, v in enumerate([1, 2, 2, 3])]
    rows += [("s1", f"P-{i}", "confidence", "x", v, "post") for i, v in enumerate([2, 3, 3, 4])]
    rows += [("s2", f"A-{i}", "confidence", "x", v, "pre") for i, v in enumerate([1, 2, 3])]
    rows += [("s2", f"B-{i}", "confidence", "x", v, "post") for i, v in enumerate([2, 4, 5])]
    table = survey_shifts(responses(rows)).set_index("session_id")
    assert table.loc["s1", ["design", "n_pairs", "change"]].tolist() == ["paired", 4, 1.0]
    assert table.loc["s2", ["design", "n_pairs"]].tolist() == ["unpaired", 0]
    assert table.loc["s2", "change"] == pytest.approx(5 / 3)


def test_cooccurrence_counts_pairs():
    tags = pd.DataFrame(
        {
            "segment_id": ["a", "a", "b", "c", "c"],
            "theme": ["power", "funding", "power", "power", "funding"],
        }
    )
    table = cooccurrence(tags).set_index(["theme_a", "theme_b"])
    assert table.loc[("power", "funding"), ["n_both", "n_a", "n_b"]].tolist() == [2, 3, 2]
    assert table.loc[("power", "funding"), "jaccard"] == pytest.approx(2 / 3)


def test_tone_agreement_is_what_the_docstring_says():
    result = check_tone(pd.read_csv(ROOT / "tests" / "data" / "tone_statements.csv"))
    assert (result["n"], round(result["accuracy"], 2), round(result["kappa"], 2)) == (
        120,
        0.62,
        0.43,
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Power: 10% in s1 (n = 20)"], "- Power: 10% in s1 (n = 20)"),
        (["a", "b"], "- a\n- b"),
        (["<script>alert(1)</script>"], "- &lt;script&gt;alert(1)&lt;/script&gt;"),
        (["s1_a *b* [c](x) # d"], r"- s1\_a \*b\* \[c\](x) \# d"),
        ([], "Nothing to report yet."),
    ],
)
def test_findings_as_escaped_markdown(lines, expected):
    from coprod_analysis.shifts import as_markdown

    assert as_markdown(lines) == expected


@pytest.mark.parametrize(
    ("counts", "focus", "present", "absent"),
    [
        (
            {"a": 2, "b": 14, "c": 15},
            {"b": {"power"}},
            [
                "up 60 points into b",
                "as expected: that session was about this theme",
                "raised by 2 of 20 participants (10%) in a",
                "from first to last",
            ],
            ["%  into", "up 60%"],
        ),
        (
            {"a": 3, "b": 4},
            None,
            ["no change between sessions stands out after correcting for 1 comparison."],
            ["as expected", "from first to last"],
        ),
        (
            {"a": 3},
            None,
            [
                "raised by 3 of 20 participants (15%) in a;",
                "only one session so far, so no change to test.",
                "Of contributions: 15% in a (n = 20).",
            ],
            [" and 3 of 20", "no participants on one side", "in a (n = 20), 15%"],
        ),
    ],
)
def test_theme_findings_in_points_with_q_and_agenda(counts, focus, present, absent):
    from coprod_analysis.shifts import theme_findings

    segments, themes = sessions_with(counts, people=20)
    [line] = theme_findings(theme_shifts(segments, themes, focus=focus))
    assert all(text in line for text in present), line
    assert not any(text in line for text in absent), line


@pytest.mark.parametrize(
    ("title", "focus", "expected"),
    [
        ("Power, funding and funders", "", {"power", "funding"}),
        ("Unlearning business as usual", None, {"unlearning"}),
        ("What does co-production mean?", "", set()),
        ("Welcome back", "values; power", {"values", "power"}),
        ("Powerful voices", "", set()),  # whole words only
    ],
)
def test_session_focus_from_the_focus_column_or_the_title(title, focus, expected):
    from coprod_analysis.shifts import session_focus

    sessions = pd.DataFrame({"session_id": ["s1"], "title": [title], "focus": [focus]})
    labels = {
        "power": "Power",
        "funding": "Funding and funders",
        "unlearning": "Unlearning",
        "values": "Values",
    }
    assert session_focus(sessions, labels)["s1"] == expected
