"""Where the answers are in a survey file: the sheet of a workbook, the question row of a table.

A workbook (``.xlsx``) is checked before it is opened
(:func:`~coprod_analysis.ingest.archive.check_zip`), every sheet is read, and the one that
best looks like a table of answers is chosen by a score the caller gives
(:func:`choose_sheet`), so a cover note or a notes sheet in front of the responses does not
hide them. Formulas are read as the result Excel saved with them; a formula saved without a
result (by a program that never calculated it) is reported. In any table, workbook or CSV,
the question row may sit below titles or merged group headings (:func:`header_row`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from coprod_analysis.config import FileLimits, SurveySettings
from coprod_analysis.errors import InputError, Problems
from coprod_analysis.ingest.archive import check_zip

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

Rows = list[list[str]]
# Higher is better; a sheet whose score starts with 0 does not look like a table of answers.
SheetScore = Callable[[Rows], tuple[int, ...]]
_RESAVE = "open it in Excel and save it again as .xlsx, or export it as .csv"
_HEADER_SEARCH = 10  # rows: titles, blank rows and group headings above the question row


@dataclass(frozen=True)
class Sheet:
    """One worksheet's name and cells, as strings, laid out as in the sheet (row 1 first)."""

    name: str
    rows: Rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def _has_data(rows: Rows) -> bool:
    return any(any(c.strip() for c in row) for row in rows)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)


def fold_ws(text: str) -> str:
    """Collapse spaces and line breaks and drop byte-order marks, as headers are compared.

    Example:
        >>> from coprod_analysis.ingest.workbooks import fold_ws
        >>> fold_ws("\\ufeffFull  name\\n")
        'Full name'
    """
    return " ".join(text.replace("\ufeff", "").split())


def _names_column(patterns: list[str], cell: str) -> bool:
    return any(re.search(p, fold_ws(cell), re.I) for p in patterns)


def _column_patterns(settings: SurveySettings) -> list[str]:
    who, timing = settings.respondent, settings.timing.columns
    groups = [who.name, who.first_name, who.last_name, who.email, timing, settings.organisation]
    groups += [settings.sector, settings.ignore, *(q.match for q in settings.questions)]
    return [pattern for group in groups for pattern in group]


def header_row(rows: list[list[str]], *, settings: SurveySettings = SurveySettings()) -> int:
    """Find a plain table's question row below any titles, blank rows or group headings.

    Down to the first row as wide as the widest (within the first 10 rows), the one row with
    the most cells that name a column in the survey settings (respondent, timing,
    organisation, sector, questions, ignored metadata) is the question row; when no single
    row has the most, it is the first row nearly as wide (all but one cell filled). Titles
    and merged group headings (a label in the first cell of the group, empty cells after it)
    are narrower; answers come below the question row, so they are never taken for it.

    Example:
        >>> from coprod_analysis.ingest.workbooks import header_row
        >>> from coprod_analysis.config import load_project
        >>> rows = [["About you", "", "Your views"], ["Full name", "Sector", "Colour"],
        ...         ["Jo Bloggs", "Health", "red"]]
        >>> header_row(rows, settings=load_project().survey)
        1
        >>> header_row([["Export, 14 Nov"], [], ["Pet", "Colour"], ["cat", "red"]])
        2
    """
    window = rows[:_HEADER_SEARCH]
    filled = [sum(bool(c.strip()) for c in row) for row in window]
    widest = max(filled, default=0)
    wide = widest - 1 if widest >= 3 else widest
    # Answers come after the question row, so it is no further down than the first full row:
    # an answer that happens to match a question pattern is never taken for it.
    full = next((i for i, n in enumerate(filled) if n and n == widest), 0)
    window = window[: full + 1]
    patterns = _column_patterns(settings)
    hits = [sum(bool(c.strip()) and _names_column(patterns, c) for c in r) for r in window]
    best = max(hits, default=0)
    if best and hits.count(best) == 1:
        return hits.index(best)
    return next((i for i, n in enumerate(filled[: full + 1]) if n and n >= wide), 0)


