"""Checked codes win: what people coded replaces the tagger's codes for those segments.

The ``checked`` table has one row per segment a person coded: ``segment_id``, ``themes``
(theme ids separated by ``;``, empty for "none applies"), ``coder`` (who: one coder, the coders
who agreed, or who settled a disagreement) and ``audit`` (True when the segment was coded
because the audit drew its participant, :mod:`coprod_analysis.themes.audit`). A segment coders
disagree on is not checked until someone settles it; it keeps the tagger's codes.
"""

from __future__ import annotations

import pandas as pd

from coprod_analysis.themes.audit import audit_segments
from coprod_analysis.themes.coding import settle

CHECKED_COLUMNS = ["segment_id", "themes", "coder", "audit"]
TAG_COLUMNS = ["segment_id", "theme", "method", "score", "evidence", "coder"]


def checked_codes(
    codes: pd.DataFrame,
    *,
    segments: pd.DataFrame | None = None,
    plan: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The ``checked`` table from every hand code, and the segments still to settle.

    Args:
        codes: long hand codes ``segment_id, theme, coder`` and optionally ``settled``
            (:func:`~coprod_analysis.themes.coding.hand_codes`).
        segments: the segments table: codes for other segments are left out, and the audit
            flag needs it.
        plan: the audit plan (:func:`~coprod_analysis.themes.audit.read_plan`), or None.

    Returns:
        ``(checked, to_settle)``: the table described above, and the ids coders disagree on.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.checked import checked_codes
        >>> codes = pd.DataFrame({"segment_id": ["a", "a", "b", "b"],
        ...     "theme": ["power", "funding", None, "power"], "coder": ["ana", "ana", "ana", "ben"]})
        >>> checked, to_settle = checked_codes(codes)
        >>> checked.values.tolist(), to_settle
        ([['a', 'power;funding', 'ana', False]], ['b'])
    """
    if segments is not None:
        codes = codes[codes["segment_id"].isin(set(segments["segment_id"]))]
    counted, to_settle = settle(codes)
    audited: set[str] = set()
    # any table of text can be tagged (segment_id, text); only the project's has participants
    if segments is not None and {"session_id", "speaker"} <= set(segments.columns):
        audited = audit_segments(segments, plan) if plan is not None and len(plan) else set()
    rows = [
        {
            "segment_id": segment,
            "themes": ";".join(dict.fromkeys(part["theme"].dropna())),
            "coder": str(part["coder"].iloc[0]),
            "audit": segment in audited,
        }
        for segment, part in counted.groupby("segment_id", sort=False)
    ]
    return pd.DataFrame(rows, columns=CHECKED_COLUMNS).astype({"audit": bool}), to_settle


def checked_long(checked: pd.DataFrame) -> pd.DataFrame:
    """The checked table as long rows ``segment_id, theme`` (a segment coded none has no row).

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.checked import checked_long
        >>> checked_long(pd.DataFrame({"segment_id": ["a", "b"], "themes": ["power;funding", ""]})).values.tolist()
        [['a', 'power'], ['a', 'funding']]
    """
    rows = [
        (segment, theme.strip())
        for segment, themes in zip(checked["segment_id"], checked["themes"].fillna(""), strict=True)
        for theme in str(themes).split(";")
        if theme.strip()
    ]
    return pd.DataFrame(rows, columns=["segment_id", "theme"])


def count_checked(tags: pd.DataFrame, checked: pd.DataFrame) -> pd.DataFrame:
    """The ``themes`` table that is counted: checked codes replace the tagger's for their segments.

    Args:
        tags: the tagger's ``themes`` rows (``segment_id, theme, method, score, evidence``).
        checked: the ``checked`` table (:func:`checked_codes`).

    Returns:
        The tagger's rows for segments nobody checked, then one row per checked segment and
        theme with ``method`` ``checked``, ``score`` 1 and the ``coder``; tagger rows have no
        coder.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.checked import count_checked
        >>> tags = pd.DataFrame({"segment_id": ["a", "b"], "theme": ["power", "power"],
        ...     "method": ["learned", "learned"], "score": [0.9, 0.6], "evidence": ["", ""]})
        >>> checked = pd.DataFrame({"segment_id": ["b"], "themes": ["funding"], "coder": ["ana"], "audit": [False]})
        >>> count_checked(tags, checked)[["segment_id", "theme", "method", "coder"]].values.tolist()
        [['a', 'power', 'learned', None], ['b', 'funding', 'checked', 'ana']]
    """
    kept = tags[~tags["segment_id"].isin(set(checked["segment_id"]))].assign(coder=None)
    for column in TAG_COLUMNS:  # a bare segment_id, theme table (a simulation, a notebook's own)
        if column not in kept:
            kept = kept.assign(**{column: None})
    who = checked["coder"] if "coder" in checked else [None] * len(checked)
    coder = dict(zip(checked["segment_id"], who, strict=True))
    mine = checked_long(checked)
    mine = mine.assign(
        method="checked", score=1.0, evidence="", coder=mine["segment_id"].map(coder)
    )
    extra = [c for c in kept.columns if c not in TAG_COLUMNS]
    parts = [kept[[*TAG_COLUMNS, *extra]], mine[TAG_COLUMNS]]
    return pd.concat([p for p in parts if len(p)] or [kept], ignore_index=True)[
        [*TAG_COLUMNS, *extra]
    ]
