"""Survey exports: Microsoft Forms, Google Forms, Qualtrics, SurveyMonkey and plain tables."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from coprod_analysis.config import FileLimits, Project, Question, SurveySettings
from coprod_analysis.errors import InputError, Problems
from coprod_analysis.ingest.decode import read_text
from coprod_analysis.ingest.scales import match_label
from coprod_analysis.ingest.source import Answer, Source, Unit
from coprod_analysis.ingest.workbooks import fold_ws, header_row, read_workbook
from coprod_analysis.privacy.people import ANON_PREFIX

_MONKEY_SUBHEADS = {"", "response", "open-ended response"}


def _read_table(
    path: str | Path, display: str, problems: Problems, settings: SurveySettings, limits: FileLimits
) -> tuple[str | None, list[list[str]]]:
    """Return (the sheet read, or None for a CSV; the rows)."""
    if Path(path).suffix.lower() == ".xlsx":
        score = partial(_score_table, settings=settings)
        sheet = read_workbook(path, display=display, problems=problems, score=score, limits=limits)
        return (sheet.name, sheet.rows) if sheet else (None, [])
    text = read_text(path, display=display)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    return None, [list(row) for row in rows]


def read_rows(
    path: str | Path,
    *,
    display: str,
    problems: Problems,
    settings: SurveySettings = SurveySettings(),
    limits: FileLimits = FileLimits(),
) -> list[list[str]]:
    """Read a ``.csv`` or ``.xlsx`` file as rows of strings, exactly as laid out.

    CSV text may be UTF-8 (with or without BOM) or Windows-1252; the delimiter (comma,
    semicolon or tab) is detected. For a workbook, the sheet that best looks like a table of
    answers for ``settings`` is read (see ``_score_table``), formulas as their saved results,
    and warnings go to ``problems`` (:func:`~coprod_analysis.ingest.workbooks.read_workbook`).

    Raises:
        InputError: the file is binary (CSV), or unreadable or over ``limits`` (XLSX).

    Example:
        >>> read_rows("data/raw/s1/survey.csv", display="s1/survey.csv",
        ...           problems=Problems())[0][:2]  # doctest: +SKIP
        ['Timestamp', 'Email address']
    """
    return _read_table(path, display, problems, settings, limits)[1]


@dataclass
class Layout:
    """Where a survey's questions and answers are."""

    name: str
    headers: list[str]
    first_row: int  # index into rows of the first answer row


def detect_layout(rows: list[list[str]], *, settings: SurveySettings = SurveySettings()) -> Layout:
    """Recognise the export's header rows and return the question headers.

    Qualtrics has three header rows (ids, question texts, ``{"ImportId": ...}``);
    SurveyMonkey two (questions, then ``Response``/``Open-Ended Response`` or the options of
    a multiple-choice question); Microsoft Forms, Google Forms and plain tables one, which
    may have titles or group headings above it (:func:`header_row`).

    Example:
        >>> from coprod_analysis.ingest.surveys import detect_layout
        >>> detect_layout([["Respondent ID", "Q"], ["", "Response"], ["1", "Yes"]]).name
        'surveymonkey'
        >>> detect_layout([["Survey export"], ["Name", "Pet"], ["Jo", "cat"]]).first_row
        2
    """
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if len(rows) >= 3 and any(c.strip().startswith('{"ImportId"') for c in rows[2]):
        headers = [fold_ws(t) or fold_ws(i) for i, t in zip(rows[0], rows[1], strict=True)]
        return Layout("qualtrics", headers, 3)
    if (
        len(rows) >= 2
        and fold_ws(rows[0][0]).casefold() == "respondent id"
        and any(fold_ws(c).casefold() in ("response", "open-ended response") for c in rows[1])
    ):
        headers, last = [], ""
        for top, sub in zip(rows[0], rows[1], strict=True):
            top, sub = fold_ws(top), fold_ws(sub)
            last = top or last
            headers.append(top if sub.casefold() in _MONKEY_SUBHEADS else f"{last} – {sub}")
        return Layout("surveymonkey", headers, 2)
    first = header_row(rows, settings=settings)
    return Layout("table", [fold_ws(c) for c in rows[first]] if rows else [], first + 1)


def _score_table(rows: list[list[str]], *, settings: SurveySettings) -> tuple[int, ...]:
    """Rate a sheet as answers: (looks like them, named columns, free-text columns, rows).

    Answers have a column the settings name (not ignored metadata) or a free-text column
    with another beside it (alone, it is a cover note).
    """
    layout = detect_layout(rows, settings=settings)
    body = [row for row in rows[layout.first_row :] if any(c.strip() for c in row)]
    columns = map_columns(layout.headers, body, settings)
    known = sum(c.role not in ("ignore", "free_text", "unmapped") for c in columns)
    free = sum(c.role == "free_text" for c in columns)
    return int(known > 0 or (free > 0 and len(columns) > 1)), known, free, len(body)


@dataclass
class Column:
    """A survey column and the role it plays."""

    index: int
    header: str
    # name first_name last_name email timing organisation sector question ignore free_text unmapped
    role: str
    question: Question | None = None
    qid: str | None = None