def choose_sheet(
    sheets: Sequence[Sheet], *, display: str, problems: Problems, score: SheetScore
) -> Sheet | None:
    """Pick the sheet that best looks like a table of answers, and say which was read.

    Sheets are ranked by ``score`` (ties go to the earlier sheet). When more than one sheet
    is given, a warning names the sheet read and the sheets skipped. When no sheet scores
    above 0, nothing is read and a warning names the sheets: reading a cover note or a notes
    sheet as answers would put text that nobody answered into the analysis.

    Args:
        sheets: the sheets that hold data, in workbook order.
        display: the file's name in messages.
        problems: where the warnings go.
        score: rates one sheet's rows; a tuple compared item by item, first item 0 for a
            sheet that does not look like a table of answers.

    Returns:
        The chosen sheet, or None when there is none to read.

    Example:
        >>> from coprod_analysis.errors import Problems
        >>> from coprod_analysis.ingest.workbooks import Sheet, choose_sheet
        >>> from coprod_analysis.ingest.workbooks import choose_sheet
        >>> sheets = [Sheet("Cover", [["Export of 14 Nov"]]), Sheet("Responses", [["Name"], ["Jo"]])]
        >>> problems = Problems()
        >>> choose_sheet(sheets, display="s1/survey.xlsx", problems=problems,
        ...              score=lambda rows: (int(len(rows) > 1), len(rows))).name
        'Responses'
        >>> problems.lines()  # doctest: +NORMALIZE_WHITESPACE
        ["s1/survey.xlsx: read sheet 'Responses'; skipped 'Cover'. Fix: if answers are on a
        skipped sheet, save that sheet as its own .xlsx or .csv"]
    """
    if not sheets:
        return None
    scores = [score(sheet.rows) for sheet in sheets]
    best = max(range(len(sheets)), key=lambda i: (scores[i], -i))
    names = [sheet.name for sheet in sheets]
    if not scores[best] or scores[best][0] <= 0:
        problems.warn(
            display,
            None,
            f"no sheet looks like a table of survey answers (sheets: {_quoted(names)}), "
            "so nothing was read",
            fix="if one holds answers, add patterns for its questions under survey.questions "
            "in config/project.yml",
        )
        return None
    if len(sheets) > 1:
        also = [n for i, n in enumerate(names) if i != best and scores[i] and scores[i][0] > 0]
        fix = (
            f"sheet(s) {_quoted(also)} hold answers too: save each as its own .xlsx or .csv "
            "so all are read"
            if also
            else "if answers are on a skipped sheet, save that sheet as its own .xlsx or .csv"
        )
        skipped = _quoted(n for i, n in enumerate(names) if i != best)
        problems.warn(display, None, f"read sheet {names[best]!r}; skipped {skipped}", fix=fix)
    return sheets[best]


def _open(path: Path, display: str) -> Workbook:
    import openpyxl  # imported here so `import coprod_analysis` stays light

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise InputError(
            display,
            None,
            "is not a readable Excel workbook (corrupt, truncated or not an .xlsx)",
            fix=_RESAVE,
        ) from None


_MAX_CELLS = 5_000_000


def _sheet_rows(sheet: ReadOnlyWorksheet, display: str) -> Rows:
    # The size a file declares may be wrong (some exporters write A1): read every cell there is.
    sheet.reset_dimensions()
    rows: Rows = []
    width = 0
    try:
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            width = max(width, len(values))
            if (len(rows) + 1) * width > _MAX_CELLS:  # a stray cell far out at XFD1048576
                raise InputError(
                    display,
                    f"sheet {sheet.title!r}",
                    f"spans more than {_MAX_CELLS:,} cells, far more than a survey export",
                    fix="delete the unused rows and columns, or export the responses as .csv",
                )
            rows.append([_cell(v) for v in values])
    except InputError:
        raise
    except Exception:
        raise InputError(
            display,
            f"sheet {sheet.title!r}",
            "cannot be read (the workbook is damaged)",
            fix=_RESAVE,
        ) from None
    return rows


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _lacks_result(cell: Element) -> bool:
    """A formula cell saved without its result: no ``<v>``, or an empty one not typed text."""
    parts = {_local(child.tag): child for child in cell}
    if "f" not in parts or "is" in parts:
        return False
    value = parts.get("v")
    return value is None or (not value.text and cell.get("t") != "str")


