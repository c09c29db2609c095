"""Which themes occur together in the same segment."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def cooccurrence(tags: pd.DataFrame, *, theme_ids: list[str] | None = None) -> pd.DataFrame:
    """Count the segments carrying each pair of themes.

    Returns:
        One row per ordered pair (``theme_a``, ``theme_b``; the diagonal is each theme alone):
        ``n_both`` (segments with both), ``n_a``, ``n_b`` and ``jaccard`` (both ÷ either).

    Example:
        >>> from coprod_analysis.shifts.cooccurrence import cooccurrence
        >>> import pandas as pd
        >>> tags = pd.DataFrame({"segment_id": ["a", "a", "b"], "theme": ["power", "funding", "power"]})
        >>> cooccurrence(tags).query("theme_a == 'power' and theme_b == 'funding'")["n_both"].item()
        1
    """
    import pandas as pd

    pairs = tags[["segment_id", "theme"]].drop_duplicates()
    theme_ids = theme_ids or list(dict.fromkeys(pairs["theme"]))
    sets = {t: set(pairs.loc[pairs["theme"] == t, "segment_id"]) for t in theme_ids}
    rows = []
    for a in theme_ids:
        for b in theme_ids:
            both = len(sets[a] & sets[b])
            either = len(sets[a] | sets[b])
            rows.append(
                {
                    "theme_a": a,
                    "theme_b": b,
                    "n_both": both,
                    "n_a": len(sets[a]),
                    "n_b": len(sets[b]),
                    "jaccard": both / either if either else 0.0,
                }
            )
    return pd.DataFrame(rows)
