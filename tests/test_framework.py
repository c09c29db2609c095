"""The framework matrix: counts of participants, Wilson intervals, typical quotes, a safe workbook."""

import math
from pathlib import Path

import pandas as pd
import pytest

from coprod_analysis import framework
from coprod_analysis.shifts.stats import wilson


def _seg(sid, session, kind, speaker, text):
    return {
        "segment_id": sid,
        "session_id": session,
        "source_kind": kind,
        "speaker": speaker,
        "question": None,
        "text": text,
    }


# s1: four participants (A, B, C, D), a facilitator and unattributed notes.
# s2: unattributed notes only, so its unit is contributions.
SEGMENTS = pd.DataFrame(
    [
        _seg("s1-a1", "s1", "transcript", "P-A", "Funders hold the power here."),
        _seg("s1-a2", "s1", "transcript", "P-A", "We never set the agenda."),
        _seg("s1-b1", "s1", "survey", "P-B", "Sharing power with people who use services."),
        _seg("s1-c1", "s1", "transcript", "P-C", "Short-term grants get in the way."),
        _seg("s1-d1", "s1", "transcript", "P-D", "Tea and biscuits were good."),
        _seg("s1-f1", "s1", "transcript", "Facilitator", "Who holds the power, do you think?"),
        _seg("s1-n1", "s1", "notes", None, "Room agreed power sits with funders."),
        _seg("s2-n1", "s2", "notes", None, "Funding came up at every table."),
        _seg("s2-n2", "s2", "notes", None, "Lunch was late."),
    ]
)
THEMES = pd.DataFrame(
    [
        ("s1-a1", "power", "rule", 0.9),
        ("s1-a1", "power", "learned", 0.5),  # the same segment by another method: max counts
        ("s1-a2", "power", "learned", 0.7),
        ("s1-b1", "power", "learned", 0.9),  # ties with s1-a1: segment_id decides
        ("s1-c1", "funding", "learned", 0.8),
        ("s1-f1", "power", "learned", 0.99),  # facilitator: after every participant
        ("s1-n1", "power", "learned", 0.95),  # notes: after every participant
        ("s2-n1", "funding", "learned", 0.6),
    ],
    columns=["segment_id", "theme", "method", "score"],
)
RESPONSES = pd.DataFrame(
    [
        ("s1", "P-A", "sector", "Third sector"),
        ("s1", "P-A", "organisation", "Open Door – Youth"),
        ("s1", "P-B", "sector", "Third sector"),
        ("s1", "P-B", "organisation", "open door - youth"),
        ("s1", "P-C", "sector", "Local authority"),
        ("s1", "P-C", "organisation", "Granite City Council"),
        ("s1", "P-C", "confidence", "Very confident"),
        ("s1", "P-Z", "sector", "Funder"),  # answered the survey, said nothing else
    ],
    columns=["session_id", "respondent", "question", "answer"],
)
NAMES = {"s1": "Session 1 (Nov 2023)", "s2": "Session 2 (Dec 2023)"}


def _cell(matrix, row, theme):
    found = matrix[(matrix["row_id"] == row) & (matrix["theme"] == theme)]
    assert len(found) == 1, (row, theme)
    return found.iloc[0]


@pytest.mark.parametrize(
    ("rows", "row", "theme", "unit", "n", "n_with"),
    [
        (
            "session",
            "s1",
            "power",
            "participants",
            4,
            2,
        ),  # A and B; facilitator and notes not counted
        ("session", "s1", "funding", "participants", 4, 1),
        ("session", "s2", "funding", "contributions", 2, 1),  # no known speaker: segments
        ("session", "s2", "power", "contributions", 2, 0),
        ("sector", "Third sector", "power", "participants", 2, 2),
        ("sector", "Local authority", "funding", "participants", 1, 1),
        ("organisation", "Open Door – Youth", "power", "participants", 2, 2),  # spellings merged
        ("participant", "P-A", "power", "contributions", 2, 2),
        ("participant", "P-D", "power", "contributions", 1, 0),
    ],
)
def test_counts_and_wilson_intervals(rows, row, theme, unit, n, n_with):
    matrix = framework.framework_matrix(SEGMENTS, THEMES, rows=rows, responses=RESPONSES)
    cell = _cell(matrix, row, theme)
    low, high = wilson(n_with, n)
    assert (cell["unit"], cell["n"], cell["n_with"]) == (unit, n, n_with)
    assert cell["share"] == pytest.approx(n_with / n)
    assert (cell["low"], cell["high"]) == pytest.approx((low, high))


