import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.themes.rules import match_texts
from tests.conftest import CONFIG

CODEBOOK = load_codebook(CONFIG / "codebook.yml")


def themes_of(text):
    (matches,) = match_texts([text], CODEBOOK)
    return sorted({m.theme for m in matches})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # other senses of a theme word are excluded
        ("The power cut delayed the session by an hour.", []),
        ("I'll email the PowerPoint round after lunch.", []),
        ("Sorry, has anyone got a power extension lead?", []),
        ("Value for money is all the commissioners ask about.", ["funding"]),
        ("We applied to a small local trust for the bus fares.", ["funding"]),
        ("To be honest, the room was too hot.", []),
        # negation cues: a theme word right after one is not a mention
        ("It's not about money, the dates just clashed.", []),
        ("This has nothing to do with funding.", []),
        # but lacking something is still about it
        ("We have no power here, none at all.", ["power"]),
        ("There is no money for the youth panel after March.", ["funding"]),
        # lemmas, case and metaphors
        ("Funders HELD the purse strings.", ["funding", "power"]),
        ("Who holds the pen on the final strategy?", ["policy", "power"]),
        ("We had to unlearn a lot of professional habits.", ["unlearning"]),
        ("Trust takes time and it is easily broken.", ["values"]),
        ("The tea urn is in the corner.", []),
    ],
)
def test_rule_matches(text, expected):
    assert themes_of(text) == expected


def test_matches_carry_offsets_and_words():
    (matches,) = match_texts(["Funders want outputs."], CODEBOOK)
    funder = next(m for m in matches if m.theme == "funding" and m.words == "Funders")
    assert (funder.start, funder.end) == (0, 7)
