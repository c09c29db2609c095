import pytest

from coprod_analysis.privacy.redact import Redactor

REDACT = Redactor.for_names(["Jane Smith", "Priya Nair", "Seán Ó Briain", "Hope Adams"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Smith said so", "[NAME] said so"),
        ("as jane smith said", "as [NAME] said"),
        ("Jane\nSmith agreed", "[NAME] agreed"),
        ("as Priya said, and Nair's point", "as [NAME] said, and [NAME]'s point"),
        ("Seán’s panel", "[NAME]’s panel"),
        ("We hope Hope comes", "We hope [NAME] comes"),
        ("mail jane.smith@example.org now", "mail [EMAIL] now"),
        ("ring 07700 900123 or +44 7700 900456", "ring [PHONE] or [PHONE]"),
        ("(0131) 496 0018, 0131 496 0018, 020 7946 0123", "[PHONE], [PHONE], [PHONE]"),
        ("+44 (0)20 7946 0321 and 01632-960-777", "[PHONE] and [PHONE]"),
        ("at AB10 1AQ and AB241AF", "at [POSTCODE] and [POSTCODE]"),
        ("In 2023 we met 12 people for 90 minutes", "In 2023 we met 12 people for 90 minutes"),
        ("Q3 4th floor, room B12", "Q3 4th floor, room B12"),
        ("Janet and Smithson came", "Janet and Smithson came"),
    ],
)
def test_redact(text, expected):
    assert REDACT(text) == expected


def test_no_names_still_redacts_contacts():
    assert Redactor.for_names([])("Jo: jo@x.org") == "Jo: [EMAIL]"


@pytest.mark.parametrize(
    ("names", "text", "expected"),
    [
        (["Overall"], "The overall feel. Overall, fine.", "The overall feel. [NAME], fine."),
        (["Priya"], "priya and Priya", "priya and [NAME]"),
        (["euan macleod"], "Euan MacLeod and MacLeod", "[NAME] and MacLeod"),
        (["euan macleod", "Euan MacLeod"], "as MacLeod said", "as [NAME] said"),
    ],
)
def test_one_word_names_match_only_capitalised(names, text, expected):
    assert Redactor.for_names(names)(text) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("s1/interview-jane-smith.vtt", "s1/interview-[NAME]-[NAME].vtt"),
        ("s1/Priya_Nair notes.docx", "s1/[NAME]_[NAME] notes.docx"),
        ("s1/table-notes.docx", "s1/table-notes.docx"),
        ("s1/janet.md", "s1/janet.md"),
    ],
)
def test_names_in_file_paths(path, expected):
    assert REDACT.path(path) == expected


@pytest.mark.parametrize(
    ("names", "text", "expected"),
    [
        (["ANN LEE", "Ann Lee Smith"], "ask ann lee smith", "ask [NAME]"),
        (
            ["Ann Lee Smith", "ann lee"],
            "ask Ann Lee, then Ann Lee Smith",
            "ask [NAME], then [NAME]",
        ),
        (["Jo Ann", "Jo Anne Bell"], "Jo Anne Bell and jo ann", "[NAME] and [NAME]"),
        ([f"Person{i} Surname{i}" for i in range(500)], "Person7 Surname7 came", "[NAME] came"),
    ],
)
def test_the_longest_name_goes_first_in_any_case(names, text, expected):
    assert Redactor.for_names(names)(text) == expected