@pytest.mark.parametrize(
    ("rows", "min_count", "row", "theme", "quotes"),
    [
        # highest score first; a tie (0.9) goes to the smaller segment_id
        (
            "session",
            3,
            "s1",
            "power",
            ["Funders hold the power here.", "Sharing power with people who use services."],
        ),
        # one participant quote, then the notes before nothing
        ("session", 3, "s1", "funding", ["Short-term grants get in the way.", ""]),
        ("session", 3, "s2", "funding", ["Funding came up at every table.", ""]),
        (
            "participant",
            3,
            "P-A",
            "power",
            ["Funders hold the power here.", "We never set the agenda."],
        ),
        # a sector of two people gets no quotes unless min_count allows it
        ("sector", 3, "Third sector", "power", ["", ""]),
        (
            "sector",
            2,
            "Third sector",
            "power",
            ["Funders hold the power here.", "Sharing power with people who use services."],
        ),
    ],
)
def test_most_typical_quotes(rows, min_count, row, theme, quotes):
    matrix = framework.framework_matrix(
        SEGMENTS, THEMES, rows=rows, responses=RESPONSES, min_count=min_count
    )
    cell = _cell(matrix, row, theme)
    assert [cell["quote_1"], cell["quote_2"]] == quotes


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # participants' words come before facilitators and notes, whatever their score
        ([], ["s1-a1", "s1-b1", "s1-a2", "s1-n1"]),
        # a quote with a removed identifier comes after clean participant quotes
        (
            [("s1-x1", "P-X", "[NAME] runs it and holds the power.", 0.99)],
            ["s1-a1", "s1-b1", "s1-a2", "s1-x1"],
        ),
    ],
)
def test_quote_order(extra, expected):
    segments = pd.concat(
        [SEGMENTS, pd.DataFrame([_seg(s, "s1", "transcript", p, t) for s, p, t, _ in extra])],
        ignore_index=True,
    )
    themes = pd.concat(
        [
            THEMES,
            pd.DataFrame(
                [(s, "power", "learned", sc) for s, _, _, sc in extra], columns=THEMES.columns
            ),
        ],
        ignore_index=True,
    )
    matrix = framework.framework_matrix(segments, themes, quotes=4)
    assert _cell(matrix, "s1", "power")["quote_ids"] == "; ".join(expected)


@pytest.mark.parametrize(
    ("min_count", "expected"),
    [
        (3, "fewer than 3 of 4"),
        (2, "2 of 4 (50%, 15–85%)"),
        (5, "fewer than 5 of fewer than 5"),
    ],
)
def test_small_counts_are_masked(min_count, expected):
    matrix = framework.framework_matrix(SEGMENTS, THEMES, names=NAMES, min_count=min_count)
    cells = framework.framework_cells(matrix, labels={"power": "Power"})
    text = cells.set_index("Session").loc["Session 1 (Nov 2023)", "Power"]
    assert text.split("\n")[0] == expected


@pytest.mark.parametrize(
    ("k", "n", "unit", "expected"),
    [
        (12, 15, "participants", "12 of 15 (80%, 55–93%)"),
        (0, 15, "participants", "0 of 15 (0%, 0–20%)"),
        (3, 3, "contributions", "3 of 3 contributions (100%, 44–100%)"),
        (1, 15, "participants", "fewer than 3 of 15"),
        (0, 0, "participants", "0 of 0"),
    ],
)
def test_summary_text(k, n, unit, expected):
    assert framework.summary(k, n, unit=unit) == expected


def test_cells_layout():
    matrix = framework.framework_matrix(SEGMENTS, THEMES, names=NAMES, min_count=2)
    cells = framework.framework_cells(matrix, labels={"power": "Power", "funding": "Funding"})
    assert list(cells.columns) == ["Session", "Power", "Funding"]
    assert cells["Session"].tolist() == ["Session 1 (Nov 2023)", "Session 2 (Dec 2023)"]
    assert cells.loc[0, "Power"] == (
        "2 of 4 (50%, 15–85%)\n“Funders hold the power here.”\n"
        "“Sharing power with people who use services.”"
    )


def test_theme_ids_choose_and_order_columns():
    matrix = framework.framework_matrix(SEGMENTS, THEMES, theme_ids=["funding", "values"])
    assert list(dict.fromkeys(matrix["theme"])) == ["funding", "values"]
    assert _cell(matrix, "s1", "values")["n_with"] == 0


def test_participants_appear_by_pseudonym_only():
    matrix = framework.framework_matrix(SEGMENTS, THEMES, rows="participant")
    assert sorted(set(matrix["row"])) == ["P-A", "P-B", "P-C", "P-D"]
    with pytest.raises(ValueError, match="pseudonym"):
        framework.framework_matrix(SEGMENTS, THEMES, rows="participant", names={"P-A": "Ann"})


