"""Which texts the recogniser reads: only those where it could find a name that is taken."""

import pytest

from coprod_analysis.privacy.entities import may_name
from coprod_analysis.privacy.gazetteer import gazetteer

# Words the corpus writes in lower case.
ORDINARY = frozenset(
    {
        "we", "the", "hall", "was", "cold", "left", "it", "fine", "thanks", "teams", "froze",
        "hope", "will", "grant", "funding", "ran", "out", "i", "think", "so", "and", "agreed",
        "patience", "paid", "off", "my", "mum", "came", "can", "you", "zoom", "funders", "said",
        "no",
    }
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we left. the hall was cold.", False),  # no capital at all
        ("We left. The hall was cold.", False),  # only sentence openers the corpus writes
        ("It was fine: Teams froze.", False),  # after a colon: an opener
        ('"Hope" will do.', False),  # after a quotation mark: an opener
        ("I think so, and I agreed.", False),  # "I" is never a name
        ("Thanks, [NAME].", False),  # a name already redacted
        ("Can you zoom? My mum came.", False),  # first names that are everyday words
        ("Funders said no.", False),  # a one-word "name" here would not be taken
        ("Hope ran out.", False),
        ("Patience paid off.", True),  # a first name that is no everyday word
        ("Morag agreed.", True),  # a name opening a sentence
        ("It was fine. Campbell agreed.", True),  # a surname opening a second sentence
        ("Tsvetelina was cold.", True),  # any opener the corpus never writes in lower case
        ("Govan was cold.", True),
        ("we should ask Morag Campbell", True),  # inside a sentence
        ("and then Zoom froze", True),  # inside a sentence, even an ordinary word
        ("Hope Grant agreed.", True),  # the second word is inside the sentence
        ("[NAME] Walsh agreed.", True),  # beside a redacted name
        ("It was fine (Morag agreed).", True),  # after a bracket, still a name
    ],
)
def test_may_name(text, expected):
    assert may_name(text, ordinary=ORDINARY, names=gazetteer()) is expected


@pytest.mark.parametrize(
    ("text", "ordinary", "expected"),
    [
        ("Patience paid off.", ORDINARY, False),  # without the lists, an opener the corpus writes
        ("Morag agreed.", ORDINARY, True),
        ("We left.", frozenset(), True),  # without the corpus's words, every capital counts
    ],
)
def test_may_name_without_lists(text, ordinary, expected):
    assert may_name(text, ordinary=ordinary) is expected
