"""Agreement between two codings: precision, recall, F1, Cohen's κ and Krippendorff's α."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ALL = "(all themes)"


ADJUDICATOR = "adjudicated"  # the coder whose codes settle a disagreement between coders


def f1_of(pred: np.ndarray, truth: np.ndarray) -> float:
    """F1 of "has the theme" from two boolean arrays (0.0 when neither has any).

    Example:
        >>> import numpy as np
        >>> from coprod_analysis.agreement import f1_of
        >>> f1_of(np.array([True, True, False]), np.array([True, False, False]))
        0.6666666666666666
    """
    tp = float((pred & truth).sum())
    denom = float(pred.sum() + truth.sum())
    return 2 * tp / denom if denom else 0.0


def cohen_kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    """Cohen's κ for two binary codings given their confusion counts.

    Returns NaN when chance agreement is 1 (both coders always said the same single value).

    Example:
        >>> from coprod_analysis.agreement import cohen_kappa
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
        >>> from coprod_analysis.agreement import cohen_kappa, gwet_ac1
        >>> from coprod_analysis.agreement import gwet_ac1
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
        >>> from coprod_analysis.agreement import krippendorff_alpha
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
    theme_ids: Iterable[str] | None = None,
    segments: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Compare automatic theme tags with human codes, theme by theme.

    Each (segment, theme) pair is a yes/no decision by each side. The segments compared are
    those the human coded (a coded segment with no theme is a row with an empty theme), or
    ``segments`` when given; tags on other segments are ignored.

    Args:
        auto: tags with ``segment_id`` and ``theme`` (e.g. the ``themes`` table).
        human: codes with ``segment_id`` and ``theme``.
        theme_ids: the themes to report (default: every theme either side used).
        segments: the segment ids to compare (default: every segment in ``human``).

    Returns:
        One row per theme: ``n`` decisions, ``human`` and ``auto`` positives, ``tp/fp/fn``,
        precision, recall, F1 (of "has the theme"), macro-F1 (mean of the F1 of "has" and
        "has not"), Cohen's κ and Krippendorff's α; then a row ``(all themes)`` pooling every
        decision (micro-averaged P/R/F1, pooled κ, and Krippendorff's α over all
        segment × theme decisions).

    Example:
        >>> from coprod_analysis.agreement import agreement
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
    if theme_ids is None:
        theme_ids = sorted({t for _, t in a | h})
    rows, totals = [], [0, 0, 0, 0]
    for theme in theme_ids:
        sa = {s for s, t in a if t == theme}
        sh = {s for s, t in h if t == theme}
        tp, fp, fn = len(sa & sh), len(sa - sh), len(sh - sa)
        tn = len(universe) - tp - fp - fn
        rows.append(_row(theme, tp, fp, fn, tn))
        totals = [x + y for x, y in zip(totals, (tp, fp, fn, tn), strict=True)]
    rows.append(_row(ALL, *totals))
    return pd.DataFrame(rows)


def _settled(codes: pd.DataFrame) -> pd.Series:
    """Which rows settle a disagreement (``settled.csv``, or the old ``adjudicated`` coder)."""
    if "settled" in codes:
        return codes["settled"].fillna(False).astype(bool)
    return codes["coder"] == ADJUDICATOR


