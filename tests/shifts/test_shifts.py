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
from coprod_analysis.shifts.tone import check_tone
from tests.conftest import ROOT

RUNGS = LadderSettings().rungs


def sessions_with(counts: dict[str, int], n: int = 20):
    """Segments for sessions of n segments, of which counts[session] carry 'power'."""
    segments, themes = [], []
    for session, k in counts.items():
        for i in range(n):
            sid = f"{session}-{i}"
            segments.append({"segment_id": sid, "session_id": session, "speaker": f"P-{i % 5}"})
            if i < k:
                themes.append({"segment_id": sid, "theme": "power"})
    return pd.DataFrame(segments), pd.DataFrame(themes)


def test_known_shift_gives_shares_intervals_and_flags():
    segments, themes = sessions_with({"a": 2, "b": 12, "c": 13})
    table = theme_shifts(segments, themes).set_index("session_id")
    assert table["share"].tolist() == [0.1, 0.6, 0.65]
    assert table.loc["a", ["ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.0279, 0.3010], abs=1e-4
    )
    assert pd.isna(table.loc["a", "within_noise"])
    assert not table.loc["b", "within_noise"]  # 10% → 60% is beyond the noise
    assert table.loc["c", "within_noise"]  # 60% → 65% is not
    assert (
        table.loc["b", "n_participants"] == 5 and table.loc["a", "n_participants_with_theme"] == 2
    )


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
