"""Excel survey workbooks read through read_survey with the repo's settings."""

import io
import re
import zipfile

import pytest

from coprod_analysis.config import FileLimits, load_project
from coprod_analysis.errors import InputError, Problems
from coprod_analysis.ingest.surveys import read_survey
from tests.conftest import CONFIG, workbook_bytes
from tests.ingest.conftest import ANSWER, CONF, DEF, NOW, compact

PROJECT = load_project(CONFIG)
OTHER = "Designing the service with the people who use it, from the start."
SKIPPED_FIX = "Fix: if answers are on a skipped sheet, save that sheet as its own .xlsx or .csv"


book = workbook_bytes


def patched(data, part, cells, dimension=None):
    """Rewrite cells of one sheet's XML as raw XML (openpyxl cannot save a formula's result).

    ``cells`` maps a reference to the new ``<c>`` content, e.g. ``'t="str"><f>1+1</f><v>2</v>'``
    (attributes after ``r``, then the children); ``dimension`` replaces the declared size.
    """
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                text = content.decode("utf-8")
                for ref, cell in cells.items():
                    text, n = re.subn(
                        rf'<c r="{ref}"[^>]*>.*?</c>', f'<c r="{ref}" {cell}</c>', text
                    )
                    assert n == 1, ref
                if dimension:
                    text = re.sub(
                        r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text
                    )
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def read(tmp_path, data, project=PROJECT):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(data)
    problems = Problems()
    source = read_survey(path, display="s1/survey.xlsx", project=project, problems=problems)
    return source, problems.lines()


RESPONSES = [
    ["Your name", CONF, DEF],
    ["Jane Smith", "Slightly confident", ANSWER],
    ["Ali Khan", "Very confident", OTHER],
]
READ = (
    [("Jane Smith", "definition", None, ANSWER), ("Ali Khan", "definition", None, OTHER)],
    [
        ("Jane Smith", "confidence", "Slightly confident", 2.0, None),
        ("Ali Khan", "confidence", "Very confident", 4.0, None),
    ],
)
COVER = [
    ["About this export"],
    ["Downloaded from Microsoft Forms by the project team after the first roundtable."],
    ["Answers are on the next sheet; names are removed before analysis."],
]
NOTES = [
    ["Note"],
    ["Two people answered on paper; their answers were typed in afterwards by the team."],
]
GROUPED = [
    ["About you", None, None, "Before the session", None],
    ["Full name", "Organisation", "Sector", CONF, DEF],
    ["Jane Smith", "Org A", "Third sector", "Slightly confident", ANSWER],
    ["Ali Khan", "Org B", "Health", "Very confident", OTHER],
]


@pytest.mark.parametrize(
    ("data", "expected", "warnings"),
    [
        (
            book({"Cover": COVER, "Responses": RESPONSES, "Notes": NOTES}),
            READ,
            [f"s1/survey.xlsx: read sheet 'Responses'; skipped 'Cover', 'Notes'. {SKIPPED_FIX}"],
        ),
        (book({"Responses": RESPONSES, "Sheet2": [], "Sheet3": [[None]]}), READ, []),
        (
            book({"Pre": RESPONSES, "Post": RESPONSES[:2]}),
            READ,
            [
                "s1/survey.xlsx: read sheet 'Pre'; skipped 'Post'. Fix: sheet(s) 'Post' hold "
                "answers too: save each as its own .xlsx or .csv so all are read"
            ],
        ),
        (
            book({"Form1": GROUPED}, {"Form1": ["A1:C1", "D1:E1"]}),
            (
                [
                    ("Jane Smith", "definition", None, ANSWER),
                    ("Ali Khan", "definition", None, OTHER),
                ],
                [
                    ("Jane Smith", "organisation", "Org A", None, None),
                    ("Jane Smith", "sector", "Third sector", None, None),
                    ("Jane Smith", "confidence", "Slightly confident", 2.0, None),
                    ("Ali Khan", "organisation", "Org B", None, None),
                    ("Ali Khan", "sector", "Health", None, None),
                    ("Ali Khan", "confidence", "Very confident", 4.0, None),
                ],
            ),
            [
                "s1/survey.xlsx, sheet 'Form1', row 2: read as the question row; row 1 above it "
                "taken as titles or group headings, not answers. Fix: if the questions are in "
                "another row, delete the rows above them"
            ],
        ),
        (
            book({"Cover": COVER, "Notes": NOTES}),
            ([], []),
            [
                "s1/survey.xlsx: no sheet looks like a table of survey answers (sheets: 'Cover', "
                "'Notes'), so nothing was read. Fix: if one holds answers, add patterns for its "
                "questions under survey.questions in config/project.yml"
            ],
        ),
        (
            book({"Cover": COVER}),
            ([], []),
            [
                "s1/survey.xlsx: no sheet looks like a table of survey answers (sheets: "
                "'Cover'), so nothing was read. Fix: if one holds answers, add patterns for its "
                "questions under survey.questions in config/project.yml"
            ],
        ),
        (
            patched(book({"Responses": RESPONSES}), "xl/worksheets/sheet1.xml", {}, "A1"),
            READ,
            [],
        ),
    ],
    ids=[
        "cover-note-first",
        "empty-sheets-not-named",
        "two-answer-sheets",
        "merged-group-headers",
        "no-answer-table",
        "only-a-cover-note",
        "declared-size-too-small",
    ],
)
def test_workbook_sheet_and_question_row(tmp_path, data, expected, warnings):
    source, lines = read(tmp_path, data)
    assert compact(source) == expected
    assert lines == warnings
    for unit in source.units:
        assert source.plain_text[unit.start : unit.end] == source.unit_text(unit)


