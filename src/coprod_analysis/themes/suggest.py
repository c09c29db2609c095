"""What to code next: the segments whose tags are least certain (uncertainty sampling).

Each theme gets a probability for every segment: the trained classifier's where it tags the
theme, otherwise one read from the similarity's distance to the theme's threshold (a rule
match counts as near certain). A segment is as uncertain as its most uncertain theme,
``1 - |2p - 1|``: 1 at p = 0.5, 0 at p = 0 or 1. Hand-coding the most uncertain segments
first teaches the classifier most per label (``benchmarks/simulate_labelling.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# A similarity this far above a theme's threshold counts as odds of e (one logit unit).
SPREAD = 0.05
RULE = 0.95  # the probability given to a theme whose rule matched


def theme_probabilities(
    scores: np.ndarray,
    thresholds: Sequence[float],
    flags: np.ndarray,
    learned: Mapping[int, np.ndarray],
) -> np.ndarray:
    """Return a (segments × themes) probability for each theme.

    Args:
        scores: similarity of each segment to each theme.
        thresholds: each theme's similarity threshold.
        flags: 1 where a theme's rule matched.
        learned: the classifier's probabilities by theme index, for the themes it tags.

    Example:
        >>> from coprod_analysis.themes.suggest import theme_probabilities
        >>> import numpy as np
        >>> p = theme_probabilities(np.array([[0.40, 0.1]]), [0.40, 0.5], np.array([[0, 1]]), {})
        >>> p.round(2).tolist()
        [[0.5, 0.95]]
    """
    import numpy as np

    probs = 1 / (1 + np.exp(-(scores - np.asarray(thresholds)) / SPREAD))
    probs = np.where(flags > 0, RULE, probs)
    for j, column in learned.items():
        probs[:, j] = column
    return probs


def uncertainty(probs: np.ndarray) -> np.ndarray:
    """Return each row's uncertainty: that of its most uncertain theme, 0 to 1.

    Example:
        >>> from coprod_analysis.themes.suggest import uncertainty
        >>> import numpy as np
        >>> uncertainty(np.array([[0.5, 0.99], [0.9, 0.02], [0.0, 1.0]])).round(2).tolist()
        [1.0, 0.2, 0.0]
    """
    return _closeness(probs).max(axis=1)


def _closeness(probs: np.ndarray) -> np.ndarray:
    """How close each probability is to 0.5: 1 there, 0 at 0 or 1."""
    import numpy as np

    return 1 - np.abs(2 * probs - 1)


def rank_uncertain(
    ids: Sequence[str],
    probs: np.ndarray,
    theme_ids: Sequence[str],
    *,
    n: int = 20,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """Return the ``n`` most uncertain segments, most uncertain first.

    Args:
        ids: the segment ids, one per row of ``probs``.
        probs: from :func:`theme_probabilities`.
        theme_ids: the theme ids, one per column.
        n: how many to return.
        exclude: segments already hand-coded.

    Returns:
        ``segment_id, uncertainty, theme, probability``: the theme the tagger is least sure
        of for that segment, and its probability.

    Example:
        >>> from coprod_analysis.themes.suggest import rank_uncertain
        >>> import numpy as np
        >>> probs = np.array([[0.9, 0.1], [0.55, 0.2], [0.5, 0.5]])
        >>> ranked = rank_uncertain(["a", "b", "c"], probs, ["power", "funding"], n=2, exclude=["c"])
        >>> ranked.values.tolist()
        [['b', 0.9, 'power', 0.55], ['a', 0.2, 'power', 0.9]]
    """
    import numpy as np
    import pandas as pd

    closeness = _closeness(probs)
    worst = closeness.argmax(axis=1) if len(ids) else np.array([], dtype=int)
    table = pd.DataFrame(
        {
            "segment_id": list(ids),
            "uncertainty": closeness.max(axis=1).round(4) if len(ids) else [],
            "theme": [theme_ids[j] for j in worst],
            "probability": probs[np.arange(len(ids)), worst].round(4) if len(ids) else [],
        }
    )
    table = table[~table["segment_id"].isin(set(exclude))]
    return (
        table.sort_values("uncertainty", ascending=False, kind="stable")
        .head(n)
        .reset_index(drop=True)
    )
