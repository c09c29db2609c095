import pytest

from coprod_analysis.ingest.notes import (
    SpeakerRule,
    listed_people,
    markdown_lines,
    timed_speaker,
    units_from_lines,
)

RULE = SpeakerRule.make(not_speakers=["Action", "Note"], facilitator_labels=["facilitator"])


def units(text):
    found = units_from_lines(text, markdown_lines(text), rule=RULE)
    return [(u.speaker, u.context, " ".join(text[u.start : u.end].split())) for u in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jane Smith: hello\nthere\n\nA paragraph.",
            [("Jane Smith", None, "hello there"), (None, None, "A paragraph.")],
        ),
        (
            "## Table 2 – funding\n- bullet one\n- bullet two",
            [(None, "Table 2 – funding", "bullet one"), (None, "Table 2 – funding", "bullet two")],
        ),
        ("Action: send the notes", [(None, None, "Action: send the notes")]),
        ("We agreed three things: a, b", [(None, None, "We agreed three things: a, b")]),
        ("Table 2: funding talk", [(None, None, "Table 2: funding talk")]),
        ("**Priya:** bold label", [("Priya", None, "bold label")]),
        ("Facilitator (Amina): welcome all", [("Facilitator (Amina)", None, "welcome all")]),
        ("Jane: one\nJohn O'Neil: two", [("Jane", None, "one"), ("John O'Neil", None, "two")]),
        (
            "Jane Smith  0:03\nHello all\nsecond line\n\nJohn Doe  1:15\nHi",
            [("Jane Smith", None, "Hello all second line"), ("John Doe", None, "Hi")],
        ),
        ("# Title\n\n---\n\nText under a rule", [(None, "Title", "Text under a rule")]),
        ("Séan Ó Briain: fáilte", [("Séan Ó Briain", None, "fáilte")]),
        ("See https://example.org: it helps", [(None, None, "See https://example.org: it helps")]),
        ("\n\n   \n", []),
    ],
)
def test_units_from_markdown(text, expected):
    assert units(text) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Jane Smith", True),
        ("jane smith", False),
        ("Action", False),
        ("note", False),
        ("Table 2", False),
        ("Speaker 2", True),
        ("Facilitator (Amina)", True),
        ("Mary-Jane van der Berg", True),
        ("One Two Three Four Five", False),
    ],
)
def test_is_speaker(label, expected):
    assert RULE.is_speaker(label) is expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("jane smith", True),  # a video call's lower-case display name
        ("Ewan's iPhone", True),
        ("Dr Priya Nair", True),
        ("tea and coffee", False),
        ("welcome", False),
        ("Action", False),
    ],
)
def test_is_speaker_in_any_case_where_the_layout_says_so(label, expected):
    assert RULE.is_speaker(label, any_case=True) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Jane Smith   0:03", "Jane Smith"),
        ("Fiona MacLeod\t1:02:03", "Fiona MacLeod"),
        ("[ewan robertson] 14:02:11", "ewan robertson"),
        ("Lunch at 12:30", None),
        ("Break   11:00", None),
        ("tea and coffee   10:30", None),
        ("Jane Smith: 0:03", None),
    ],
)
def test_timed_speaker(line, expected):
    rule = SpeakerRule.make(not_speakers=["Break"], facilitator_labels=["facilitator"])
    assert timed_speaker(line, rule) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Attendees: Ewan Robertson, Fiona MacLeod and Morag Campbell",
            ["Ewan Robertson", "Fiona MacLeod", "Morag Campbell"],
        ),
        (
            "Attendees\nEwan Robertson, Dr Fiona MacLeod\n\nTranscript",
            ["Ewan Robertson", "Fiona MacLeod"],
        ),
        (
            "## Present\n- Hamish Munro (GREC)\n- Isla – NHS Grampian\n\nNotes",
            ["Hamish Munro", "Isla"],
        ),
        ("**Apologies:** Cllr Jo Bloggs; Facilitator", ["Jo Bloggs"]),
        ("Participants: felt that funding was short", []),
        ("Present day services are poor", []),
        ("Attendees: GREC, NHS Grampian", []),
    ],
)
def test_listed_people(text, expected):
    assert listed_people(text, rule=RULE) == expected


def test_offsets_point_into_the_text():
    text = "# Notes\r\n".replace("\r\n", "\n") + "Jane: first\n  more words\n"
    (unit,) = units_from_lines(text, markdown_lines(text), rule=RULE)
    assert text[unit.start : unit.end] == "first\n  more words"