def test_group_headings_are_not_questions_and_names_are_not_answers(tmp_path):
    source, _ = read(tmp_path, book({"Form1": GROUPED}, {"Form1": ["A1:C1", "D1:E1"]}))
    assert source.plain_text.startswith(f"Row 3 · {DEF}\n{ANSWER}")
    assert "About you" not in source.plain_text and "Before the session" not in source.plain_text
    assert "Full name" not in source.plain_text
    assert not any(name in source.plain_text for name in ("Jane", "Smith", "Ali", "Khan"))
    assert {a.answer for a in source.answers}.isdisjoint({"Jane Smith", "Ali Khan", "Full name"})
    assert source.unmapped == []


FORMULAS = [
    ["Your name", NOW, CONF, DEF],
    ["Jane Smith", "Consultation", "Slightly confident", ANSWER],
    ["Ali Khan", "Engagement", "Very confident", OTHER],
]
UNSAVED = (
    "formula has no saved result (the file was written by a program that does not calculate), "
    "so it reads as empty"
)
RESAVE = "Fix: open it in Excel and save it again"


@pytest.mark.parametrize(
    ("cover", "cells", "answers", "warnings"),
    [
        (
            False,
            {
                "B2": 't="str"><f>LOWER("CONSULTATION")</f><v>consultation</v>',
                "C2": 't="str"><f>IF(1&gt;2,"x","")</f><v></v>',  # Excel's saved empty text
                "B3": "><f>2+3</f><v>5</v>",
                "C3": 't="str"><f>"Very "&amp;"confident"</f><v>Very confident</v>',
            },
            [
                ("Jane Smith", "ladder_now", "consultation", 4.0, None),
                ("Ali Khan", "ladder_now", "5", 5.0, None),
                ("Ali Khan", "confidence", "Very confident", 4.0, None),
            ],
            [],
        ),
        (
            False,
            {"B2": "><f>2+2</f><v></v>", "C2": 't="str"><f>"Very confident"</f>'},
            [
                ("Ali Khan", "ladder_now", "Engagement", 5.0, None),
                ("Ali Khan", "confidence", "Very confident", 4.0, None),
            ],
            [
                f"s1/survey.xlsx, sheet 'Responses', cell B2: {UNSAVED} (1 more formula cell(s) "
                f"likewise). {RESAVE}"
            ],
        ),
        (
            True,
            {"C3": "><f>4</f>"},
            [
                ("Jane Smith", "ladder_now", "Consultation", 4.0, None),
                ("Jane Smith", "confidence", "Slightly confident", 2.0, None),
                ("Ali Khan", "ladder_now", "Engagement", 5.0, None),
            ],
            [
                f"s1/survey.xlsx: read sheet 'Responses'; skipped 'Cover'. {SKIPPED_FIX}",
                f"s1/survey.xlsx, sheet 'Responses', cell C3: {UNSAVED}. {RESAVE}",
            ],
        ),
    ],
    ids=["saved-results-read", "unsaved-results-warned", "unsaved-on-second-sheet"],
)
def test_formulas_read_as_saved_results(tmp_path, cover, cells, answers, warnings):
    sheets = {"Cover": COVER, "Responses": FORMULAS} if cover else {"Responses": FORMULAS}
    part = f"xl/worksheets/sheet{len(sheets)}.xml"
    source, lines = read(tmp_path, patched(book(sheets), part, cells))
    assert compact(source)[1] == answers
    assert lines == warnings


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (FileLimits(max_unpacked_mb=0.001), "over the limit of 0.001 MB"),
        (FileLimits(max_members=3), "zip members, over the limit of 3"),
    ],
    ids=["unpacked-size", "member-count"],
)
def test_workbook_over_the_limits_is_refused(tmp_path, limits, message):
    project = PROJECT.model_copy(update={"files": limits})
    with pytest.raises(InputError) as err:
        read(tmp_path, book({"Responses": RESPONSES}), project)
    line = err.value.line()
    assert line.startswith("s1/survey.xlsx: ") and message in line
    assert line.endswith("raise files.max_unpacked_mb and files.max_members in config/project.yml")
    assert "\n" not in line
    assert read(tmp_path, book({"Responses": RESPONSES}))[0].units  # the defaults let it in


def test_row_errors_name_the_sheet(tmp_path):
    rows = [["Your name", NOW], ["Jane", "Consultation"], ["Ali", "partnership"]]
    with pytest.raises(InputError) as err:
        read(tmp_path, book({"Cover": COVER, "Responses": rows}))
    assert err.value.line().startswith(
        f"s1/survey.xlsx, sheet 'Responses', row 3, column {NOW!r}: ladder answer 'partnership'"
    )
