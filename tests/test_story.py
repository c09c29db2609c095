"""The funders' report in words: names, plain numbers, certainty words and quotes worth reading."""

import pandas as pd
import pytest

from coprod_analysis import story

SESSIONS = pd.DataFrame(
    {
        "session_id": ["s1-what", "s2-power"],
        "order": [1, 2],
        "title": ["What is it?", "Power, funding and funders"],
        "date": [pd.Timestamp("2023-11-14"), pd.Timestamp("2024-03-19")],
    }
)


@pytest.mark.parametrize(
    ("short", "expected"),
    [
        (False, "Session 2: Power, funding and funders (19 Mar 2024)"),
        (True, "Session 2 (Mar 2024)"),
    ],
)
def test_sessions_are_named_as_people_know_them(short, expected):
    assert story.session_names(SESSIONS, short=short)["s2-power"] == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.0, "fewer than 1 in 10"),
        (0.31, "about 3 in 10"),
        (0.66, "about 7 in 10"),
        (0.99, "nearly all"),
    ],
)
def test_shares_in_tens(share, expected):
    assert story.in_ten(share) == expected


@pytest.mark.parametrize(
    ("change", "q", "expected"),
    [
        (0.4, 0.01, "a clear rise"),
        (-0.4, 0.049, "a clear fall"),
        (0.4, 0.05, "no clear change"),
        (0.4, float("nan"), "no clear change"),
    ],
)
def test_certainty_words_follow_q(change, q, expected):
    assert story.certainty(change, q) == expected


def _segment(sid, session, kind, speaker, text):
    return {
        "segment_id": sid,
        "session_id": session,
        "source_kind": kind,
        "speaker": speaker,
        "text": text,
        "n_words": len(text.split()),
    }


LONG = "we kept asking who holds the pen when the decisions about money are made here today"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a participant's turn and a survey answer are quotes; notes and facilitators are not
        (
            [
                _segment("a", "s1-what", "transcript", "P-1", "A " + LONG),
                _segment("b", "s1-what", "survey", "P-2", "B " + LONG),
                _segment("c", "s1-what", "notes", None, "C " + LONG),
                _segment("d", "s1-what", "transcript", "Facilitator", "D " + LONG),
            ],
            {"A", "B"},
        ),
        # no placeholder of a removed identifier; at most one quote per person
        (
            [
                _segment("a", "s1-what", "survey", "P-1", "A " + LONG + " ring [PHONE]"),
                _segment("b", "s1-what", "survey", "P-2", "B " + LONG),
                _segment("c", "s2-power", "survey", "P-2", "C " + LONG),
            ],
            {"B"},
        ),
        # too short to read as a quote
        ([_segment("a", "s1-what", "survey", "P-1", "Power.")], set()),
    ],
)
def test_quotes_come_from_participants_own_words(rows, expected):
    segments = pd.DataFrame(rows)
    themes = pd.DataFrame({"segment_id": segments["segment_id"], "theme": "power", "score": 1.0})
    names = story.session_names(SESSIONS, short=True)
    quotes = story.pick_quotes(segments, themes, "power", names=names, k=5)
    assert {text.split()[0] for text, _ in quotes} == expected
    assert all(who.startswith("participant, Session") for _, who in quotes)


@pytest.mark.parametrize(("count", "shown"), [(2, "fewer than 3"), (3, "3")])
def test_who_took_part_suppresses_small_counts(count, shown):
    segments = pd.DataFrame({"session_id": ["s1-what"], "speaker": ["P-0"]})
    responses = pd.DataFrame(
        [
            {"session_id": "s1-what", "respondent": f"R-{i}", "question": q, "answer": a}
            for i in range(count)
            for q, a in (("organisation", f"Org {i}"), ("sector", "Funder"))
        ]
    )
    table = story.participation(segments, responses, {"s1-what": "Session 1"}, min_count=3)
    assert table.loc[0, "Funder"] == shown


def test_evaluators_markdown_is_rendered_with_raw_html_escaped():
    page = story.markdown_html("**Next:** <img src=x onerror=alert(1)>")
    assert "<strong>Next:</strong>" in page and "<img" not in page


def _easy_sections():
    shifts = pd.DataFrame(
        {
            "theme": ["power", "power"],
            "order": [1, 2],
            "n_participants": [15, 15],
            "participant_share": [0.2, 0.8],
            "overall_change": [float("nan"), float("nan")],
            "change": [float("nan"), 0.6],
            "q": [float("nan"), 0.01],
        }
    )
    survey = pd.DataFrame({"question": ["confidence"], "ci_low": [0.2]})
    ladder = pd.DataFrame({"gap": [1, 2, 0]})
    wish = pd.Series({"funding": 5, "power": 2})
    return story.easy_read(shifts, survey, ladder, wish, theme_ids=["power"], labels={}, meetings=2)


def test_easy_read_is_short_sentences_in_words_not_numbers():
    sections = _easy_sections()
    sentences = [s for _, lines in sections for s in lines]
    lengths = [len(s.split()) for s in sentences]
    assert max(lengths) <= 15 and sum(lengths) / len(lengths) <= 10
    assert not any(ch in s for s in sentences for ch in "%0123456789" if s != "We met 2 times.")
    assert "More people talked about this by the last meeting." in sentences
    assert "Money and funders" in sentences


def test_easy_read_page_has_large_text_and_a_picture_per_theme():
    page = story.easy_read_html(_easy_sections(), labels={}, colours={"power": "#332288"})
    assert "font-size:20px" in page and page.count("<svg") == 1 and 'lang="en"' in page
