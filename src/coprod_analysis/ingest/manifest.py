"""The session manifest, ``data/raw/sessions.csv``."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from coprod_analysis.errors import InputError
from coprod_analysis.ingest.decode import read_text

MANIFEST = "sessions.csv"
REQUIRED = ("session_id", "date", "title")
SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


@dataclass
class SessionRow:
    """One manifest row: the required fields, the other columns, and where it was."""

    session_id: str
    date: date
    title: str
    line: int
    extra: dict[str, str] = field(default_factory=dict)
    facilitators: list[str] = field(default_factory=list)


def parse_date(text: str) -> date | None:
    """Parse a session date written as 2023-11-14, 14/11/2023 (UK order) or 14 November 2023.

    Example:
        >>> from coprod_analysis.ingest.manifest import parse_date
        >>> parse_date("14/11/2023"), parse_date("soon")
        (datetime.date(2023, 11, 14), None)
    """
    text = " ".join(text.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def read_manifest(raw: str | Path) -> list[SessionRow]:
    """Read and check ``sessions.csv`` in the raw folder.

    ``session_id``, ``date`` and ``title`` are required; other columns are kept, except
    ``facilitators`` (names separated by ``;``), which is taken apart so the names can be
    treated as the role "Facilitator" and redacted.

    Returns:
        The rows in file order.

    Raises:
        InputError: the file is missing, lacks a required column, or a row has an empty or
            duplicate ``session_id``, a ``session_id`` that cannot be a folder name, or a
            date that cannot be read.

    Example:
        >>> [r.session_id for r in read_manifest("data/raw")][:1]  # doctest: +SKIP
        ['s1-what-is-coproduction']
    """
    path = Path(raw) / MANIFEST
    shown = f"{Path(raw).name}/{MANIFEST}"
    if not path.is_file():
        raise InputError(
            shown,
            None,
            f"the session manifest is missing (looked in {Path(raw)})",
            fix="create it with the columns session_id,date,title and one row per session",
        )
    reader = csv.DictReader(read_text(path, display=shown).splitlines())
    headers = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise InputError(
            shown,
            "line 1",
            f"missing column(s) {', '.join(missing)}",
            fix="the header must include session_id,date,title",
        )
    rows: list[SessionRow] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        values = {(k or "").strip(): (v or "").strip() for k, v in record.items() if k is not None}
        if not any(values.values()):
            continue
        sid = values["session_id"]
        if not sid:
            raise InputError(
                shown, f"line {line}", "session_id is empty", fix="give every row a session_id"
            )
        if not SESSION_ID.match(sid):
            raise InputError(
                shown,
                f"line {line}",
                f"session_id {sid!r} cannot be a folder name",
                fix="use letters, digits and hyphens only (e.g. s5-next-steps); "
                "name the folder the same",
            )
        if sid in seen:
            raise InputError(
                shown,
                f"line {line}",
                f"duplicate session_id {sid!r} (also on line {seen[sid]})",
                fix="give each session its own id",
            )
        seen[sid] = line
        when = parse_date(values["date"])
        if when is None:
            raise InputError(
                shown,
                f"line {line}",
                f"date {values['date']!r} for {sid!r} is not a date",
                fix="write it as YYYY-MM-DD, e.g. 2024-03-19",
            )
        extra = {k: v for k, v in values.items() if k not in (*REQUIRED, "facilitators")}
        facilitators = [n.strip() for n in values.get("facilitators", "").split(";") if n.strip()]
        rows.append(SessionRow(sid, when, values["title"], line, extra, facilitators))
    return rows
