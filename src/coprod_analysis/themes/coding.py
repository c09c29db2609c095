"""Hand-coding as tables: read a coder's CSV, or a labelled set of statements."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.agreement import ADJUDICATOR
from coprod_analysis.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


def _long(df: pd.DataFrame, *, id_col: str, path: Path) -> pd.DataFrame:
    """Turn ``themes`` (``a;b``) or ``theme`` columns into long rows; empty = coded, none."""
    import pandas as pd

    if "themes" in df.columns:
        rows = [
            {"segment_id": str(sid), "theme": t.strip() or None}
            for sid, cell in zip(df[id_col], df["themes"].fillna(""), strict=True)
            for t in (str(cell).split(";") if str(cell).strip() else [""])
        ]
    elif "theme" in df.columns:
        rows = [
            {"segment_id": str(sid), "theme": (str(t).strip() or None) if pd.notna(t) else None}
            for sid, t in zip(df[id_col], df["theme"], strict=True)
        ]
    else:
        raise InputError(
            path, "line 1", "has neither a `themes` nor a `theme` column", fix="add one"
        )
    out = pd.DataFrame(rows, columns=["segment_id", "theme"])
    if "coder" in df.columns:
        coder = dict(zip(df[id_col].astype(str), df["coder"].astype(str), strict=False))
        out["coder"] = out["segment_id"].map(coder)
    return out.drop_duplicates().reset_index(drop=True)


def read_human_codes(path: str | Path, *, theme_ids: list[str] | None = None) -> pd.DataFrame:
    """Read hand codes: ``segment_id`` plus ``themes`` (``power;funding``) or ``theme``.

    A segment listed with no theme was coded and carries none; it still counts in agreement.

    Returns:
        Long rows ``segment_id, theme`` (``theme`` empty for "coded, none"), plus ``coder``.

    Raises:
        InputError: the file is missing, lacks a column, or names a theme not in ``themes``.

    Example:
        >>> from coprod_analysis.themes.coding import read_human_codes
        >>> codes = read_human_codes("data/raw/human_codes.csv")
        >>> list(codes.columns)
        ['segment_id', 'theme', 'coder']
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise InputError(path, None, "does not exist", fix="check the path")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "segment_id" not in df.columns:
        raise InputError(path, "line 1", "has no `segment_id` column", fix="add the segment ids")
    codes = _long(df, id_col="segment_id", path=path)
    _check_themes(codes, theme_ids, path)
    return codes


def _check_themes(codes: pd.DataFrame, theme_ids: list[str] | None, path: Path) -> None:
    if theme_ids is None:
        return
    unknown = sorted(set(codes["theme"].dropna()) - set(theme_ids))
    if unknown:
        raise InputError(
            path,
            None,
            f"theme(s) {', '.join(unknown)} are not in the codebook",
            fix=f"use the codebook's ids: {', '.join(theme_ids)}",
        )


def read_statements(
    path: str | Path, *, theme_ids: list[str] | None = None, column: str = "themes"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a labelled statement set (``id,text,themes``) as segments and their hand codes.

    ``column`` reads another column of codes instead of ``themes``: one coder's own codes
    before adjudication (``coder_a``, ``coder_b`` in ``data/labelled/``).

    Returns:
        ``(segments, codes)``: segments with ``segment_id`` and ``text``; codes as from
        :func:`read_human_codes`.

    Example:
        >>> from coprod_analysis.themes.coding import read_statements
        >>> segments, codes = read_statements("config/written/dev_statements.csv")
        >>> len(segments) >= 150
        True
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise InputError(path, None, "does not exist", fix="check the path")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("id", "text", column) if c not in df.columns]
    if missing:
        raise InputError(
            path, "line 1", f"missing column(s) {', '.join(missing)}", fix=f"use id,text,{column}"
        )
    if column != "themes":
        df = df.drop(columns=["themes"], errors="ignore").rename(columns={column: "themes"})
    segments = pd.DataFrame({"segment_id": df["id"], "text": df["text"]})
    codes = _long(df, id_col="id", path=path)
    _check_themes(codes, theme_ids, path)
    return segments, codes


# A researcher's coding in the notebook panel: one file per coder under data/coding/.
CODING_COLUMNS = ["segment_id", "themes", "memo", "coder", "coded_at"]
_CODER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SETTLED = "settled"
"""``data/coding/settled.csv``: codes that settle a disagreement; ``coder`` names who settled."""
AUDIT = "audit"
"""``data/coding/audit.csv``: the audit plan (:mod:`coprod_analysis.themes.audit`), not codes."""
RESERVED = (SETTLED, AUDIT)


