"""What a found name leads to, with and without the name lists."""

import pytest

from coprod_analysis.privacy.gazetteer import gazetteer
from coprod_analysis.privacy.mentions import Clues, spread

ORDINARY = frozenset(
    [
        "the",
        "at",
        "asked",
        "ask",
        "we",
        "should",
        "about",
        "it",
        "was",
        "who",
        "for",
        "a",
        "to",
        "and",
        "could",
        "share",
        "slides",
        "said",
        "thanks",
        "grant",
        "hope",
        "will",
        "recovery",
        "second",
        "trust",
    ]
)


@pytest.mark.parametrize(
    ("text", "found", "expected"),
    [
        ("Ask Morag about it.", {"Morag Campbell"}, "Ask [NAME] about it."),
        ("morag campbell said so", {"Morag Campbell"}, "[NAME] said so"),
        ("It was Cllr Mackay who asked.", set(), "It was Cllr [NAME] who asked."),
        ("[NAME] Tait was at the hall.", set(), "[NAME] was at the hall."),
        ("Ask [NAME] about it.", set(), "Ask [NAME] about it."),
        ("Grant [NAME] said.", set(), "Grant [NAME] said."),
        ("We asked Rhiannon to share.", set(), "We asked [NAME] to share."),
        ("Owain said we could.", set(), "[NAME] said we could."),
        ("Thanks to Tareq for the slides.", set(), "Thanks to [NAME] for the slides."),
    ],
)
def test_spread_without_lists(text, found, expected):
    clues = Clues(ORDINARY, frozenset(), frozenset())
    assert spread([text], found, clues=clues) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maybe Eilidh could share the slides.", "Maybe [NAME] could share the slides."),
        ("We spoke to Siobhán at the hall.", "We spoke to [NAME] at the hall."),
        ("ask euan sinclair about it", "ask [NAME] about it"),
        ("tariq has the permits", "[NAME] has the permits"),
        ("Give it to [NAME], Tareq and [NAME].", "Give it to [NAME], [NAME] and [NAME]."),
        ("lift broke so dežo and [NAME] carried it", "lift broke so [NAME] and [NAME] carried it"),
        ("Staff from Second Chance Recovery came.", "Staff from Second Chance Recovery came."),
        ("The Cairn Trust funded it in April.", "The Cairn Trust funded it in April."),
        ("Hope for the creche notetakers.", "Hope for the creche notetakers."),
        ("Iain [NAME] asked.", "[NAME] asked."),
        # A word unknown to English, not made of English parts, is a name in any case.
        (
            "The slides were from Tsvetelina at the hall.",
            "The slides were from [NAME] at the hall.",
        ),
        ("Nimco and the carers came.", "[NAME] and the carers came."),
        ("it was great, ruba and me came", "it was great, [NAME] and me came"),
        ("We'd bring flipcharts to the hall.", "We'd bring flipcharts to the hall."),
        ("The Scottish Co-Production Network came.", "The Scottish Co-Production Network came."),
        ("Staff from Northern Roots' hall came.", "Staff from Northern Roots' hall came."),
        ("the consultee was minoritised", "the consultee was minoritised"),
        ("<img src=x onerror=alert(1)> came", "<img src=x onerror=alert(1)> came"),
    ],
)
def test_spread_with_lists(text, expected):
    clues = Clues(
        ORDINARY | {"period", "carried", "lift", "broke", "so", "great", "me", "came", "carers"},
        frozenset(),
        frozenset(),
        gazetteer(),
    )
    assert spread([text], set(), clues=clues) == [expected]