def _by_coder(codes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each independent coder's codes (settling codes are not an independent coding)."""
    independent = codes[~_settled(codes)]
    coders = sorted(set(independent["coder"].dropna().astype(str)))
    return {c: independent[independent["coder"] == c] for c in coders}


def coder_agreement(
    codes: pd.DataFrame, tags: pd.DataFrame | None = None, *, theme_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """Agreement between every pair of coders, and of each coder with the tagger.

    Pairs of coders are compared on the segments both coded, the first as reference (its
    positives are the ``human`` column); the tagger on each coder's segments, the coder as reference.

    Args:
        codes: long codes ``segment_id, theme, coder`` (:func:`~coprod_analysis.read_coding`).
        tags: the tagger's ``segment_id, theme`` (the ``themes`` table), or None.
        theme_ids: the themes to report (default: every theme used).

    Returns:
        One row per pair and theme, the pair first (``first``, ``second``, ``segments``), then
        the columns of :func:`agreement` (κ, α, F1 and the counts), ``(all themes)`` last.

    Example:
        >>> from coprod_analysis.agreement import coder_agreement
        >>> import pandas as pd
        >>> codes = pd.DataFrame({"segment_id": ["a", "b", "a", "b"], "theme": ["power", None, "power", "power"],
        ...     "coder": ["ana", "ana", "ben", "ben"]})
        >>> table = coder_agreement(codes, theme_ids=["power"])
        >>> table[["first", "second", "segments", "theme", "tp", "fn", "fp"]].values.tolist()[0]
        ['ana', 'ben', 2, 'power', 1, 0, 1]
    """
    from itertools import combinations

    import pandas as pd

    coders = _by_coder(codes)
    frames = []
    for a, b in combinations(coders, 2):
        both = sorted(set(coders[a]["segment_id"]) & set(coders[b]["segment_id"]))
        if both:
            table = agreement(coders[b], coders[a], theme_ids=theme_ids, segments=both)
            frames.append(table.assign(first=a, second=b, segments=len(both)))
    if tags is not None:
        for coder, mine in coders.items():
            table = agreement(tags, mine, theme_ids=theme_ids)
            frames.append(
                table.assign(first="tagger", second=coder, segments=mine["segment_id"].nunique())
            )
    if not frames:
        return pd.DataFrame(columns=["first", "second", "segments", "theme"])
    out = pd.concat(frames, ignore_index=True)
    return out[
        [
            "first",
            "second",
            "segments",
            *[c for c in out.columns if c not in ("first", "second", "segments")],
        ]
    ]


def disagreements(
    codes: pd.DataFrame,
    *,
    segments: pd.DataFrame | None = None,
    labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The segments two or more coders coded differently, for a discussion to settle.

    Segments already settled (``settled.csv``) are left out.

    Args:
        codes: long codes ``segment_id, theme, coder`` and optionally ``memo``.
        segments: the segments table, to show each segment's session and text.
        labels: theme id → label.

    Returns:
        One row per segment: ``segment_id``, ``agreed`` and ``disputed`` themes, one column per
        coder with their themes (``none`` when they ticked none applies), ``memos``, and with
        ``segments`` the ``session_id`` and ``text``.

    Example:
        >>> from coprod_analysis.agreement import disagreements
        >>> import pandas as pd
        >>> codes = pd.DataFrame({"segment_id": ["a", "a", "a"], "theme": ["power", "power", "funding"],
        ...     "coder": ["ana", "ben", "ben"]})
        >>> disagreements(codes)[["segment_id", "agreed", "disputed", "ana", "ben"]].values.tolist()
        [['a', 'power', 'funding', 'power', 'power; funding']]
    """
    import pandas as pd

    labels = labels or {}
    coders = _by_coder(codes)
    settled = set(codes.loc[_settled(codes), "segment_id"])
    independent = codes[~_settled(codes)]
    rows = []
    for segment, part in independent.groupby("segment_id", sort=True):
        ticked = {
            c: [t for t in dict.fromkeys(g["theme"].dropna())] for c, g in part.groupby("coder")
        }
        if len(ticked) < 2 or segment in settled:
            continue
        sets = [set(v) for v in ticked.values()]
        agreed, every = set.intersection(*sets), set.union(*sets)
        if agreed == every:
            continue
        order = list(dict.fromkeys(t for v in ticked.values() for t in v))
        name = lambda ts: "; ".join(labels.get(t, t) for t in ts)  # noqa: E731
        memos = part["memo"].fillna("").astype(str) if "memo" in part else pd.Series([], dtype=str)
        rows.append(
            {
                "segment_id": segment,
                "agreed": name([t for t in order if t in agreed]),
                "disputed": name([t for t in order if t not in agreed]),
                **{
                    c: name(ticked[c]) if ticked.get(c) else ("none" if c in ticked else "")
                    for c in coders
                },
                "memos": " | ".join(dict.fromkeys(m for m in memos if m)),
            }
        )
    table = pd.DataFrame(rows, columns=["segment_id", "agreed", "disputed", *coders, "memos"])
    if segments is not None:
        table = table.merge(
            segments[["segment_id", "session_id", "text"]], on="segment_id", how="left"
        )
    return table
