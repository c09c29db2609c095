import csv
import io

import pytest

from coprod_analysis.config import load_project
from coprod_analysis.errors import InputError, Problems
from coprod_analysis.ingest.surveys import read_survey
from tests.conftest import CONFIG, xlsx_bytes
from tests.ingest.conftest import ANSWER, CONF, DEF, HOPE, NOW, WHEN, WISH, compact

PROJECT = load_project(CONFIG)


def csv_text(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


GOOGLE = csv_text(
    [
        [
            "Timestamp",
            "Email address",
            "Your name",
            "Organisation",
            "Sector",
            WHEN,
            NOW,
            HOPE,
            CONF,
            DEF,
            WISH,
        ],
        [
            "2023/11/14 9:44:07 AM GMT",
            "jane@example.org",
            "Jane Smith",
            "Org A",
            "Third sector",
            "Before",
            "Consultation",
            "co-design",
            "Slightly confident",
            ANSWER,
            "",
        ],
        [
            "2023/11/14 4:44:07 PM GMT",
            "jane@example.org",
            "jane smith ",
            "Org A",
            "Third sector",
            "After",
            "",
            "",
            "Very confident",
            "",
            "Funding and how funders can share power.",
        ],
    ]
)
MS_FORMS = xlsx_bytes(
    [
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "Last modified time",
            WHEN,
            NOW,
            CONF,
            DEF,
        ],
        [
            1,
            "2023-12-12 09:00",
            "2023-12-12 09:05",
            "anonymous",
            "Anonymous",
            None,
            "Before",
            "3",
            2,
            ANSWER,
        ],
    ]
)
QUALTRICS = csv_text(
    [
        [
            "StartDate",
            "IPAddress",
            "ResponseId",
            "RecipientLastName",
            "RecipientFirstName",
            "RecipientEmail",
            "Q1",
            "Q2",
        ],
        [
            "Start Date",
            "IP Address",
            "Response ID",
            "Recipient Last Name",
            "Recipient First Name",
            "Recipient Email",
            NOW,
            DEF,
        ],
        [
            '{"ImportId":"startDate"}',
            '{"ImportId":"ipAddress"}',
            '{"ImportId":"_recordId"}',
            '{"ImportId":"recipientLastName"}',
            '{"ImportId":"recipientFirstName"}',
            '{"ImportId":"recipientEmail"}',
            '{"ImportId":"QID1"}',
            '{"ImportId":"QID2_TEXT"}',
        ],
        [
            "2024-03-19 09:00:00",
            "192.0.2.1",
            "R_abc",
            "Smith",
            "Jane",
            "jane@example.org",
            "Engagement",
            ANSWER,
        ],
    ]
)
MONKEY = csv_text(
    [
        [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            WHEN,
            CONF,
            DEF,
        ],
        ["", "", "", "", "", "", "", "Response", "Response", "Open-Ended Response"],
        [
            "114",
            "77",
            "06/11/2024 09:41:02 AM",
            "198.51.100.2",
            "",
            "Jane",
            "Smith",
            "After",
            "5",
            ANSWER,
        ],
    ]
)
PLAIN = csv_text(
    [
        ["Participant name", "Favourite colour", "Any other comments?"],
        ["Jane Smith", "red", "The room felt much more equal than last time we met."],
        ["Ali Khan", "blue", "More time for the young people's panel to speak first."],
    ],
    delimiter=";",
)
TITLED = csv_text(
    [
        ["Roundtable 1 survey, exported 14 Nov 2023"],
        [],
        ["Your name", WHEN, CONF, DEF],
        ["Jane Smith", "Before", "Slightly confident", ANSWER],
    ]
)
CORNER = csv_text(
    [
        ["", "Favourite colour", "Any other comments?"],
        ["1", "red", "The room felt much more equal than last time we met."],
        ["2", "blue", "More time for the young people's panel to speak first."],
    ]
)

JANE = "Jane Smith"