@pytest.mark.parametrize(
    ("text", "places", "expected"),
    [
        # A word the recogniser called a place is one only where a place stands.
        ("We spent ages on Wiktoria's table.", {"wiktoria"}, "We spent ages on [NAME]'s table."),
        ("The forum met in Lochaber again.", {"lochaber"}, "The forum met in Lochaber again."),
        ("Help for Falkirk groups ran out.", {"falkirk"}, "Help for Falkirk groups ran out."),
        ("We met in Perth and Kinross.", {"kinross"}, "We met in Perth and Kinross."),
        ("Ruqayyah knew the answer.", {"ruqayyah"}, "[NAME] knew the answer."),
        # A person's things, and who a person is to the speaker.
        ("Rab's jokes lightened the day.", set(), "[NAME]'s jokes lightened the day."),
        ("ask my pal blessing, she'd come", set(), "ask my pal [NAME], she'd come"),
        ("Me and Bill, we came.", set(), "Me and [NAME], we came."),
        # A first name the corpus seldom writes in lower case, before what people do.
        ("Drew explained the deadline.", set(), "[NAME] explained the deadline."),
        ("Grant agreed to cover it.", set(), "Grant agreed to cover it."),
        ("but I'd add shared credit", set(), "but I'd add shared credit"),
        ("me and my mum went", set(), "me and my mum went"),
        ("my son said we can help", set(), "my son said we can help"),
        ("my friend and I went", set(), "my friend and I went"),
        ("Inverclyde hosted the day.", {"inverclyde"}, "Inverclyde hosted the day."),
        ("Lochaber's story is told.", {"lochaber"}, "Lochaber's story is told."),
        ("Tegwen said no.", {"tegwen"}, "[NAME] said no."),
        ("Yonas's comments stuck.", {"yonas"}, "[NAME]'s comments stuck."),
        # Notes' actions and sources, never a word inside an organisation's name.
        (
            "Still unclear, Macaulay to check w/ the fund.",
            set(),
            "Still unclear, [NAME] to check w/ the fund.",
        ),
        ("It was, according to Pirie, late.", set(), "It was, according to [NAME], late."),
        ("NHS Lothian to confirm the date.", {"lothian"}, "NHS Lothian to confirm the date."),
        (
            "According to Public Health Scotland it is late.",
            set(),
            "According to Public Health Scotland it is late.",
        ),
        ("Officers to check the rules.", set(), "Officers to check the rules."),
        ("We've asked for the data.", set(), "We've asked for the data."),
        ("Please thank Sow for the mic.", set(), "Please thank [NAME] for the mic."),
        ("Grace had her hand up.", set(), "[NAME] had her hand up."),
        # One lower-case "ask binta" does not make Binta an ordinary word.
        ("Binta came to the hall.", set(), "[NAME] came to the hall."),
    ],
)
def test_spread_reads_the_words_around_a_name(text, places, expected):
    # "drew", "bill" and "binta" appear once in lower case; the common words in three texts.
    ordinary = ORDINARY | {"came", "to", "the", "hall", "binta", "cover", "deadline", "day"}
    ordinary |= {"drew", "bill", "grace", "knew", "answer", "had", "mic", "add", "but", "credit"}
    ordinary |= {"my", "mum", "went", "son", "can", "help", "friend", "hosted", "told", "no"}
    ordinary |= {"officers", "still", "unclear", "fund", "late", "is", "rules", "data", "we've"}
    clues = Clues(
        ordinary,
        frozenset(ORDINARY),  # in lower case in three texts or more
        frozenset(),
        gazetteer(),
        frozenset(places),
    )
    assert spread([text], set(), clues=clues) == [expected]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Morag asked.", "Morag asked."], ["[NAME] asked.", "[NAME] asked."]),
        (
            ["Morag asked.", "we hope", "Morag asked.", "we hope"],
            ["[NAME] asked.", "we hope", "[NAME] asked.", "we hope"],
        ),
        ([], []),
    ],
)
def test_spread_gives_each_copy_of_a_text_the_same(texts, expected):
    clues = Clues(ORDINARY, frozenset(), frozenset())
    assert spread(texts, {"Morag Campbell"}, clues=clues) == expected
