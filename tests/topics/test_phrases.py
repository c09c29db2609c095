import pytest

from coprod_analysis.topics.phrases import candidates, coverage, phrase_label


def tagged(*pairs):
    """A text and its tags (character offset -> tag) from (word, tag) pairs joined by spaces."""
    text, tags = "", {}
    for word, tag in pairs:
        if text:
            text += " "
        tags.update({len(text) + i: tag for i in range(len(word))})
        text += word
    return text, tags


@pytest.mark.parametrize(
    ("text", "max_words", "expected"),
    [
        (
            "Facilitator notes: we shared the budget with tenants.",
            7,
            ["shared the budget", "shared the budget with tenants", "budget with tenants"],
        ),
        ("Sharing power, with people", 7, []),  # never across punctuation
        ("Table 2 – the ladder", 7, []),  # stop-listed words are never in a phrase
        ("[NAME] funded bus passes", 7, ["funded bus passes"]),  # nor placeholders
        ("Multi-year funding", 7, ["Multi-year funding"]),  # three words, counted as split
        ("Funders don't fund projects", 7, []),  # contraction fragments are stop-listed
        (
            "paying young people properly for their time and expertise",
            4,
            [
                "paying young people",
                "paying young people properly",
                "young people properly",
                "properly for their time",
                "time and expertise",
            ],
        ),
    ],
)
def test_candidates(text, max_words, expected):
    assert candidates(text, max_words=max_words) == expected


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        # with tags, a label starts on an adjective, noun or -ing/-ed form and ends on a noun
        (
            [
                ("They", "PRP"),
                ("brought", "VBD"),
                ("a", "DT"),
                ("PowerPoint", "NNP"),
                ("with", "IN"),
                ("the", "DT"),
                ("new", "JJ"),
                ("service", "NN"),
            ],
            ["PowerPoint with the new service"],
        ),
        (
            [("Say", "VB"), ("shared", "VBN"), ("decisions", "NNS"), ("matter", "VBP")],
            [],  # without tags: "Say shared decisions", "Say shared decisions matter", ...
        ),
        (
            [
                ("Equal", "JJ"),
                ("partnership", "NN"),
                ("where", "WRB"),
                ("decisions", "NNS"),
                ("and", "CC"),
                ("risk", "NN"),
                ("are", "VBP"),
                ("shared", "VBN"),
            ],
            [
                "Equal partnership where decisions",
                "Equal partnership where decisions and risk",
                "partnership where decisions",
                "partnership where decisions and risk",
                "decisions and risk",
            ],
        ),
        # a noun compound is not cut short ("league" out of "league table")
        (
            [
                ("ladder", "NN"),
                ("felt", "VBD"),
                ("like", "IN"),
                ("a", "DT"),
                ("league", "NN"),
                ("table", "NN"),
            ],
            [],
        ),
        (
            [("carer", "NN"), ("support", "NN"), ("services", "NNS"), ("matter", "VBP")],
            ["carer support services"],
        ),
    ],
)
def test_candidates_with_tags(pairs, expected):
    text, tags = tagged(*pairs)
    assert candidates(text, tags=tags) == expected


@pytest.mark.parametrize(
    ("phrase", "keywords", "expected"),
    [
        ("sharing power with young people", ["sharing power", "money", "young people"], 1 + 1 / 3),
        ("sharing power with young people", ["money"], 0.0),
        ("power sharing", ["sharing power"], 0.0),  # a two-word keyword must be in order
        ("the funders' funding", ["funding"], 1.0),
        ("fundingless", ["funding"], 0.0),  # whole words only
    ],
)
def test_coverage(phrase, keywords, expected):
    assert coverage(phrase, keywords) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("texts", "keywords", "taken", "expected"),
    [
        (
            ["Facilitator notes, 14 May.", "Sharing power with young people, including money."],
            ["sharing power", "young people", "money"],
            (),
            "Sharing power with young people",
        ),
        # the phrase holding more keywords wins over the more representative text
        (
            ["Funding for youth work", "Multi-year funding for youth panels"],
            ["year funding", "funding", "youth"],
            (),
            "Multi-year funding for youth",
        ),
        # equal coverage: the more representative text wins
        (
            ["Grants for the youth panel", "Youth panel grants"],
            ["youth panel"],
            (),
            "Grants for the youth panel",
        ),
        # equal coverage, same text: the shorter phrase wins
        (
            ["procurement rules for the tender panel"],
            ["procurement rules"],
            (),
            "Procurement rules for the tender",
        ),
        # a label another topic has is skipped (case-insensitively): the next best wins
        (
            ["Sharing power with young people, including money."],
            ["sharing power", "young people"],
            ["sharing power with young people"],
            "Sharing power with young",
        ),
        (["Sharing power together"], ["sharing power"], ["Sharing power together"], ""),
        # no candidate holds a keyword
        (["Table 2 – the ladder", "Bookings go to [EMAIL]."], ["ladder"], (), ""),
        ([], ["funding"], (), ""),
    ],
)
def test_phrase_label(texts, keywords, taken, expected):
    assert phrase_label(texts, keywords, taken=taken) == expected
