"""One pattern for many names: it matches what a list of alternatives, longest first, does."""

import re

import pytest

from coprod_analysis.privacy.alternation import alternation


def listed(names: list[str]) -> str:
    """The plain list of alternatives that the tree replaces."""
    ordered = sorted(set(names), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, name.split())) for name in ordered)


@pytest.mark.parametrize(
    ("names", "flags", "text", "expected"),
    [
        (["Morag Campbell"], re.I, "ask morag  campbell now", "ask [NAME] now"),
        (["Ann", "Ann Lee"], 0, "Ann Lee and Ann", "[NAME] and [NAME]"),
        (["Ann", "Anna"], 0, "Anna and Annabel", "[NAME] and Annabel"),
        (["Jo", "Jo Ann Smith"], 0, "Jo Ann Jones", "[NAME] Ann Jones"),  # back to the shorter
        (["Jo Ann", "Jo Ann Smith"], 0, "Jo Ann\nSmith", "[NAME]"),  # any space between words
        (["O'Kane"], 0, "Sean O'Kane's", "Sean [NAME]'s"),
        (["Mary-Ann"], re.I, "MARY-ANN and maryann", "[NAME] and maryann"),
        (
            ["Al", "Ali", "Alison"],
            0,
            "Alison, Ali, Al, Alistair",
            "[NAME], [NAME], [NAME], Alistair",
        ),
        (["Rab", "rab"], re.I, "Rab and RAB", "[NAME] and [NAME]"),
        (["Dr.", "Dr. No"], 0, "Dr. No said", "[NAME] said"),  # escaped, not any character
        (["Dr."], 0, "Drs are", "Drs are"),
    ],
)
def test_alternation(names, flags, text, expected):
    tree = re.compile(rf"(?<!\w)(?:{alternation(names)})(?!\w)", flags)
    plain = re.compile(rf"(?<!\w)(?:{listed(names)})(?!\w)", flags)
    assert tree.sub("[NAME]", text) == expected
    assert plain.sub("[NAME]", text) == expected