def coder_file(folder: str | Path, coder: str) -> Path:
    """Return the file a coder's codes are saved in: ``<folder>/<coder>.csv``.

    Raises:
        InputError: the name is empty, holds characters other than letters, digits, ``._-``,
            or is ``settled`` or ``audit`` (files the project keeps for itself).

    Example:
        >>> from coprod_analysis.themes.coding import coder_file
        >>> coder_file("data/coding", "ana").as_posix()
        'data/coding/ana.csv'
    """
    if not _CODER.match(coder or ""):
        raise InputError(
            None,
            None,
            f"coder name {coder!r} cannot name a file",
            fix="use letters, digits, '.', '_' or '-', such as your initials",
        )
    if coder.lower() in RESERVED:
        raise InputError(
            None,
            None,
            f"{coder!r} names a file the project keeps for itself ({coder.lower()}.csv)",
            fix="use your own name or initials; settle disagreements in the panel's settle mode",
        )
    return Path(folder) / f"{coder}.csv"


def read_sheet(path: str | Path, columns: list[str], *, fix: str) -> pd.DataFrame:
    """Read a coding CSV as text, keeping ``columns`` in order; one-line errors name the file.

    Args:
        path: the CSV file.
        columns: the columns it must have.
        fix: what to do when its header lacks one.

    Raises:
        InputError: the file is not a readable CSV or lacks a column.

    Example:
        >>> import tempfile, pathlib
        >>> from coprod_analysis.themes.coding import read_sheet
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
        >>> _ = path.write_text("b,a\\n2,1\\n")
        >>> read_sheet(path, ["a", "b"], fix="restore it").values.tolist()
        [['1', '2']]
    """
    import pandas as pd

    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"is not a readable CSV ({exc})", fix="restore it") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(path, "line 1", f"missing column(s) {', '.join(missing)}", fix=fix)
    return df[columns].copy()


def _read_one(path: Path) -> pd.DataFrame:
    df = read_sheet(path, CODING_COLUMNS, fix=f"use the header {','.join(CODING_COLUMNS)}")
    # memos were written spreadsheet-safe (a leading apostrophe before = + - @); undo that
    df["memo"] = df["memo"].map(lambda m: m[1:] if m[:1] == "'" and m[1:2] in "=+-@" else m)
    return df


def read_coding(
    folder: str | Path | None = None, *, theme_ids: list[str] | None = None
) -> pd.DataFrame:
    """Read every coder's file in ``data/coding/``, and the settled codes, as long rows.

    ``settled.csv`` holds the codes that settle a disagreement between coders (written by the
    coding panel's settle mode); its rows are marked ``settled`` and their ``coder`` is who
    settled. Rows of the coder ``adjudicated`` (how settling was done before) count as settled
    too. ``audit.csv`` is the audit plan, not codes, and is skipped.

    Args:
        folder: the coding folder (default: ``data/coding``, or ``$COPROD_CODING``).
        theme_ids: the codebook's theme ids, to check the files against.

    Returns:
        ``segment_id, theme, coder, memo, coded_at, settled``; a segment coded "none applies"
        has one row with an empty theme. An absent or empty folder gives no rows.

    Raises:
        InputError: a file lacks a column or names a theme not in ``themes``.

    Example:
        >>> from coprod_analysis.themes.coding import read_coding
        >>> list(read_coding("/nonexistent").columns)
        ['segment_id', 'theme', 'coder', 'memo', 'coded_at', 'settled']
    """
    import pandas as pd

    from coprod_analysis.config import paths

    folder = Path(folder) if folder is not None else paths().coding
    columns = ["segment_id", "theme", "coder", "memo", "coded_at", "settled"]
    frames = []
    for path in sorted(Path(folder).glob("*.csv")) if Path(folder).is_dir() else []:
        if path.stem == AUDIT:
            continue
        rows = [
            {
                **row,
                "theme": theme,
                "coder": row["coder"] or path.stem,
                "settled": path.stem == SETTLED or (row["coder"] or path.stem) == ADJUDICATOR,
            }
            for row in _read_one(path).to_dict("records")
            for theme in [t.strip() for t in row["themes"].split(";") if t.strip()] or [None]
        ]
        codes = pd.DataFrame(rows, columns=columns)
        _check_themes(codes, theme_ids, path)
        frames.append(codes)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.astype({"settled": bool})