@pytest.mark.parametrize(
    ("rows", "responses", "message"),
    [
        ("region", RESPONSES, "'session', 'sector', 'organisation', 'participant'"),
        ("sector", None, "pass responses=corpus.responses"),
        ("organisation", RESPONSES[RESPONSES["question"] != "organisation"], "organisation column"),
        ("sector", RESPONSES.assign(respondent="P-Q"), "same ingest run"),
    ],
)
def test_rows_without_data_raise_a_clear_error(rows, responses, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        framework.framework_matrix(SEGMENTS, THEMES, rows=rows, responses=responses)


def test_participant_rows_need_speakers():
    with pytest.raises(ValueError, match="speaker"):
        framework.framework_matrix(SEGMENTS.assign(speaker=None), THEMES, rows="participant")


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("By session", set(), "By session"),
        ("Power/funding: [by sector]?*\\", set(), "Power funding by sector"),
        (
            "A very long sheet name that Excel would refuse",
            set(),
            "A very long sheet name that Exc",
        ),
        ("by session", {"by session"}, "by session (2)"),
        ("History", set(), "History (2)"),
        ("'quoted'", set(), "quoted"),
        ("[]", set(), "Sheet"),
    ],
)
def test_sheet_names_follow_excel_rules(name, taken, expected):
    assert framework.sheet_name(name, taken=set(taken)) == expected


HOSTILE = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2+3", "\tcmd", "\r=1"]


def _read(path):
    from openpyxl import load_workbook

    return load_workbook(path)


@pytest.mark.parametrize("text", HOSTILE)
def test_workbook_cells_cannot_run_as_formulas(tmp_path, text):
    path = tmp_path / "matrix.xlsx"
    view = pd.DataFrame({"Organisation": [text], text: ["ok"]})
    framework.framework_workbook({"Hostile": view}, path)
    sheet = _read(path)["Hostile"]
    for cell in (sheet["A2"], sheet["B1"]):
        assert cell.data_type == "s"
        assert cell.value == "'" + text


def test_hostile_organisation_name_reaches_the_workbook_as_text(tmp_path):
    responses = RESPONSES.replace({"Granite City Council": '=HYPERLINK("http://x")'})
    matrix = framework.framework_matrix(SEGMENTS, THEMES, rows="organisation", responses=responses)
    path = tmp_path / "matrix.xlsx"
    framework.framework_workbook({"By organisation": framework.framework_cells(matrix)}, path)
    labels = [c.value for c in _read(path)["By organisation"]["A"][1:]]
    assert '\'=HYPERLINK("http://x")' in labels


def _views():
    views = {}
    for rows in framework.ROW_KINDS:
        matrix = framework.framework_matrix(
            SEGMENTS,
            THEMES,
            rows=rows,
            responses=RESPONSES,
            names=NAMES if rows == "session" else None,
            min_count=2,
        )
        views[f"By {rows}"] = framework.framework_cells(matrix, labels={"power": "Power"})
    return views


def test_workbook_matches_the_cells(tmp_path):
    path = tmp_path / "matrix.xlsx"
    views = _views()
    framework.framework_workbook(views, path)
    book = _read(path)
    assert book.sheetnames == list(views)
    for name, view in views.items():
        expected = [tuple(view.columns), *view.itertuples(index=False, name=None)]
        assert list(book[name].iter_rows(values_only=True)) == expected


def test_workbook_layout(tmp_path):
    path = tmp_path / "matrix.xlsx"
    framework.framework_workbook(_views(), path)
    sheet = _read(path)["By session"]
    assert sheet.freeze_panes == "B2"
    quote_cell = sheet["B2"]
    assert "“" in quote_cell.value
    assert quote_cell.alignment.wrap_text
    assert sheet.row_dimensions[2].height > 15  # tall enough for the quotes
    assert 10 <= sheet.column_dimensions["B"].width <= 50
    assert sheet["A1"].font.bold


def test_workbook_is_replaced_atomically(tmp_path, monkeypatch):
    from openpyxl import Workbook

    path = tmp_path / "matrix.xlsx"
    path.write_bytes(b"previous")

    def fail(self, filename):  # a save cut short: half a file, then an error
        Path(filename).write_bytes(b"PK half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", fail)
    with pytest.raises(OSError, match="disk full"):
        framework.framework_workbook(_views(), path)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["matrix.xlsx"]


def test_workbook_needs_a_view(tmp_path):
    with pytest.raises(ValueError, match="no views"):
        framework.framework_workbook({}, tmp_path / "matrix.xlsx")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("plain", "plain"),
        ("bell\x07 ringer", "bell ringer"),
        (-1, -1),
        (math.nan, None),
        (None, None),
    ],
)
def test_excel_text(value, expected):
    assert framework.excel_text(value) == expected
