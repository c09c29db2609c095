"""A reliability card per theme: how far to trust the tagger's counts, with intervals.

The card compares the tagger's tags with coders' codes on a labelled set (the real test
split, ``data/labelled/test.csv``): per theme, the statements coded, how often the coders found
the theme, precision, recall, F1, Cohen's κ and Gwet's AC1, each with a bootstrap 95% interval
(statements resampled with replacement), and the κ of two coders working independently, for
comparison. :func:`trust_line` says it in one plain sentence for the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MEASURES = ("prevalence", "precision", "recall", "f1", "kappa", "ac1")


def _indicators(codes: pd.DataFrame, universe: list[str], theme: str) -> np.ndarray:
    import numpy as np

    found = set(codes.loc[codes["theme"] == theme, "segment_id"].astype(str))
    return np.array([s in found for s in universe], dtype=bool)


def _measures(a: np.ndarray, h: np.ndarray) -> dict[str, np.ndarray]:
    """Each measure for every row of ``a`` and ``h`` (resamples × statements), NaN where undefined."""
    import numpy as np

    n = a.shape[-1]
    tp = (a & h).sum(-1).astype(float)
    fp = (a & ~h).sum(-1).astype(float)
    fn = (~a & h).sum(-1).astype(float)
    tn = n - tp - fp - fn
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (tp + tn) / n
        chance = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / n**2
        pi = (2 * tp + fp + fn) / (2 * n)
        ac1_chance = 2 * pi * (1 - pi)
        return {
            "prevalence": (tp + fn) / n,
            "precision": np.where(tp + fp > 0, tp / (tp + fp), np.nan),
            "recall": np.where(tp + fn > 0, tp / (tp + fn), np.nan),
            "f1": np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan),
            "kappa": np.where(chance < 1, (observed - chance) / (1 - chance), np.nan),
            "ac1": np.where(ac1_chance < 1, (observed - ac1_chance) / (1 - ac1_chance), np.nan),
        }


def reliability(
    auto: pd.DataFrame,
    human: pd.DataFrame,
    *,
    theme_ids: Iterable[str],
    second: pd.DataFrame | None = None,
    first: pd.DataFrame | None = None,
    resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Return the reliability card: each theme's agreement with people, with 95% intervals.

    Args:
        auto: the tagger's tags (``segment_id``, ``theme``).
        human: the settled codes (``segment_id``, ``theme``; a coded statement with no theme
            is a row with an empty theme). Its statements are the ones compared.
        theme_ids: the themes, in order.
        first: one coder's own codes before disagreements were settled, and
        second: the other's; with both, ``human_kappa`` is their κ, with an interval.
        resamples: bootstrap resamples of the statements.
        seed: the random seed, so the card is the same each run.

    Returns:
        One row per theme: ``n`` statements, ``positives`` (people's), the confusion counts
        ``tp, fp, fn, tn`` (for correcting shares: :func:`~coprod_analysis.shifts.theme_shifts`),
        then for each of
        prevalence, precision, recall, f1, kappa and ac1 the value and ``_low``/``_high``
        (percentile bootstrap, 95%); ``human_kappa`` with ``_low``/``_high`` when the two
        coders are given. A measure that is undefined (no positives) is NaN.

    Example:
        >>> from coprod_analysis.reliability import reliability
        >>> import pandas as pd
        >>> human = pd.DataFrame({"segment_id": list("abcdef"), "theme": ["power"] * 3 + [None] * 3})
        >>> auto = pd.DataFrame({"segment_id": ["a", "b", "d"], "theme": ["power"] * 3})
        >>> card = reliability(auto, human, theme_ids=["power"], resamples=200)
        >>> card.loc[0, ["n", "positives"]].tolist(), round(float(card.loc[0, "recall"]), 3)
        ([6, 3], 0.667)
        >>> bool(card.loc[0, "kappa_low"] < card.loc[0, "kappa"] < card.loc[0, "kappa_high"])
        True
    """
    import numpy as np
    import pandas as pd

    universe = list(dict.fromkeys(human["segment_id"].astype(str)))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(universe), size=(resamples, len(universe)))
    rows = []
    for theme in theme_ids:
        a, h = _indicators(auto, universe, theme), _indicators(human, universe, theme)
        row: dict[str, object] = {
            "theme": theme,
            "n": len(universe),
            "positives": int(h.sum()),
            "tp": int((a & h).sum()),
            "fp": int((a & ~h).sum()),
            "fn": int((~a & h).sum()),
            "tn": int((~a & ~h).sum()),
        }
        point, boot = _measures(a[None, :], h[None, :]), _measures(a[draws], h[draws])
        for name in MEASURES:
            row.update(_with_interval(name, point[name][0], boot[name]))
        if first is not None and second is not None:
            x, y = _indicators(first, universe, theme), _indicators(second, universe, theme)
            kappa = _measures(x[None, :], y[None, :])["kappa"][0]
            row.update(_with_interval("human_kappa", kappa, _measures(x[draws], y[draws])["kappa"]))
        rows.append(row)
    return pd.DataFrame(rows)


