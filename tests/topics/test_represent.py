import pytest

from coprod_analysis.topics.represent import adjacent

TEXTS = ["We kept one number.", "Shared risk, shared budget", "co-production network", "It's fine"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("shared risk", True),
        ("shared budget", True),
        ("risk shared", False),  # not across punctuation
        ("shared shared", False),
        ("number kept", False),  # the vectorizer's pair of words never said together
        ("kept number", False),
        ("production network", True),
        ("budget", True),  # one word: nothing to check
        ("it s", True),  # an apostrophe does not break
    ],
)
def test_adjacent(term, expected):
    assert adjacent(term, TEXTS) is expected
