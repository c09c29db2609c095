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
    ("change", "within_noise", "method", "expected"),
    [
        (0.4, False, "audit", "a clear rise"),
        (-0.4, False, "checked", "a clear fall"),
        (0.4, True, "checked", "no clear change"),
        (0.4, None, "audit", "no clear change"),  # not tested
        (float("nan"), None, "audit", "no clear change"),
        # the tagger's unchecked counts are never called clear, however they test
        (0.4, False, "unchecked", "not checked by people"),
        (0.4, True, "unchecked", "not checked by people"),
    ],
)
def test_certainty_words_follow_the_test_and_the_checking(change, within_noise, method, expected):
    found = {"change": change, "within_noise": within_noise, "method": method}
    assert story.certainty(found) == expected


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
            "within_noise": [None, False],
            "change_method": [None, "checked"],
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


def _shifts(sessions):
    """A theme shift table for power over ``sessions`` sessions (a rise of 60 points)."""
    rows = [
        {
            "session_id": f"s{i}",
            "order": i,
            "theme": "power",
            "share": [0.1, 0.5][i - 1],
            "n_segments": 100,
            "n_participants": 15,
            "n_participants_with_theme": [3, 12][i - 1],
            "participant_share": [0.2, 0.8][i - 1],
            "participant_method": "checked",
            "n_checked": 15,
            "change": [float("nan"), 0.6][i - 1],
            "q": [float("nan"), 0.01][i - 1],
            "change_method": [None, "checked"][i - 1],
            "overall_change": float("nan"),
            "overall_q": float("nan"),
            "within_noise": [None, False][i - 1],
            "on_agenda": False,
        }
        for i in range(1, sessions + 1)
    ]
    return pd.DataFrame(rows).astype({"within_noise": "boolean"})


NAMES = {"s1": "Session 1", "s2": "Session 2"}
ONE = {
    "theme_story": [
        "Power came up in about 1 in 10 contributions in Session 1.",
        "3 of 15 participants raised it.",
    ],
    "easy_read": ["At the meeting, about a quarter of you talked about this."],
    "highlights": ["Theme", "First session"],
    "headline": "How often each theme came up in the first session: no change to compare yet",
    "summary": [
        "Confidence in explaining co-production rose clearly after Session 1, comparing the same people before and after.",
        "Only one session has been held, so there are no changes to report yet; they will be reported from the second session on.",
    ],
}
TWO = {
    "theme_story": [
        "Power came up in about 5 in 10 contributions in Session 2, against about 1 in 10 in Session 1.",
        "12 of 15 participants (checked by people) in the latest session, against 3 of 15 participants (checked by people) in the first: up 60 points, a clear rise.",
        "From one session to the next, the clearest change was into Session 2: up 60 points of participants.",
    ],
    "easy_read": [
        "At the first meeting, about a quarter of you talked about this.",
        "At the last meeting, most of you did.",
        "More people talked about this by the last meeting.",
    ],
    "highlights": ["Theme", "First session", "Latest session", "Trend"],
    "headline": "Power rose clearly: raised by 20% of participants in the first session, 80% in the latest",
    "summary": [
        "Confidence in explaining co-production rose clearly after 1 of 2 sessions, comparing the same people before and after.",
        "Power: up 60 points in the share of participants raising it from the first session to the latest, rising beyond chance.",
    ],
}


@pytest.mark.parametrize(("sessions", "expected"), [(1, ONE), (2, TWO)])
def test_the_report_reads_right_after_the_first_session_and_after_more(sessions, expected):
    shifts = _shifts(sessions)
    survey = pd.DataFrame(
        {
            "question": ["confidence"] * sessions,
            "session_id": [f"s{i}" for i in range(1, sessions + 1)],
            "ci_low": [0.2, -0.1][:sessions],
            "design": ["paired"] * sessions,
        }
    )
    assert story.theme_story(shifts, "power", label="Power", names=NAMES) == expected["theme_story"]
    [_, (theme, said), *_] = story.easy_read(
        shifts,
        survey,
        pd.DataFrame(),
        pd.Series(dtype=int),
        theme_ids=["power"],
        labels={},
        meetings=sessions,
    )
    assert theme == "power" and said == expected["easy_read"]
    table = story.highlights_table(shifts, ["power"], {"power": "Power"}, NAMES)
    assert list(table.columns) == expected["highlights"]
    assert story.prevalence_headline(shifts, {"power": "Power"}) == expected["headline"]
    lines = story.summary(
        shifts,
        survey,
        pd.DataFrame(),
        core=["power"],
        labels={"power": "Power"},
        names=NAMES,
        measured=False,
    )
    assert lines == expected["summary"]


@pytest.mark.parametrize(
    ("people", "expected"), [([15, 15], "With 15 people"), ([12, 15], "With 12–15 people")]
)
def test_the_summary_gives_how_many_people_a_session(people, expected):
    shifts = _shifts(2).assign(
        n_participants=people, q=[float("nan"), 0.5], within_noise=[None, True]
    )
    [line] = story.summary(
        shifts,
        pd.DataFrame(),
        pd.DataFrame(),
        core=["power"],
        labels={"power": "Power"},
        names=NAMES,
        measured=False,
    )
    assert line.startswith("No clear change, once chance is allowed for, in: Power.")
    assert expected + " a session" in line


def test_a_first_session_about_the_theme_says_so():
    shifts = _shifts(1).assign(on_agenda=True)
    lines = story.theme_story(shifts, "power", label="Power", names=NAMES)
    assert (
        lines[-1] == "Session 1 had this theme on its agenda, so more talk of it there is expected."
    )


@pytest.mark.parametrize(
    ("ci_low", "expected"),
    [
        (
            0.2,
            "Confidence in explaining co-production rose clearly after Session 2, before against after.",
        ),
        (
            -0.1,
            "Confidence in explaining co-production did not clearly rise after Session 2, before against after.",
        ),
    ],
)
def test_confidence_asked_in_one_of_several_sessions_names_it(ci_low, expected):
    survey = pd.DataFrame(
        {
            "question": ["confidence"],
            "session_id": ["s2"],
            "ci_low": [ci_low],
            "design": ["unpaired"],
        }
    )
    lines = story.summary(
        _shifts(2), survey, pd.DataFrame(), core=[], labels={}, names=NAMES, measured=False
    )
    assert lines[0] == expected


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (
            {"change": 0.1, "within_noise": True, "method": "audit", "mdc": 0.42},
            "about 42 points or more",
        ),
        # no change can pass 100 points: numbers that could not show one say so
        (
            {"change": 0.1, "within_noise": True, "method": "audit", "mdc": 1.2},
            "too few and too uncertain",
        ),
        ({"change": 0.6, "within_noise": False, "method": "unchecked"}, "not reported as a change"),
        ({"change": 0.6, "within_noise": False, "method": "audit", "mdc": 0.3}, None),  # clear
    ],
)
def test_what_a_change_leaves_out_is_said(found, expected):
    said = story.caveat(found)
    assert (said == []) if expected is None else (expected in said[0])
