"""One pattern for many names: it matches what a list of alternatives, longest first, does."""

import re

import pytest

from coprod_analysis.privacy.alternation import alternation, fold_char


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


@pytest.mark.parametrize(
    ("names", "text", "expected"),
    [
        (["ANN LEE", "Ann Lee Smith"], "ask Ann Lee Smith", "ask [NAME]"),  # not "[NAME] Smith"
        (["ann lee", "Ann Lee", "ANN LEE"], "ANN  lee came", "[NAME] came"),
        (["Jo", "JO ANN"], "jo ann and Jo", "[NAME] and [NAME]"),
        (["Kate Lee", "\u212aate Lee-Ross"], "Kate Lee-Ross", "[NAME]"),  # the Kelvin sign
        (["ilkay gündoğan", "İlkay Gündoğan Yıldız"], "Ilkay Gündoğan Yıldız", "[NAME]"),
        (["STRAUß", "STRAUẞ Müller"], "strauß müller", "[NAME]"),
    ],
)
def test_alternation_ignoring_case(names, text, expected):
    tree = re.compile(rf"(?<!\w)(?:{alternation(names, ignore_case=True)})(?!\w)", re.I)
    plain = re.compile(rf"(?<!\w)(?:{listed(names)})(?!\w)", re.I)
    assert tree.sub("[NAME]", text) == expected
    assert plain.sub("[NAME]", text) == expected


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("a", "a"),
        ("A", "a"),
        ("\u212a", "k"),  # the Kelvin sign
        ("ẞ", "ß"),
        ("ß", "ß"),
        ("İ", "i"),
        ("ı", "i"),
        ("Σ", "σ"),
        ("ς", "σ"),
        ("ſ", "s"),
        ("’", "’"),
        (" ", " "),
    ],
)
def test_fold_char(char, expected):
    assert fold_char(char) == expected


@pytest.mark.parametrize("block", [range(0x0000, 0x0600), range(0x1E00, 0x2200)])
def test_letters_alike_in_any_case_fold_alike(block):
    # re.I takes these for each other: a tree ignoring case must give them one branch.
    for code in block:
        char = chr(code)
        assert re.fullmatch(re.escape(fold_char(char)), char, re.I), hex(code)
        for other in {char.upper(), char.lower(), char.casefold(), char.title()}:
            if len(other) == 1 and re.fullmatch(re.escape(char), other, re.I):
                assert fold_char(other) == fold_char(char), (hex(code), other)
