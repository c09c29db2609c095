"""The framework matrix: themes charted against sessions, sectors, organisations or people.

Charting is the step of the framework method (Ritchie and Spencer, widely used in UK
evaluation) where each case becomes a row, each theme a column, and each cell summarises
what that case said about that theme, with the words that say it best.

The unit of a count is the **participant**, as in :func:`coprod_analysis.shifts.themes.theme_shifts`:
a cell counts the pseudonymised speakers and survey respondents (not facilitators) of the row
who raised the theme at least once, out of those of the row who said anything. Where a row has
no known participant (a session recorded only in unattributed facilitator notes), and for
``rows="participant"`` (where the row is one person), the unit is the **contribution**
(segment) instead, and the cell says so.

Sector and organisation are not in ``segments``: they are the closed survey answers
``sector`` and ``organisation`` in the ``responses`` table, keyed by the respondent's
pseudonym, which is the same pseudonym as the person's ``speaker`` in notes and transcripts.
So these rows cover only participants who answered a survey with those questions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

from coprod_analysis.config import MIN_COUNT
from coprod_analysis.errors import InputError
from coprod_analysis.outputs import atomic_write, formula_safe
from coprod_analysis.privacy.redact import PLACEHOLDER
from coprod_analysis.shifts.stats import wilson
from coprod_analysis.shifts.themes import NON_PARTICIPANTS
from coprod_analysis.story import fewer_than

if TYPE_CHECKING:
    import pandas as pd

ROW_KINDS = ("session", "sector", "organisation", "participant")
_FROM_SURVEY = ("sector", "organisation")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_DASHES = re.compile(r"\s*[‐‑‒–—―-]\s*")


def framework_matrix(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    *,
    rows: str = "session",
    responses: pd.DataFrame | None = None,
    theme_ids: list[str] | None = None,
    names: Mapping[str, str] | None = None,
    min_count: int = MIN_COUNT,
    quotes: int = 2,
) -> pd.DataFrame:
    """Chart every theme against sessions, sectors, organisations or participants (long form).

    Args:
        segments: the ``segments`` table (``segment_id, session_id, text``; ``speaker``
            when known: a pseudonym, or ``Facilitator``, or empty for unattributed notes).
        tags: the ``themes`` table (``segment_id, theme``; ``score`` ranks the quotes; a
            segment tagged by several methods keeps its highest score).
        rows: what a row is: ``"session"``, ``"sector"``, ``"organisation"`` or
            ``"participant"`` (shown by pseudonym only).
        responses: the ``responses`` table; needed for sector and organisation, which come
            from the survey's ``sector`` and ``organisation`` answers (a person's most frequent
            answer; organisation spellings that differ only in dashes, quotes, spaces or case
            are one organisation).
        theme_ids: the themes, in column order (default: as they first appear in ``tags``).
        names: row id → the name to show (for sessions, :func:`coprod_analysis.story.session_names`);
            rows follow its order. Not accepted for participants, who appear only by pseudonym.
        min_count: counts from 1 to ``min_count - 1`` show as "fewer than 3" in ``summary``,
            without a share that would give them away; sector and organisation rows with fewer
            participants than this get no quotes, so a quote cannot point to one person.
        quotes: how many quotes per cell: highest tag score first, participants' own words
            before unattributed notes, quotes with a removed identifier (``[NAME]``) after
            clean ones, ties by ``segment_id``; never a facilitator's own words.

    Returns:
        One row per row × theme: ``row_kind``, ``row_id``, ``row`` (the name shown), ``theme``,
        ``unit`` (``participants`` or ``contributions``), ``n``, ``n_with``, ``share``,
        ``low``, ``high`` (Wilson 95% interval), ``summary`` (the masked text to publish),
        ``quote_1`` … ``quote_<quotes>`` ("" when none) and ``quote_ids`` (their segment ids,
        joined by "; "). ``n`` and ``n_with`` are exact, for analysis; publish ``summary``.

    Raises:
        InputError: (a ``ValueError``) an unknown ``rows``, a missing column, or no data
            for the rows asked for; the message names what is missing and the fix.

    Example:
        >>> from coprod_analysis.framework import framework_matrix
        >>> import pandas as pd
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c"], "session_id": "s1",
        ...     "source_kind": "transcript", "speaker": ["P-1", "P-2", "P-3"],
        ...     "text": ["Funders hold the power.", "We set the agenda.", "Tea?"]})
        >>> tags = pd.DataFrame({"segment_id": ["a", "b"], "theme": "power", "score": [0.9, 0.7]})
        >>> m = framework_matrix(segments, tags, names={"s1": "Session 1"})
        >>> m[["row", "theme", "n", "n_with", "summary", "quote_1"]].to_dict("records")
        [{'row': 'Session 1', 'theme': 'power', 'n': 3, 'n_with': 2, 'summary': 'fewer than 3 of 3', 'quote_1': 'Funders hold the power.'}]
    """
    # Long because the checks of four kinds of row, then one loop over the cells; the pieces with names of their own (_groups, _typical, summary) are apart already.
    import pandas as pd

    if rows not in ROW_KINDS:
        raise _fail(
            f"rows={rows!r} is not a kind of row", f"use one of {', '.join(map(repr, ROW_KINDS))}"
        )
    if rows == "participant" and names:
        raise _fail(
            "names= cannot relabel participants: they are shown only by pseudonym",
            "leave names out for rows='participant'",
        )
    _require(segments, "segments", ["segment_id", "session_id", "text"])
    _require(tags, "themes", ["segment_id", "theme"])
    if quotes < 0:
        raise _fail(f"quotes={quotes} is negative", "use 0 or more")

    seg = segments.copy()
    speaker = seg["speaker"] if "speaker" in seg else pd.Series(None, index=seg.index)
    seg["person"] = speaker.where(speaker.notna() & ~speaker.isin(NON_PARTICIPANTS), None)
    groups = _groups(seg, rows, responses)
    names = dict(names or {})
    order = {key: i for i, key in enumerate(names)}
    keys = list(groups)
    if rows == "session":
        keys.sort(key=lambda k: order.get(k, len(order)))
    else:
        keys.sort(key=lambda k: (order.get(k, len(order)), str(k).casefold()))

    scores = tags.assign(score=tags.get("score", math.nan))
    scores = scores.groupby(["segment_id", "theme"], sort=False)["score"].max().reset_index()
    theme_ids = list(theme_ids or dict.fromkeys(scores["theme"]))

    out = []
    for key in keys:
        group = groups[key]
        people = set(group["person"].dropna())
        by_people = bool(people) and rows != "participant"
        unit = "participants" if by_people else "contributions"
        for theme in theme_ids:
            tagged = group.merge(scores[scores["theme"] == theme], on="segment_id")
            if by_people:
                n, k = len(people), len(set(tagged["person"].dropna()))
            else:
                n, k = group["segment_id"].nunique(), tagged["segment_id"].nunique()
            low, high = wilson(k, n)
            withhold = rows in _FROM_SURVEY and len(people) < min_count
            chosen = [] if withhold else _typical(tagged, quotes)
            texts = [str(r["text"]).strip() for r in chosen] + [""] * (quotes - len(chosen))
            out.append(
                {
                    "row_kind": rows,
                    "row_id": key,
                    "row": names.get(key, str(key)),
                    "theme": theme,
                    "unit": unit,
                    "n": n,
                    "n_with": k,
                    "share": k / n if n else math.nan,
                    "low": low,
                    "high": high,
                    "summary": summary(k, n, unit=unit, min_count=min_count),
                    **{f"quote_{i}": text for i, text in enumerate(texts, start=1)},
                    "quote_ids": "; ".join(str(r["segment_id"]) for r in chosen),
                }
            )
    columns = ["row_kind", "row_id", "row", "theme", "unit", "n", "n_with", "share", "low"]
    columns += ["high", "summary", *(f"quote_{i}" for i in range(1, quotes + 1)), "quote_ids"]
    return pd.DataFrame(out, columns=columns)


def _fail(message: str, fix: str) -> InputError:
    return InputError(None, None, message, fix=fix)


def _require(df: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise _fail(
            f"the {name} table has no column {', '.join(missing)}",
            f"pass the {name} table from data/processed/{name}.parquet",
        )


def _groups(
    seg: pd.DataFrame, rows: str, responses: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    """Split the segments by row: row id (the name shown by default) → its segments."""
    if rows == "session":
        # Group keys are typed Hashable; session ids and pseudonyms are strings.
        return {cast(str, k): g for k, g in seg.groupby("session_id", sort=False)}
    if rows == "participant":
        known = seg.dropna(subset=["person"])
        if known.empty:
            raise _fail(
                "no segment has a participant's pseudonym in its speaker column",
                "use rows='session', or ingest transcripts or notes with speaker labels",
            )
        return {cast(str, k): g for k, g in known.groupby("person", sort=True)}
    if responses is None:
        raise _fail(
            f"rows={rows!r} needs the survey answers: {rows} is a survey question, not in segments",
            "pass responses=corpus.responses (or data/processed/responses.parquet)",
        )
    _require(responses, "responses", ["respondent", "question", "answer"])
    answers = responses[(responses["question"] == rows) & responses["answer"].notna()]
    answers = answers[answers["answer"].astype(str).str.strip() != ""]
    if answers.empty:
        raise _fail(
            f"no survey answer to the question {rows!r}, so there are no {rows} rows",
            f"add a {rows} column to the surveys, or its header to survey.{rows} in config/project.yml",
        )
    spellings: dict[str, Counter] = {}
    per_person: dict[str, Counter] = {}
    for person, answer in zip(answers["respondent"], answers["answer"].astype(str), strict=True):
        key = _same(answer)
        spellings.setdefault(key, Counter())[" ".join(answer.split())] += 1
        per_person.setdefault(person, Counter())[key] += 1
    label = {key: counts.most_common(1)[0][0] for key, counts in spellings.items()}
    belongs = {person: label[c.most_common(1)[0][0]] for person, c in per_person.items()}
    known = seg.assign(group=seg["person"].map(belongs)).dropna(subset=["group"])
    if known.empty:
        raise _fail(
            f"no speaker or respondent in segments answered the {rows!r} question",
            "check that responses and segments come from the same ingest run",
        )
    return {cast(str, k): g.drop(columns="group") for k, g in known.groupby("group", sort=True)}


def _same(answer: str) -> str:
    """One key for spellings of the same name ("Council – Housing", "council - housing")."""
    text = " ".join(answer.replace("’", "'").replace("‘", "'").split())
    return _DASHES.sub(" - ", text).casefold()


def _typical(tagged: pd.DataFrame, k: int) -> list[dict]:
    """The k most typical tagged segments: participants first, then highest score, then id.

    A facilitator's own turns are never quotes; unattributed notes come after participants.
    """
    if not k or tagged.empty:
        return []
    if "speaker" in tagged:
        tagged = tagged[~tagged["speaker"].isin(NON_PARTICIPANTS)]

    def rank(row: dict) -> tuple:
        score = row.get("score")
        score = -score if isinstance(score, int | float) and score == score else math.inf
        placeholder = bool(PLACEHOLDER.search(str(row["text"])))
        return (row["person"] is None, placeholder, score, str(row["segment_id"]))

    records = tagged.drop_duplicates("segment_id").to_dict("records")
    for r in records:  # pandas gives NaN, not None, for a missing person
        r["person"] = r["person"] if isinstance(r["person"], str) else None
    return sorted(records, key=rank)[:k]


def summary(k: int, n: int, *, unit: str = "participants", min_count: int = MIN_COUNT) -> str:
    """A cell's count as published: "k of n (share, interval)", small counts masked.

    A count from 1 to ``min_count - 1`` reads "fewer than 3" (:func:`coprod_analysis.story.fewer_than`),
    and then no share or interval is shown, since they would give it away. Counts of
    contributions say so; counts of participants do not.

    Example:
        >>> from coprod_analysis.framework import summary
        >>> summary(12, 15), summary(2, 15), summary(0, 4, unit="contributions")
        ('12 of 15 (80%, 55–93%)', 'fewer than 3 of 15', '0 of 4 contributions (0%, 0–49%)')
    """
    unit_text = " contributions" if unit == "contributions" else ""
    text = f"{fewer_than(k, min_count)} of {fewer_than(n, min_count)}{unit_text}"
    if n == 0 or 0 < k < min_count or 0 < n < min_count:
        return text
    low, high = wilson(k, n)
    return f"{text} ({k / n:.0%}, {low * 100:.0f}–{high * 100:.0f}%)"


def framework_cells(
    matrix: pd.DataFrame, *, labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Pivot :func:`framework_matrix` to the display form: one readable text per cell.

    Args:
        matrix: what :func:`framework_matrix` returned.
        labels: theme id → the column heading (default: the id).

    Returns:
        The first column names the rows ("Session", "Sector", "Organisation",
        "Participant"), then one column per theme. Each cell is the ``summary``, then each
        quote on its own line in curly quotes.

    Example:
        >>> from coprod_analysis.framework import framework_cells
        >>> import pandas as pd
        >>> m = pd.DataFrame({"row_kind": "session", "row_id": "s1", "row": "Session 1",
        ...     "theme": ["power"], "summary": ["12 of 15 (80%, 55–93%)"],
        ...     "quote_1": ["We held the pen."], "quote_2": [""]})
        >>> framework_cells(m, labels={"power": "Power"}).to_dict("records")
        [{'Session': 'Session 1', 'Power': '12 of 15 (80%, 55–93%)\\n“We held the pen.”'}]
    """
    import pandas as pd

    labels = labels or {}
    kind = str(matrix["row_kind"].iloc[0]).capitalize() if len(matrix) else "Row"
    quote_columns = sorted(
        (c for c in matrix.columns if re.fullmatch(r"quote_\d+", str(c))),
        key=lambda c: int(c.split("_")[1]),
    )
    theme_ids = list(dict.fromkeys(matrix["theme"]))
    table: dict[str, dict[str, str]] = {}
    row_names: dict[str, str] = {}
    for record in matrix.to_dict("records"):
        row_names.setdefault(record["row_id"], str(record["row"]))
        lines = [str(record["summary"])]
        lines += [
            f"“{record[c]}”" for c in quote_columns if isinstance(record[c], str) and record[c]
        ]
        table.setdefault(record["row_id"], {})[record["theme"]] = "\n".join(lines)
    out = [
        {kind: row_names[row_id], **{labels.get(t, t): cells.get(t, "") for t in theme_ids}}
        for row_id, cells in table.items()
    ]
    return pd.DataFrame(out, columns=[kind, *(labels.get(t, t) for t in theme_ids)])