def _with_interval(name: str, value: float, boot: np.ndarray) -> dict[str, float]:
    import numpy as np

    kept = boot[~np.isnan(boot)]
    low, high = np.percentile(kept, [2.5, 97.5]) if kept.size else (math.nan, math.nan)
    return {name: float(value), f"{name}_low": float(low), f"{name}_high": float(high)}


def trust_line(row: Mapping, label: str) -> str:
    """Say in one plain sentence how far to trust a theme's counts, from its card row.

    Example:
        >>> from coprod_analysis.reliability import trust_line
        >>> row = {"n": 177, "positives": 40, "kappa": 0.62, "kappa_low": 0.49, "kappa_high": 0.74,
        ...        "recall": 0.7, "precision": 0.64, "human_kappa": 0.89}
        >>> trust_line(row, "Power")
        'Power: fair to trust. On 177 statements from public write-ups, which coders marked 40 times for this theme, the tagger agreed with them with κ 0.62 (95% interval 0.49 to 0.74; two coders working independently agreed with each other at 0.89). It found about 7 in 10 of the statements the coders marked, and about 6 in 10 of its tags were right.'
    """
    kappa = row.get("kappa", math.nan)
    if kappa != kappa:
        return f"{label}: not measured (no labelled statement carries this theme)."
    verdict = (
        "trust the counts"
        if row["kappa_low"] >= 0.6
        else "fair to trust"
        if kappa >= 0.6
        else "treat the counts with caution"
        if kappa >= 0.4
        else "do not rely on the counts"
    )
    human = row.get("human_kappa")
    between = (
        f"; two coders working independently agreed with each other at {human:.2f}"
        if human is not None and human == human
        else ""
    )
    parts = [
        f"{label}: {verdict}. On {row['n']} statements from public write-ups, which coders "
        f"marked {row['positives']} times for this theme, the tagger agreed with them with κ "
        f"{kappa:.2f} (95% interval {row['kappa_low']:.2f} to {row['kappa_high']:.2f}{between})."
    ]
    recall, precision = row.get("recall", math.nan), row.get("precision", math.nan)
    if recall == recall and precision == precision:
        parts.append(
            f"It found about {round(recall * 10)} in 10 of the statements the coders marked, and "
            f"about {round(precision * 10)} in 10 of its tags were right."
        )
    return " ".join(parts)


def card_table(card: pd.DataFrame) -> pd.DataFrame:
    """Return the card for reading: each measure as "value [low, high]", two decimals.

    Example:
        >>> from coprod_analysis.reliability import card_table
        >>> import pandas as pd
        >>> card = pd.DataFrame([{"theme": "power", "n": 10, "positives": 4,
        ...                       "kappa": 0.5, "kappa_low": 0.1, "kappa_high": 0.8}])
        >>> card_table(card).to_dict("records")
        [{'theme': 'power', 'n': 10, 'positives': 4, 'kappa': '0.50 [0.10, 0.80]'}]
    """
    shown = card[["theme", "n", "positives"]].copy()
    for name in (*MEASURES[1:], "human_kappa"):
        if name in card:
            shown[name] = [
                f"{v:.2f} [{lo:.2f}, {hi:.2f}]" if v == v else "n/a"
                for v, lo, hi in zip(
                    card[name], card[f"{name}_low"], card[f"{name}_high"], strict=True
                )
            ]
    return shown
