import pytest

from coprod_analysis.topics.stoplist import (
    clean_keywords,
    is_stop,
    noise_words,
    session_words,
    words,
)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("sharing power", False),
        ("young people", False),
        ("real say", False),  # "say" is content here: it is not on the list
        ("writing plans", False),
        ("procurement", False),
        ("asked", True),
        ("said", True),
        ("table", True),
        ("tables", True),
        ("scribes", True),
        ("notes", True),
        ("facilitator", True),
        ("facilitator notes", True),  # one stop-listed word is enough
        ("flipchart", True),
        ("sticky", True),
        ("November", True),
        ("nov", True),
        ("Tuesday", True),
        ("tues", True),
        ("2024", True),
        ("twenty", True),
        ("ve", True),
        ("think ve", True),
        ("the", True),  # English stop word
        ("", True),
        ("--", True),
    ],
)
def test_is_stop(term, expected):
    assert is_stop(term) is expected


@pytest.mark.parametrize(
    ("terms", "limit", "expected"),
    [
        (
            [
                "notes",
                "hub",
                "asked",
                "guide",
                "facilitator",
                "facilitator notes",
                "teams",
                "email",
            ],
            None,
            ["hub", "guide", "teams"],
        ),
        (
            ["production", "consultation", "production consultation"],
            None,
            ["production", "consultation", "production consultation"],
        ),
        (["table", "scribes", "said"], None, []),
        (["hub", " hub ", "guide"], None, ["hub", "guide"]),  # first occurrence only
        (["a", "funding", "grants", "money"], 2, ["funding", "grants"]),
    ],
)
def test_clean_keywords(terms, limit, expected):
    assert clean_keywords(terms, limit=limit) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I've been doing it", ["ve"]),
        ("Sveva wrote it", []),  # whole words only: "ve" inside a name is not a fragment
        ("Table 2 – the ladder", ["table", "2"]),
        ("a tablet", []),
        ("Facilitator notes, 11 June 2024", ["facilitator", "notes", "11", "june", "2024"]),
        ("multi-year funding", []),
        ("just a bit of a thing", ["just", "bit", "thing"]),
    ],
)
def test_noise_words(text, expected):
    assert noise_words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Facilitator notes, 11 June 2024", ["facilitator", "notes", "june"]),  # no digits
        ("twelve-month grant cycles", ["month"]),
        ("just a bit of a thing", []),  # fillers are not session words
    ],
)
def test_session_words(text, expected):
    assert session_words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Co-production, isn't it?", ["co", "production", "isn", "t", "it"]),
        ("UNCRC & GIRFEC", ["uncrc", "girfec"]),
    ],
)
def test_words(text, expected):
    assert words(text) == expected