def uncached_formulas(path: str | Path | IO[bytes], part: str) -> list[str]:
    """Return the cells of one sheet whose formula was saved without a result.

    Excel saves each formula's result beside it, and that result is what is read. A file
    written by a program that does not calculate (a script, some exporters) has formulas
    with no result, which would read as empty.

    Args:
        path: the workbook.
        part: the sheet's part inside the zip, such as ``xl/worksheets/sheet1.xml``.

    Returns:
        Cell references such as ``D2``, in sheet order.

    Example:
        >>> from coprod_analysis.ingest.workbooks import uncached_formulas
        >>> import io, zipfile
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("s.xml", '<worksheet><sheetData><row r="1"><c r="A1"><f>1+1</f>'
        ...                '<v>2</v></c><c r="B1"><f>A1*2</f><v/></c></row></sheetData></worksheet>')
        >>> uncached_formulas(buf, "s.xml")
        ['B1']
    """
    from openpyxl.xml.functions import iterparse  # defusedxml's, when it is installed

    found: list[str] = []
    with zipfile.ZipFile(path) as archive, archive.open(part) as source:
        for _, element in iterparse(source):
            tag = _local(element.tag)
            if tag == "c" and _lacks_result(element):
                found.append(element.get("r") or "(unnamed)")
            elif tag == "row":
                element.clear()
    return found


def _warn_uncached(path: Path, sheet: ReadOnlyWorksheet, display: str, problems: Problems) -> None:
    cells = uncached_formulas(path, sheet._worksheet_path)  # openpyxl keeps the part's name here
    if cells:
        more = f" ({len(cells) - 1} more formula cell(s) likewise)" if len(cells) > 1 else ""
        problems.warn(
            display,
            f"sheet {sheet.title!r}, cell {cells[0]}",
            f"formula has no saved result (the file was written by a program that does not "
            f"calculate), so it reads as empty{more}",
            fix="open it in Excel and save it again",
        )


def read_workbook(
    path: str | Path,
    *,
    display: str,
    problems: Problems,
    score: SheetScore,
    limits: FileLimits = FileLimits(),
) -> Sheet | None:
    """Read the sheet of a workbook that holds the answers.

    Every sheet with data is scored and the best one read (see :func:`choose_sheet`);
    formula cells give the result saved with them.

    Args:
        path: the ``.xlsx`` file.
        display: the file's name in messages.
        problems: where warnings go: the sheet read and skipped, no table of answers,
            formulas without a saved result.
        score: rates one sheet's rows (see :func:`choose_sheet`).
        limits: what the workbook may unpack to.

    Returns:
        The sheet read, or None when the workbook has no sheet of answers.

    Raises:
        InputError: the workbook unpacks beyond ``limits``, or is not a readable ``.xlsx``.

    Example:
        >>> read_workbook("data/raw/s2-examples/survey.xlsx", display="s2/survey.xlsx",
        ...               problems=Problems(), score=lambda rows: (1,)).name  # doctest: +SKIP
        'Sheet1'
    """
    path = Path(path)
    check_zip(path, display=display, limits=limits)
    book = _open(path, display)
    try:
        found = {sheet.title: sheet for sheet in book.worksheets}
        sheets = [Sheet(name, _sheet_rows(s, display)) for name, s in found.items()]
        chosen = choose_sheet(
            [s for s in sheets if _has_data(s.rows)],
            display=display,
            problems=problems,
            score=score,
        )
        if chosen is not None:
            _warn_uncached(path, found[chosen.name], display, problems)
        return chosen
    finally:
        book.close()