def _matches(patterns: list[str], header: str) -> bool:
    return any(re.search(p, header, re.I) for p in patterns)


def slug(text: str, *, limit: int = 40) -> str:
    """Make a short id for a question from its header.

    Example:
        >>> from coprod_analysis.ingest.surveys import slug
        >>> slug("Any other comments?")
        'any_other_comments'
    """
    s = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")
    return (s[:limit].rstrip("_") or "question") if s else "question"


def _looks_free_text(values: list[str], settings: SurveySettings) -> bool:
    filled = [v.strip() for v in values if v.strip()]
    if not filled:
        return False
    numeric = sum(bool(re.fullmatch(r"[-+]?\d+([.,]\d+)?", v)) for v in filled)
    mean_len = sum(map(len, filled)) / len(filled)
    unique = len(set(filled)) / len(filled)
    return (
        numeric / len(filled) < 0.5
        and mean_len >= settings.free_text_min_chars
        and unique >= settings.free_text_min_unique
    )


def map_columns(
    headers: list[str], body: list[list[str]], settings: SurveySettings
) -> list[Column]:
    """Give every column a role from the survey settings.

    Order: respondent identity, timing, organisation, sector, known questions, ignored
    metadata; an unlisted column of long, varied text becomes free text; anything else is
    ``unmapped``.

    Example:
        >>> from coprod_analysis.ingest.surveys import map_columns
        >>> from coprod_analysis.config import load_project
        >>> cols = map_columns(["Your name", "Colour"], [["Jo", "red"]], load_project().survey)
        >>> [(c.header, c.role) for c in cols]
        [('Your name', 'name'), ('Colour', 'unmapped')]
    """
    who = settings.respondent
    rules = [
        ("name", who.name),
        ("first_name", who.first_name),
        ("last_name", who.last_name),
        ("email", who.email),
        ("timing", settings.timing.columns),
        ("organisation", settings.organisation),
        ("sector", settings.sector),
    ]
    columns: list[Column] = []
    taken: set[str] = set()
    for j, header in enumerate(headers):
        role = next((r for r, pats in rules if r not in taken and _matches(pats, header)), None)
        if role in ("name", "first_name", "last_name", "email", "timing"):
            taken.add(role)
        if role:
            columns.append(Column(j, header, role, qid=role))
            continue
        question = next((q for q in settings.questions if _matches(q.match, header)), None)
        if question:
            columns.append(Column(j, header, "question", question, question.id))
        elif _matches(settings.ignore, header):
            columns.append(Column(j, header, "ignore"))
        elif _looks_free_text([r[j] if j < len(r) else "" for r in body], settings):
            columns.append(Column(j, header, "free_text", qid=slug(header)))
        elif header or any(j < len(r) and r[j].strip() for r in body):
            columns.append(Column(j, header or f"column {j + 1}", "unmapped"))
    return columns


def _timing_from_name(path: str) -> str | None:
    words = set(re.split(r"[^a-z]+", Path(path).stem.casefold()))
    if words & {"pre", "before"}:
        return "pre"
    if words & {"post", "after"}:
        return "post"
    return None