def sheet_name(name: str, *, taken: set[str] | None = None) -> str:
    """An Excel sheet name: none of ``[]:*?/\\``, at most 31 characters, unique in ``taken``.

    ``taken`` holds the names already used (compared ignoring case, as Excel does); the new
    name is added to it.

    Example:
        >>> from coprod_analysis.framework import sheet_name
        >>> taken = set()
        >>> sheet_name("Power/funding: [by sector]?", taken=taken), sheet_name("power funding by sector", taken=taken)
        ('Power funding by sector', 'power funding by sector (2)')
    """
    text = " ".join(_SHEET_FORBIDDEN.sub(" ", str(name)).split()).strip("'")
    text = text[:31].strip() or "Sheet"
    taken = taken if taken is not None else set()
    candidate, i = text, 1
    while candidate.casefold() in taken or candidate.casefold() == "history":
        i += 1
        suffix = f" ({i})"
        candidate = text[: 31 - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def excel_text(value: object) -> str | int | float | None:
    """A cell value that cannot run as a formula: risky text gets a leading apostrophe.

    Text starting with ``= + - @``, a tab or a carriage return is prefixed with ``'`` (the
    OWASP rule); characters Excel cannot store are dropped; numbers stay numbers and missing
    values become empty cells.

    Example:
        >>> from coprod_analysis.framework import excel_text
        >>> excel_text('=HYPERLINK("http://x")'), excel_text("ok"), excel_text(-1), excel_text(float("nan"))
        ('\\'=HYPERLINK("http://x")', 'ok', -1, None)
    """
    import pandas as pd
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or value is pd.NaT or value != value:
        return None
    if isinstance(value, bool | int | float):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return str(formula_safe(text))


def framework_workbook(views: Mapping[str, pd.DataFrame], path: str | Path) -> None:
    """Write display tables (from :func:`framework_cells`) to an .xlsx, one sheet per view.

    Headers are bold, the header row and the first column stay in view (``B2`` frozen), every
    cell wraps its text at the top, widths fit the text up to 50 characters, and rows are
    tall enough for their quotes. Text is made safe with :func:`excel_text` and stored as
    text, never as a formula. The file is written to a temporary file and renamed, so an
    interrupted run leaves the previous workbook intact.

    Args:
        views: sheet name → table; names are made valid with :func:`sheet_name`.
        path: where to write the workbook.

    Raises:
        ValueError: ``views`` is empty.

    Example:
        >>> framework_workbook({"By session": framework_cells(matrix)}, "reports/framework-matrix.xlsx")  # doctest: +SKIP
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if not views:
        raise ValueError("no views to write: pass at least one table, e.g. {'By session': cells}")
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, view in views.items():
        sheet = book.create_sheet(sheet_name(name, taken=taken))
        values = [
            [excel_text(v) for v in row]
            for row in [list(view.columns), *view.itertuples(index=False, name=None)]
        ]
        widths = [
            min(50, max(10, *(_longest_line(row[c]) + 2 for row in values)))
            for c in range(len(view.columns))
        ]
        for r, row in enumerate(values, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even if it looks like a formula
                cell.alignment = wrap
                if r == 1:
                    cell.font = Font(bold=True)
            lines = max(
                (_wrapped_lines(value, width) for value, width in zip(row, widths, strict=True)),
                default=1,
            )
            sheet.row_dimensions[r].height = min(409, 15 * max(1, lines))
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = "B2"
    atomic_write(Path(path), lambda tmp: book.save(tmp))


def _longest_line(value) -> int:
    return max((len(x) for x in str("" if value is None else value).split("\n")), default=0)


def _wrapped_lines(value, width: int) -> int:
    """How many lines a cell's text takes at this column width (roughly)."""
    text = str("" if value is None else value)
    return sum(max(1, math.ceil(len(x) / max(1, width - 2))) for x in text.split("\n"))
