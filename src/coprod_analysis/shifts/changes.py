"""Changes between sessions, tested on the share estimates, in two families.

Each change compares two sessions' participant shares (:mod:`coprod_analysis.shifts.estimate`).
An exact count (checked, or the tagger's unchecked count) is tested as it is; an audited
estimate counts as the smaller sample it is as sure as (:func:`~.stats.effective`). Then one
test serves every case: Fisher's exact test (mid-p) for the p-value, Newcombe's interval for the
change. These ask whether talk changed beyond the luck of who came and what they said, so two
sessions checked in full can still show no clear change.

The changes the evaluator declared in advance (a theme in a session's ``focus`` or title, or
listed under ``shifts.questions``) form their own family, adjusted by Holm at
``alpha_declared``, so the question a session was held for is not diluted by the others. Every
other change is exploratory, adjusted by Benjamini–Hochberg at ``alpha_exploratory``. The two
levels add up to the run's error budget: with no true change, at most about 5% of runs flag
any (``benchmarks/simulate_audit.py``). Each change also says how large a change its numbers
could have shown (at 80% power), for the "no clear change" that does not mean "no change".
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from itertools import pairwise
from typing import Any

import pandas as pd
from scipy.stats import t

from coprod_analysis.config import ALPHA_DECLARED, ALPHA_EXPLORATORY
from coprod_analysis.shifts.estimate import METHODS
from coprod_analysis.shifts.stats import (
    Z95,
    benjamini_hochberg,
    detectable,
    effective,
    holm,
    mid_p,
    newcombe,
)

_FIELDS = ["change", "low", "high", "p", "q", "family", "mdc", "method"]
STEP = ["change", "change_low", "change_high", "p", "q", "family", "mdc", "change_method"]
OVERALL = [f"overall_{c}" for c in _FIELDS]
"""The columns a step change (from the session before) and the first-to-latest change fill."""


def weaker(a: str, b: str) -> str:
    """The less certain of two estimate methods (``checked`` > ``audit`` > ``unchecked``).

    Example:
        >>> from coprod_analysis.shifts.changes import weaker
        >>> weaker("checked", "audit"), weaker("audit", "unchecked")
        ('audit', 'unchecked')
    """
    return max(a, b, key=METHODS.index)


def _variance(row: pd.Series) -> float:
    """An estimate's variance for testing: an audited one's widened for its small sample.

    The variance of an audited share is itself estimated from the few people audited, so the
    test's tails are a t distribution's with ``n_audited − 1`` degrees of freedom, not the
    normal's: the variance is widened by ``(t / z)²`` (about 1.2 for an audit of 15).
    """
    variance = float(row["participant_variance"])
    audited = int(row.get("n_audited", 0) or 0)
    if row.get("participant_method") != "audit" or not variance > 0 or audited < 2:
        return variance
    return variance * (t.ppf(0.975, audited - 1) / Z95) ** 2


def _counts(row: pd.Series) -> tuple[float, float]:
    """An estimate's effective count and size, never fewer people than were checked in full.

    Near 0% or 100% an audited estimate's effective size can fall below the participants whose
    every contribution people checked; what is known for certain is never less sure than that.
    """
    share = float(row["participant_share"])
    k, n = effective(share, _variance(row), row["n_participants"])
    known = int(row.get("n_checked", 0) or 0)
    if n == n and known > n:
        return share * known, float(known)
    return k, n


def compare(before: pd.Series, after: pd.Series) -> dict:
    """One change in participant share between two sessions' estimates.

    Args:
        before: the earlier session's row (``participant_share``, ``participant_variance``,
            ``n_participants``, ``participant_method``, and for an audit ``n_audited``;
            ``n_checked``, the participants checked in full, is the least effective size).
        after: the later session's row.

    Returns:
        ``change``, ``low``, ``high`` (Newcombe's 95% interval), ``p`` (mid-p), ``method``
        (the weaker of the two estimates) and ``counts`` (the effective counts, for the
        detectable change).

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.changes import compare
        >>> row = lambda share: pd.Series({"participant_share": share, "participant_variance": 0.0,
        ...     "n_participants": 20, "participant_method": "checked"})
        >>> found = compare(row(0.1), row(0.5))
        >>> round(found["change"], 2), round(found["p"], 4), found["method"]
        (0.4, 0.0075, 'checked')
    """
    k1, n1 = _counts(before)
    k2, n2 = _counts(after)
    method = weaker(str(before["participant_method"]), str(after["participant_method"]))
    if not (n1 > 0 and n2 > 0):
        nan = math.nan
        return {"change": nan, "low": nan, "high": nan, "p": nan, "method": method, "counts": None}
    change, low, high = newcombe(k1, n1, k2, n2)
    p = mid_p(round(k1), max(1, round(n1)), round(k2), max(1, round(n2)))
    return {
        "change": change,
        "low": low,
        "high": high,
        "p": p,
        "method": method,
        "counts": (k1, n1, k2, n2),
    }


def changes(
    table: pd.DataFrame,
    *,
    declared: Collection[tuple[str, str | None]] = (),
    alpha_declared: float = ALPHA_DECLARED,
    alpha_exploratory: float = ALPHA_EXPLORATORY,
) -> pd.DataFrame:
    """Add each theme's step and first-to-latest changes, tested in two families.

    Args:
        table: one row per session × theme, sessions in order within each theme, with
            ``session_id``, ``theme``, ``participant_share``, ``participant_variance``,
            ``n_participants`` and ``participant_method``, and optionally ``on_agenda``.
        declared: the changes declared in advance: ``(theme, session_id)`` for the step into
            that session, ``(theme, None)`` for the first to the latest. A row ``on_agenda``
            declares its step change too.
        alpha_declared: the level of the declared family (Holm).
        alpha_exploratory: the level of every other change (Benjamini–Hochberg).

    Returns:
        The table with the step columns (:data:`STEP`, on each session after the first), the
        first-to-latest ones (:data:`OVERALL`, on the latest session's rows when there are
        more than two sessions; with two, the step is the overall change), ``within_noise``
        and ``overall_within_noise`` (True unless the adjusted ``q`` is below its family's
        level; empty where nothing was tested), and ``comparisons`` and ``declared``: how
        many changes were tested, and how many of them were declared.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.changes import changes
        >>> table = pd.DataFrame({"session_id": ["s1", "s2"], "theme": ["power", "power"],
        ...     "participant_share": [0.1, 0.6], "participant_variance": [0.0, 0.0],
        ...     "n_participants": [20, 20], "participant_method": ["checked", "checked"],
        ...     "on_agenda": [False, True]})
        >>> out = changes(table)
        >>> out.at[1, "family"], bool(out.at[1, "within_noise"]), round(float(out.at[1, "q"]), 4)
        ('declared', False, 0.0012)
    """
    wanted = set(declared)
    agenda = table["on_agenda"].fillna(False).astype(bool) if "on_agenda" in table else None
    tests: list[tuple[int, str, dict, bool]] = []  # (row, step|overall, result, declared)
    for theme, group in table.groupby("theme", sort=False):
        rows = list(group.index)
        for a, b in pairwise(rows):
            on = agenda is not None and bool(agenda[b])
            said = on or (theme, table.at[b, "session_id"]) in wanted
            tests.append((b, "step", compare(table.loc[a], table.loc[b]), said))
        if len(rows) > 2:
            found = compare(table.loc[rows[0]], table.loc[rows[-1]])
            tests.append((rows[-1], "overall", found, (theme, None) in wanted))
    out = table.copy()
    for column in [*STEP, *OVERALL]:
        text = column.endswith(("family", "method"))
        out[column] = pd.Series(
            [None if text else math.nan] * len(out),
            index=out.index,
            dtype=object if text else float,
        )
    noise: dict[str, dict[int, Any]] = {"step": {}, "overall": {}}
    for family, adjust, alpha in (
        ("declared", holm, alpha_declared),
        ("exploratory", benjamini_hochberg, alpha_exploratory),
    ):
        mine = [t for t in tests if t[3] == (family == "declared")]
        tested = [t for t in mine if t[2]["p"] == t[2]["p"]]
        adjusted = adjust([t[2]["p"] for t in mine])
        for (row, kind, found, _), q in zip(mine, adjusted, strict=True):
            names = STEP if kind == "step" else OVERALL
            counts = found["counts"]
            mdc = (
                detectable(*counts, alpha=alpha / max(1, len(tested)))
                if counts is not None
                else math.nan
            )
            values = [found["change"], found["low"], found["high"], found["p"], q, family, mdc,
                      found["method"]]  # fmt: skip
            for name, value in zip(names, values, strict=True):
                out.at[row, name] = value
            noise[kind][row] = pd.NA if q != q else bool(q >= alpha)
    for kind, column in (("step", "within_noise"), ("overall", "overall_within_noise")):
        out[column] = pd.array([noise[kind].get(i, pd.NA) for i in out.index], dtype="boolean")
    out["comparisons"] = sum(1 for t in tests if t[2]["p"] == t[2]["p"])
    out["declared"] = sum(1 for t in tests if t[3] and t[2]["p"] == t[2]["p"])
    return out


def latest(row: Mapping[str, Any] | pd.Series) -> dict[str, Any]:
    """A theme's first-to-latest change, from its latest session's row.

    With two sessions the step change is the overall change, so its columns are used.

    Returns:
        ``change, low, high, p, q, family, mdc, method, within_noise`` (NaN and None when
        there is nothing to compare).

    Example:
        >>> from coprod_analysis.shifts.changes import latest
        >>> latest({"overall_change": float("nan"), "change": 0.3, "change_low": 0.1,
        ...     "change_high": 0.5, "q": 0.01, "family": "declared", "mdc": 0.4,
        ...     "change_method": "audit", "within_noise": False})["method"]
        'audit'
    """
    if pd.notna(row.get("overall_change", math.nan)):
        names, noise = dict(zip(_FIELDS, OVERALL, strict=True)), row.get("overall_within_noise")
    else:
        names, noise = dict(zip(_FIELDS, STEP, strict=True)), row.get("within_noise")
    found = {key: row.get(column, math.nan) for key, column in names.items()}
    found["within_noise"] = None if noise is None or noise is pd.NA else bool(noise)
    return found


def clear(found: Mapping[str, Any]) -> bool:
    """Whether a change may be called clear: it stands out in its family, and people checked it.

    A change on the tagger's unchecked counts is never called clear, however large: the
    tagger's errors can differ between sessions.

    Example:
        >>> from coprod_analysis.shifts.changes import clear
        >>> clear({"within_noise": False, "method": "audit"}), clear({"within_noise": False, "method": "unchecked"})
        (True, False)
    """
    return found.get("within_noise") is False and found.get("method") in ("checked", "audit")