@dataclass
class _Reader:
    """Turns one survey's rows into units and answers."""

    display: str
    project: Project
    problems: Problems
    sheet: str | None = None  # the worksheet read, for a workbook
    source: Source = field(init=False)
    pieces: list[str] = field(default_factory=list)
    pos: int = 0
    warned: set[str] = field(default_factory=set)

    def place(self, rowno: int, column: str | None = None) -> str:
        where = f"sheet {self.sheet!r}, row {rowno}" if self.sheet else f"row {rowno}"
        return where if column is None else f"{where}, column {column!r}"

    def warn_once(self, key: str, place: str, message: str, fix: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.problems.warn(self.display, place, message, fix=fix)

    def identity(self, row: list[str], cols: dict[str, Column], rowno: int) -> str:
        anon = self.project.survey.respondent.anonymous

        def get(role: str) -> str:
            col = cols.get(role)
            value = fold_ws(row[col.index]) if col and col.index < len(row) else ""
            return "" if _matches(anon, value) else value

        full = get("name") or " ".join(p for p in (get("first_name"), get("last_name")) if p)
        return full or get("email").casefold() or f"{ANON_PREFIX}{self.display}:{rowno}"

    def timing(
        self, row: list[str], col: Column | None, rowno: int, default: str | None
    ) -> str | None:
        if col is None or col.index >= len(row) or not row[col.index].strip():
            return default
        value = fold_ws(row[col.index])
        rule = self.project.survey.timing
        if _matches(rule.pre, value):
            return "pre"
        if _matches(rule.post, value):
            return "post"
        self.warn_once(
            f"timing:{value}",
            self.place(rowno, col.header),
            f"timing {value!r} is neither before nor after; left empty",
            "use Before/After (or add the word under survey.timing in config/project.yml)",
        )
        return default

    def score(self, col: Column, answer: str, rowno: int) -> float | None:
        question = col.question
        assert question is not None
        place = self.place(rowno, col.header)
        if question.role in ("ladder_now", "ladder_hoped"):
            ladder = self.project.ladder
            value = match_label(answer, ladder.rungs, aliases=ladder.aliases)
            if value is None:
                raise InputError(
                    self.display,
                    place,
                    f"ladder answer {answer!r} is not one of the rungs: {', '.join(ladder.rungs)}",
                    fix="correct the answer, or map it under ladder.aliases in config/project.yml",
                )
            return float(value)
        if question.scale:
            value = match_label(answer, question.scale)
            if value is None:
                self.warn_once(
                    f"scale:{col.index}:{answer.casefold()}",
                    place,
                    f"answer {answer!r} is not on the scale of {question.id!r}; kept unscored",
                    f"use one of: {', '.join(question.scale)} (or extend the scale in "
                    "config/project.yml)",
                )
            return None if value is None else float(value)
        try:
            return float(answer.replace(",", "."))
        except ValueError:
            return None

    def add_text(self, rowno: int, col: Column, answer: str, who: str, timing: str | None) -> None:
        prefix = f"Row {rowno} · {col.header}\n"
        start = self.pos + len(prefix)
        self.pieces.append(prefix + answer)
        self.source.units.append(
            Unit(start, start + len(answer), who, question=col.qid, timing=timing)
        )
        self.pos += len(prefix) + len(answer) + 2

    def note_titles(self, rows: list[list[str]], layout: Layout) -> None:
        above = [
            i + 1 for i, row in enumerate(rows[: layout.first_row - 1]) if "".join(row).strip()
        ]
        if layout.name == "table" and above:
            span = f"row {above[0]}" if len(above) == 1 else f"rows {above[0]}–{above[-1]}"
            self.problems.warn(
                self.display,
                self.place(layout.first_row),
                f"read as the question row; {span} above it taken as titles or group "
                "headings, not answers",
                fix="if the questions are in another row, delete the rows above them",
            )

    def read(self, rows: list[list[str]]) -> Source:
        self.source = Source(self.display, "survey", "")
        if not rows:  # a workbook without a sheet of answers, already reported
            return self.source
        layout = detect_layout(rows, settings=self.project.survey)
        self.note_titles(rows, layout)
        body = rows[layout.first_row :]
        columns = map_columns(layout.headers, body, self.project.survey)
        by_role = {
            c.role: c for c in columns if c.role not in ("question", "free_text", "unmapped")
        }
        texts = [
            c
            for c in columns
            if c.role == "free_text" or (c.question and c.question.role == "free_text")
        ]
        scored = [c for c in columns if c.question and c.question.role != "free_text"]
        closed = [c for c in columns if c.role in ("organisation", "sector")] + scored
        default_timing = _timing_from_name(self.display)
        for i, row in enumerate(body):
            rowno = layout.first_row + i + 1
            if not any(c.strip() for c in row):
                continue
            who = self.identity(row, by_role, rowno)
            timing = self.timing(row, by_role.get("timing"), rowno, default_timing)
            for col in texts:
                answer = row[col.index].strip() if col.index < len(row) else ""
                if answer:
                    self.add_text(rowno, col, answer, who, timing)
            for col in closed:
                answer = fold_ws(row[col.index]) if col.index < len(row) else ""
                if answer:
                    value = self.score(col, answer, rowno) if col.question else None
                    self.source.answers.append(
                        Answer(who, col.qid or col.role, answer, value, timing)
                    )
        self.source.plain_text = "\n\n".join(self.pieces)
        self.source.unmapped = [c.header for c in columns if c.role == "unmapped"]
        if not texts:
            self.problems.warn(
                self.display,
                None,
                "has no recognisable free-text column, so no survey text was read",
                fix="add a pattern for the question under survey.questions in config/project.yml",
            )
        if self.source.unmapped:
            self.problems.warn(
                self.display,
                None,
                f"columns not used: {'; '.join(repr(h) for h in self.source.unmapped)}",
                fix="map them under survey in config/project.yml if they matter",
            )
        return self.source


def read_survey(path: str | Path, *, display: str, project: Project, problems: Problems) -> Source:
    """Read a survey export into a :class:`Source` of kind ``survey``.

    Free-text answers become units (``question`` set, ``speaker`` the respondent's real
    identity, to be pseudonymised); organisation, sector, Likert and ladder answers become
    :class:`Answer` rows with a score where the question has a scale. The plain text is one
    block per answer, ``Row N · question`` and the answer below it. Rows above the question
    row are not answers; a workbook's sheet is chosen as in :func:`read_rows`.

    Raises:
        InputError: a ladder answer is not a configured rung, or the file is unreadable or
            unpacks beyond ``project.files``.

    Example:
        >>> read_survey("data/raw/s1/survey.csv", display="s1/survey.csv",
        ...             project=load_project(), problems=Problems())  # doctest: +SKIP
    """
    sheet, rows = _read_table(path, display, problems, project.survey, project.files)
    return _Reader(display, project, problems, sheet).read(rows)
