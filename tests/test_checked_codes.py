"""Checked codes win, end to end: a researcher codes three segments against the tagger, and the
themes table, the shares, notebook 04 (its checked output, tests/notebook_outputs.json) and the
report count the researcher's codes. The three codes are made before the whole job runs, in the
results the notebooks read (the root conftest.py) and in the hostile report (tests/conftest.py).
"""

import html

import pandas as pd
import pytest

from conftest import TESTER, TESTER_CODES
from coprod_analysis import story
from coprod_analysis.corpus import contributions, read_corpus


def table(where, name):
    return pd.read_parquet(where.processed / f"{name}.parquet")


@pytest.mark.parametrize(("segment", "themes"), list(TESTER_CODES.items()))
def test_the_themes_table_counts_the_researchers_codes(sample_results, segment, themes):
    counted = table(sample_results, "themes")
    mine = counted[counted["segment_id"] == segment]
    assert set(mine["theme"]) == set(themes)
    assert set(mine["method"]) == {"checked"} and set(mine["coder"]) == {TESTER}


def test_the_tagger_keeps_its_own_codes_apart(sample_results):
    # (the classifier learns from the researcher's codes, so it may now agree with them)
    tagged = table(sample_results, "tagged")
    assert set(tagged["method"]) <= {"rule", "semantic", "learned"}
    assert set(tagged["segment_id"]) & set(TESTER_CODES)  # what it said of them is kept


def recount(where, session_id):
    """Participants of one session raising each theme, by the counted themes table."""
    segments = contributions(read_corpus(where.processed).segments)
    mine = table(where, "themes").merge(segments, on="segment_id")
    mine = mine[mine["session_id"] == session_id]
    return mine.groupby("theme")["speaker"].nunique().to_dict()


def test_shifts_and_shares_count_the_checked_codes(sample_results):
    expected = recount(sample_results, "s2-examples")
    shifts = table(sample_results, "theme_shifts").set_index(["session_id", "theme"])
    shares = table(sample_results, "shares")
    shares = shares[shares["unit"] == "participant"].set_index(["session_id", "theme"])
    for theme in ("power", "tokenism", "unlearning", "examples"):
        row = shifts.loc[("s2-examples", theme)]
        assert row["n_participants_with_theme"] == expected.get(theme, 0), theme
        # session 2 has no audit: its shares are these counts, and say they are unchecked
        assert shares.loc[("s2-examples", theme), "method"] == "unchecked"
        assert shares.loc[("s2-examples", theme), "share"] == pytest.approx(
            expected.get(theme, 0) / row["n_participants"]
        )


def test_the_report_counts_them_and_says_how_each_session_was_checked(hostile_report):
    report = (hostile_report.reports / "coproduction-report.html").read_text("utf-8")
    shifts = table(hostile_report, "theme_shifts")
    expected = recount(hostile_report, "s2-examples")
    for row in shifts[
        (shifts["session_id"] == "s2-examples") & shifts["theme"].isin(["power", "unlearning"])
    ].to_dict("records"):
        assert row["n_participants_with_theme"] == expected.get(row["theme"], 0)
        assert html.escape(story.raised(row), quote=False) in report  # the chart's numbers
    assert "Session 3 (Mar 2024): people checked" in report
    assert "every contribution of 5 participants drawn at random" in report
    assert "How sure:" in report and "not checked by people" in report
    easy = (hostile_report.reports / "what-we-heard.html").read_text("utf-8")
    assert "a person checked what 5 of you said." in easy
