import pytest

from coprod_analysis.topics.facilitation import is_facilitation, is_housekeeping


@pytest.mark.parametrize(
    ("text", "source_kind", "expected"),
    [
        ("Bookings and questions about the series go to [EMAIL].", "notes", True),
        ("The hub's number is [PHONE].", "transcript", True),
        ("[NAME] suggested the community learning hub at [POSTCODE].", None, True),
        ("If you want to talk to the panel email [EMAIL]", "survey", False),  # survey: never
        (
            "Table 2 – the ladder",
            "notes",
            True,
        ),  # 1 session word of 2 content words (numbers do not count)
        ("Facilitator notes, 11 June 2024, community learning hub.", "notes", True),
        ("[NAME] said tenants are usually asked after the decision.", "notes", False),  # 2 of 5
        ("[NAME] asked [NAME] to circulate the flipchart notes.", "notes", True),
        ("Twelve-month grant cycles mean the first three months go on reporting.", "notes", False),
        ("Small money's still real money.", "notes", False),
        ("", "notes", False),
    ],
)
def test_is_housekeeping(text, source_kind, expected):
    assert is_housekeeping(text, source_kind=source_kind) is expected


CONTENT = ["Fund us for three years.", "Pay people for their time.", "Share the budget."]
HOUSEKEEPING = ["Contact [EMAIL].", "Table 3 – commissioning", "Scribes: [NAME] and [NAME]."]


@pytest.mark.parametrize(
    ("top_words", "texts", "kinds", "expected"),
    [
        # half or more of the top words are session words
        (
            [
                "table",
                "scribes",
                "said",
                "went",
                "point",
                "wrote",
                "number",
                "table table",
                "scribes table",
                "time",
            ],
            CONTENT,
            None,
            True,
        ),
        (
            [
                "notes",
                "hub",
                "asked",
                "guide",
                "facilitator",
                "facilitator notes",
                "community",
                "teams",
                "email",
                "youth",
            ],
            CONTENT,
            None,
            True,
        ),
        # fewer than half: fillers and numbers do not count
        (
            [
                "consultation",
                "step",
                "ve",
                "think",
                "involvement years",
                "ve doing",
                "doing",
                "long",
                "consultation step",
                "think ve",
            ],
            CONTENT,
            None,
            False,
        ),
        (["funders", "funding", "money", "notes"], CONTENT, None, False),
        # half or more of the segments are housekeeping
        (["funders", "funding", "money"], HOUSEKEEPING[:2] + CONTENT[:1], None, True),
        (["funders", "funding", "money"], HOUSEKEEPING[:1] + CONTENT[:2], None, False),
        # ... but not when they are survey answers
        (
            ["funders", "funding", "money"],
            HOUSEKEEPING[:2] + CONTENT[:1],
            ["survey", "survey", "notes"],
            False,
        ),
        (["funders"], [], None, False),
        ([], HOUSEKEEPING, None, True),
    ],
)
def test_is_facilitation(top_words, texts, kinds, expected):
    assert is_facilitation(top_words, texts, source_kinds=kinds) is expected
