"""Agreement between two codings: precision, recall, F1, Cohen's κ and Krippendorff's α."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

ALL = "(all themes)"


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    """Cohen's κ for two binary codings given their confusion counts.

    Returns NaN when chance agreement is 1 (both coders always said the same single value).

    Example:
        >>> round(cohen_kappa(20, 5, 5, 70), 3)
        0.733
    """
    n = tp + fp + fn + tn
    if n == 0:
        return math.nan
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / n**2
    return math.nan if expected == 1 else (observed - expected) / (1 - expected)


def gwet_ac1(tp: int, fp: int, fn: int, tn: int) -> float:
    """Gwet's AC1 for two binary codings: like κ, but steady when a theme is rare.

    κ falls towards 0 when almost every decision is "no", however well two coders agree
    ("the κ paradox"); AC1's chance agreement is 2π(1 − π), π the mean share of "yes".

    Example:
        >>> round(gwet_ac1(20, 5, 5, 70), 3)
        0.84
        >>> round(cohen_kappa(1, 2, 2, 95), 3), round(gwet_ac1(1, 2, 2, 95), 3)
        (0.313, 0.958)
    """
    n = tp + fp + fn + tn
    if n == 0:
        return math.nan
    observed = (tp + tn) / n
    pi = ((tp + fp) + (tp + fn)) / (2 * n)
    expected = 2 * pi * (1 - pi)
    return math.nan if expected == 1 else (observed - expected) / (1 - expected)


def krippendorff_alpha(tp: int, fp: int, fn: int, tn: int) -> float:
    """Krippendorff's α (nominal) for two coders, binary decisions, no missing values.

    Example:
        >>> round(krippendorff_alpha(20, 5, 5, 70), 3)
        0.735
    """
    n = 2 * (tp + fp + fn + tn)
    ones = 2 * tp + fp + fn
    zeros = n - ones
    if n < 2 or ones == 0 or zeros == 0:
        return math.nan
    observed = 2 * (fp + fn) / n
    expected = 2 * ones * zeros / (n * (n - 1))
    return 1 - observed / expected


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan


def _row(theme: str, tp: int, fp: int, fn: int, tn: int) -> dict:
    f1_pos, f1_neg = _f1(tp, fp, fn), _f1(tn, fn, fp)
    return {
        "theme": theme,
        "n": tp + fp + fn + tn,
        "human": tp + fn,
        "auto": tp + fp,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else math.nan,
        "recall": tp / (tp + fn) if tp + fn else math.nan,
        "f1": f1_pos,
        "macro_f1": (f1_pos + f1_neg) / 2
        if not (math.isnan(f1_pos) or math.isnan(f1_neg))
        else math.nan,
        "kappa": cohen_kappa(tp, fp, fn, tn),
        "alpha": krippendorff_alpha(tp, fp, fn, tn),
    }


def agreement(
    auto: pd.DataFrame,
    human: pd.DataFrame,
    *,
    themes: Iterable[str] | None = None,
    segments: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Compare automatic theme tags with human codes, theme by theme.

    Each (segment, theme) pair is a yes/no decision by each side. The segments compared are
    those the human coded (a coded segment with no theme is a row with an empty theme), or
    ``segments`` when given; tags on other segments are ignored.

    Args:
        auto: tags with ``segment_id`` and ``theme`` (e.g. the ``themes`` table).
        human: codes with ``segment_id`` and ``theme``.
        themes: the themes to report (default: every theme either side used).
        segments: the segment ids to compare (default: every segment in ``human``).

    Returns:
        One row per theme: ``n`` decisions, ``human`` and ``auto`` positives, ``tp/fp/fn``,
        precision, recall, F1 (of "has the theme"), macro-F1 (mean of the F1 of "has" and
        "has not"), Cohen's κ and Krippendorff's α; then a row ``(all themes)`` pooling every
        decision (micro-averaged P/R/F1, pooled κ, and Krippendorff's α over all
        segment × theme decisions).

    Example:
        >>> import pandas as pd
        >>> auto = pd.DataFrame({"segment_id": ["a", "b"], "theme": ["power", "power"]})
        >>> human = pd.DataFrame({"segment_id": ["a", "b", "c"], "theme": ["power", None, "power"]})
        >>> agreement(auto, human).set_index("theme").loc["power", ["tp", "fp", "fn"]].tolist()
        [1, 1, 1]
    """
    import pandas as pd

    universe = list(dict.fromkeys(segments if segments is not None else human["segment_id"]))
    keep = set(universe)

    def pairs(df: pd.DataFrame) -> set[tuple[str, str]]:
        df = df.dropna(subset=["theme"])
        return {(s, t) for s, t in zip(df["segment_id"], df["theme"], strict=True) if s in keep}

    a, h = pairs(auto), pairs(human)
    if themes is None:
        themes = sorted({t for _, t in a | h})
    rows, totals = [], [0, 0, 0, 0]
    for theme in themes:
        sa = {s for s, t in a if t == theme}
        sh = {s for s, t in h if t == theme}
        tp, fp, fn = len(sa & sh), len(sa - sh), len(sh - sa)
        tn = len(universe) - tp - fp - fn
        rows.append(_row(theme, tp, fp, fn, tn))
        totals = [x + y for x, y in zip(totals, (tp, fp, fn, tn), strict=True)]
    rows.append(_row(ALL, *totals))
    return pd.DataFrame(rows)