def record_code(
    path: str | Path,
    *,
    segment_id: str,
    theme_ids: list[str] | None,
    coder: str,
    memo: str = "",
    at: str | None = None,
) -> pd.DataFrame:
    """Save one segment's codes in a coder's file at once, replacing the file atomically.

    Args:
        path: the coder's file (:func:`coder_file`).
        segment_id: the segment coded.
        theme_ids: the theme ids ticked; ``[]`` means "none applies"; None removes the segment
            (back to uncoded).
        coder: the coder's name, written on every row.
        memo: the coder's memo on this segment.
        at: the time coded (default: now, UTC, ISO 8601).

    Returns:
        The coder's whole table after the change, one row per segment.

    Example:
        >>> import tempfile, pathlib
        >>> from coprod_analysis.themes.coding import record_code
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "ana.csv"
        >>> table = record_code(path, segment_id="s1-a", theme_ids=["power", "funding"], coder="ana", at="2026-01-01T10:00:00+00:00")
        >>> table[["segment_id", "themes", "coder"]].to_dict("records")
        [{'segment_id': 's1-a', 'themes': 'power;funding', 'coder': 'ana'}]
    """
    from datetime import UTC, datetime

    import pandas as pd

    from coprod_analysis.outputs import atomic_write, csv_safe

    path = Path(path)
    table = _read_one(path) if path.is_file() else pd.DataFrame(columns=CODING_COLUMNS, dtype=str)
    table = table[table["segment_id"] != segment_id]
    if theme_ids is not None:
        row = {
            "segment_id": segment_id,
            "themes": ";".join(theme_ids),
            "memo": memo or "",
            "coder": coder,
            "coded_at": at or datetime.now(UTC).isoformat(timespec="seconds"),
        }
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    table = table.reset_index(drop=True)
    atomic_write(path, lambda tmp: csv_safe(table).to_csv(tmp, index=False))
    return table


def settle(codes: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The codes that count for each hand-coded segment, and the segments still to settle.

    Per segment: the settled codes when there are any (``settled`` rows, the latest settler's);
    else the codes when only one coder coded it, or when every coder ticked the same themes.
    A segment on which coders disagree and nobody has settled is left out: it keeps the
    tagger's codes, and is listed to settle.

    Args:
        codes: long rows ``segment_id, theme, coder`` and optionally ``settled``
            (:func:`hand_codes`, :func:`read_coding`).

    Returns:
        ``(counted, to_settle)``: long rows ``segment_id, theme, coder`` (``coder`` is who
        settled it, the one coder, or the coders who agreed, joined by ``", "``), and the ids to
        settle.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.coding import settle
        >>> codes = pd.DataFrame({"segment_id": ["a", "a", "b", "b", "c"],
        ...     "theme": ["power", "power", "power", None, "values"], "coder": ["x", "y", "x", "y", "x"]})
        >>> counted, to_settle = settle(codes)
        >>> counted.values.tolist(), to_settle
        ([['a', 'power', 'x, y'], ['c', 'values', 'x']], ['b'])
    """
    import pandas as pd

    codes = codes.assign(coder=codes["coder"].fillna("").astype(str))
    if "settled" not in codes:
        codes = codes.assign(settled=codes["coder"] == ADJUDICATOR)
    counted, to_settle = [], []
    for segment, rows in codes.groupby("segment_id", sort=True):
        final = rows[rows["settled"].astype(bool)]
        if len(final):
            final = final[final["coder"] == final["coder"].iloc[-1]]
        else:
            by_coder = {str(c): frozenset(r["theme"].dropna()) for c, r in rows.groupby("coder")}
            if len(set(by_coder.values())) > 1:
                to_settle.append(str(segment))
                continue
            final = rows[rows["coder"] == rows["coder"].iloc[0]]
            final = final.assign(coder=", ".join(sorted(by_coder)))
        counted.append(final[["segment_id", "theme", "coder"]].drop_duplicates())
    empty = pd.DataFrame(columns=["segment_id", "theme", "coder"])
    return (pd.concat(counted, ignore_index=True) if counted else empty), to_settle


def hand_codes(
    human_codes: str | Path | None, coding: str | Path | None, *, theme_ids: list[str] | None = None
) -> pd.DataFrame:
    """Every hand code of a project: ``data/raw/human_codes.csv`` and the coders' files.

    Args:
        human_codes: the hand-coding file (skipped when absent); its rows without a ``coder``
            are credited to the file's name.
        coding: the coding panel's folder (``data/coding``, with ``settled.csv``), or None.
        theme_ids: the codebook's theme ids, to check every file against.

    Returns:
        Long rows ``segment_id, theme, coder, memo, settled``.

    Example:
        >>> from coprod_analysis.themes.coding import hand_codes
        >>> codes = hand_codes("data/raw/human_codes.csv", "/nonexistent")
        >>> sorted(codes["coder"].unique())
        ['coder_a', 'sample_coders']
    """
    import pandas as pd

    columns = ["segment_id", "theme", "coder", "memo", "settled"]
    frames = []
    if human_codes is not None and Path(human_codes).is_file():
        human = read_human_codes(human_codes, theme_ids=theme_ids)
        if "coder" not in human:
            human["coder"] = None
        human["coder"] = human["coder"].replace("", None).fillna(Path(human_codes).stem)
        frames.append(human.assign(memo="", settled=human["coder"] == ADJUDICATOR))
    if coding is not None:
        frames.append(read_coding(coding, theme_ids=theme_ids))
    frames = [f[columns] for f in frames if len(f)]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.astype({"settled": bool})