@pytest.mark.parametrize(
    ("name", "data", "units", "answers", "unmapped"),
    [
        (
            "survey.csv",
            GOOGLE,
            [
                (JANE, "definition", "pre", ANSWER),
                ("jane smith", "wishlist", "post", "Funding and how funders can share power."),
            ],
            [
                (JANE, "organisation", "Org A", None, "pre"),
                (JANE, "sector", "Third sector", None, "pre"),
                (JANE, "ladder_now", "Consultation", 4.0, "pre"),
                (JANE, "ladder_hoped", "co-design", 6.0, "pre"),
                (JANE, "confidence", "Slightly confident", 2.0, "pre"),
                ("jane smith", "organisation", "Org A", None, "post"),
                ("jane smith", "sector", "Third sector", None, "post"),
                ("jane smith", "confidence", "Very confident", 4.0, "post"),
            ],
            [],
        ),
        (
            "survey.xlsx",
            MS_FORMS,
            [("#row:s1/survey.xlsx:2", "definition", "pre", ANSWER)],
            [
                ("#row:s1/survey.xlsx:2", "ladder_now", "3", 3.0, "pre"),
                ("#row:s1/survey.xlsx:2", "confidence", "2", 2.0, "pre"),
            ],
            [],
        ),
        (
            "pre-survey.csv",
            QUALTRICS,
            [(JANE, "definition", "pre", ANSWER)],
            [(JANE, "ladder_now", "Engagement", 5.0, "pre")],
            [],
        ),
        (
            "survey.csv",
            MONKEY,
            [(JANE, "definition", "post", ANSWER)],
            [(JANE, "confidence", "5", 5.0, "post")],
            [],
        ),
        (
            "plain.csv",
            PLAIN,
            [
                (
                    JANE,
                    "any_other_comments",
                    None,
                    "The room felt much more equal than last time we met.",
                ),
                (
                    "Ali Khan",
                    "any_other_comments",
                    None,
                    "More time for the young people's panel to speak first.",
                ),
            ],
            [],
            ["Favourite colour"],
        ),
        (
            "survey.csv",
            TITLED,
            [(JANE, "definition", "pre", ANSWER)],
            [(JANE, "confidence", "Slightly confident", 2.0, "pre")],
            [],
        ),
        (
            "plain.csv",
            CORNER,
            [
                (
                    "#row:s1/plain.csv:2",
                    "any_other_comments",
                    None,
                    "The room felt much more equal than last time we met.",
                ),
                (
                    "#row:s1/plain.csv:3",
                    "any_other_comments",
                    None,
                    "More time for the young people's panel to speak first.",
                ),
            ],
            [],
            ["column 1", "Favourite colour"],
        ),
        (
            "answers.csv",
            "Respondent,Thoughts,Colour\n"
            "Ann,I would define co-production as sharing power with us,red\n"
            "Bo,Being asked before the decision and not after it,blue\n",
            [
                (
                    "#row:s1/answers.csv:2",
                    "thoughts",
                    None,
                    "I would define co-production as sharing power with us",
                ),
                (
                    "#row:s1/answers.csv:3",
                    "thoughts",
                    None,
                    "Being asked before the decision and not after it",
                ),
            ],
            [],
            ["Respondent", "Colour"],
        ),
    ],
    ids=[
        "google-forms",
        "microsoft-forms",
        "qualtrics",
        "surveymonkey",
        "plain-semicolon",
        "title-row-above-header",
        "blank-corner-header",
        "an-answer-matching-a-question-is-not-the-header",
    ],
)
def test_survey_formats(tmp_path, name, data, units, answers, unmapped):
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    source = read_survey(path, display=f"s1/{name}", project=PROJECT, problems=Problems())
    assert compact(source) == (units, answers)
    assert source.unmapped == unmapped
    for unit in source.units:
        assert source.plain_text[unit.start : unit.end] == source.unit_text(unit)


def test_windows_1252_survey_is_read(tmp_path):
    path = tmp_path / "post-survey.csv"
    path.write_bytes(
        csv_text(
            [["Your name", DEF], ["Zoë Campbell", "It’s about sharing power – really."]]
        ).encode("cp1252")
    )
    source = read_survey(path, display="s3/post-survey.csv", project=PROJECT, problems=Problems())
    assert compact(source)[0] == [
        ("Zoë Campbell", "definition", "post", "It’s about sharing power – really.")
    ]


def test_unknown_ladder_rung_names_value_and_rungs(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(
        csv_text([["Your name", NOW], ["Jane", "Consultation"], ["Ali", "partnership"]]),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_survey(path, display="s1/survey.csv", project=PROJECT, problems=Problems())
    assert err.value.line() == (
        f"s1/survey.csv, row 3, column {NOW!r}: ladder answer 'partnership' is not one of the rungs: "
        "coercion, educating, informing, consultation, engagement, co-design, co-production. "
        "Fix: correct the answer, or map it under ladder.aliases in config/project.yml"
    )


def test_survey_without_free_text_warns(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(csv_text([["Your name", CONF], ["Jane", "Very confident"]]), encoding="utf-8")
    problems = Problems()
    source = read_survey(path, display="s1/survey.csv", project=PROJECT, problems=problems)
    assert len(source.answers) == 1
    assert problems.lines() == [
        "s1/survey.csv: has no recognisable free-text column, so no survey text was read. "
        "Fix: add a pattern for the question under survey.questions in config/project.yml"
    ]


def test_off_scale_likert_answer_is_kept_without_score(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(
        csv_text([["Your name", CONF, DEF], ["Jane", "Quite sure", ANSWER]]), encoding="utf-8"
    )
    problems = Problems()
    source = read_survey(path, display="s1/survey.csv", project=PROJECT, problems=problems)
    assert [(a.answer, a.value) for a in source.answers] == [("Quite sure", None)]
    assert "answer 'Quite sure' is not on the scale of 'confidence'" in problems.lines()[0]


@pytest.mark.parametrize(
    ("rows", "warnings"),
    [
        (
            [["Roundtable 1 survey"], [], ["Your name", DEF], ["Jane", ANSWER]],
            [
                "s1/survey.csv, row 3: read as the question row; row 1 above it taken as titles "
                "or group headings, not answers. Fix: if the questions are in another row, delete "
                "the rows above them"
            ],
        ),
        ([[], [], ["Your name", DEF], ["Jane", ANSWER]], []),
        ([["Your name", DEF], ["Jane", ANSWER]], []),
    ],
    ids=["title-row-named", "blank-rows-quiet", "header-first-quiet"],
)
def test_rows_above_the_questions_are_reported(tmp_path, rows, warnings):
    path = tmp_path / "survey.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    problems = Problems()
    source = read_survey(path, display="s1/survey.csv", project=PROJECT, problems=problems)
    assert compact(source)[0] == [("Jane", "definition", None, ANSWER)]
    assert problems.lines() == warnings
