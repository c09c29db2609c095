"""How much more checking would make a share sure enough: audit advice.

The interval of an audited share (:mod:`.estimate`) narrows as more participants are audited:
the unchecked participants are fewer, and the tagger's hit rates are better known. For each
session × theme this projects the interval's half-width for each possible audit size, with the
hit rates the audit has shown so far (or, before any audit, the worst case of a coin toss), and
returns the fewest participants to audit for a half-width within the target.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from coprod_analysis.shifts.estimate import PRIOR, estimate_shares, people
from coprod_analysis.shifts.stats import Z95

ADVICE_COLUMNS = [
    "session_id",
    "theme",
    "method",
    "half_width",
    "n_audited",
    "n_total",
    "audit_to",
    "more",
]


def half_width(
    audited: int, total: int, *, tagged: float, rates: tuple[float, float] | None
) -> float:
    """The expected 95% half-width of an audited participant share, in share units.

    Args:
        audited: participants audited (all their contributions coded).
        total: participants in the session.
        tagged: the share the tagger says raised the theme.
        rates: how often the theme is really there when the tagger says yes, and when it says
            no; None for the worst case (0.5 each).

    Example:
        >>> from coprod_analysis.shifts.advice import half_width
        >>> round(half_width(5, 15, tagged=0.4, rates=None), 2), half_width(15, 15, tagged=0.4, rates=None)
        (0.36, 0.0)
    """
    if audited >= total:
        return 0.0
    yes, no = rates if rates is not None else (0.5, 0.5)
    pooled = tagged * yes + (1 - tagged) * no
    split = sum(
        _variance(weight * audited, weight * (total - audited), rate)
        for weight, rate in ((tagged, yes), (1 - tagged, no))
    )
    alone = _variance(audited, total - audited, pooled)
    return Z95 * math.sqrt(min(split, alone)) / total  # the estimate splits only when it helps


def _variance(audited: float, unchecked: float, rate: float) -> float:
    """The variance of one group's unchecked count, at the estimate's spread (:func:`spread`)."""
    if unchecked <= 0:
        return 0.0
    if audited <= 0:
        return unchecked * unchecked * 0.25  # nobody audited: anything from none to all
    return unchecked * rate * (1 - rate) * (unchecked / audited + 1)


def audit_advice(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    checked: pd.DataFrame | None,
    *,
    target: float = 0.10,
    sessions: pd.DataFrame | None = None,
    theme_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """For each session × theme, how many participants to audit for an interval within ±target.

    Args:
        segments: the segments table.
        tags: the tagger's own codes (``tagged``).
        checked: the checked table (``segment_id, themes, audit``), or None.
        target: the half-width wanted, in share units (0.10 is ±10 points).
        sessions: the sessions table, for their order.
        theme_ids: the themes (default: those tagged or checked).

    Returns:
        One row per session × theme: ``method`` and ``half_width`` now (NaN while
        unchecked: the tagger's errors are unknown), ``n_audited`` and ``n_total``
        participants, ``audit_to`` (how many the audit should hold) and ``more`` (how many
        more to audit; 0 when already within the target, ``n_total`` minus those checked when
        only checking everyone will do).

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.advice import audit_advice
        >>> segments = pd.DataFrame({"segment_id": [f"a{i}" for i in range(30)],
        ...     "session_id": ["s1"] * 30, "speaker": [f"P-{i}" for i in range(30)]})
        >>> tags = pd.DataFrame({"segment_id": [f"a{i}" for i in range(12)], "theme": ["power"] * 12})
        >>> audit_advice(segments, tags, None)[["method", "n_audited", "audit_to", "more"]].values.tolist()
        [['unchecked', 0, 23, 23]]
    """
    shares = estimate_shares(segments, tags, checked, sessions=sessions, theme_ids=theme_ids)
    table = people(segments, tags, checked, theme_ids=shares["theme"].unique())
    rows = []
    for row in shares.to_dict("records"):
        mine = table[table["session_id"] == row["session_id"]]
        total, audited = len(mine), int(mine["audited"].sum())
        said = mine[f"tagged:{row['theme']}"]
        rates = _rates(mine.loc[mine["audited"], f"true:{row['theme']}"], said[mine["audited"]])
        now = {"checked": 0.0, "audit": (row["high"] - row["low"]) / 2}.get(row["method"], math.nan)
        if row["method"] == "checked":
            need = total
        elif now <= target:
            need = audited
        else:
            need = next(
                (
                    n
                    for n in range(audited, total + 1)
                    if half_width(n, total, tagged=float(said.mean()), rates=rates) <= target
                ),
                total,
            )
        rows.append(
            {
                "session_id": row["session_id"],
                "theme": row["theme"],
                "method": row["method"],
                "half_width": now,
                "n_audited": audited,
                "n_total": total,
                "audit_to": need,
                "more": 0 if row["method"] == "checked" else max(0, need - audited),
            }
        )
    return pd.DataFrame(rows, columns=ADVICE_COLUMNS)


def _rates(truth: pd.Series, said: pd.Series) -> tuple[float, float] | None:
    """The audit's hit rates: the theme's share when the tagger says yes, and when it says no.

    Each is a posterior mean (the estimate's prior); None before any audit.
    """
    if truth.empty:
        return None
    split = said.any() and not said.all()
    if not split:
        rate = (float(truth.sum()) + PRIOR) / (len(truth) + 2 * PRIOR)
        return (rate, rate)
    return tuple(  # type: ignore[return-value]
        (float(truth[said == g].sum()) + PRIOR) / (int((said == g).sum()) + 2 * PRIOR)
        for g in (True, False)
    )
