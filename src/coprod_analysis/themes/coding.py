"""Hand-coding as tables: read a coder's CSV, or a labelled set of statements."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

HUMAN_CODES = "human_codes.csv"


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


def read_human_codes(path: str | Path, *, themes: list[str] | None = None) -> pd.DataFrame:
    """Read hand codes: ``segment_id`` plus ``themes`` (``power;funding``) or ``theme``.

    A segment listed with no theme was coded and carries none; it still counts in agreement.

    Returns:
        Long rows ``segment_id, theme`` (``theme`` empty for "coded, none"), plus ``coder``.

    Raises:
        InputError: the file is missing, lacks a column, or names a theme not in ``themes``.

    Example:
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
    _check_themes(codes, themes, path)
    return codes


def _check_themes(codes: pd.DataFrame, themes: list[str] | None, path: Path) -> None:
    if themes is None:
        return
    unknown = sorted(set(codes["theme"].dropna()) - set(themes))
    if unknown:
        raise InputError(
            path,
            None,
            f"theme(s) {', '.join(unknown)} are not in the codebook",
            fix=f"use the codebook's ids: {', '.join(themes)}",
        )


def read_statements(
    path: str | Path, *, themes: list[str] | None = None, column: str = "themes"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a labelled statement set (``id,text,themes``) as segments and their hand codes.

    ``column`` reads another column of codes instead of ``themes``: one coder's own codes
    before adjudication (``coder_a``, ``coder_b`` in ``data/labelled/``).

    Returns:
        ``(segments, codes)``: segments with ``segment_id`` and ``text``; codes as from
        :func:`read_human_codes`.

    Example:
        >>> segments, codes = read_statements("tests/data/dev_statements.csv")
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
    _check_themes(codes, themes, path)
    return segments, codes
