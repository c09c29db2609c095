"""How many segments carry each theme, session by session (a plain count, no inference)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def theme_counts(segments: pd.DataFrame, tags: pd.DataFrame, theme_ids: list[str]) -> pd.DataFrame:
    """Return segments per theme per session (themes in codebook order), with segment counts.

    Example:
        >>> from coprod_analysis.shifts import theme_counts
        >>> theme_counts(corpus.segments, tags, codebook.ids)  # doctest: +SKIP
    """
    import pandas as pd

    found = (
        tags[["segment_id", "theme"]]
        .drop_duplicates()
        .merge(segments[["segment_id", "session_id"]], on="segment_id")
    )
    table = pd.crosstab(found["session_id"], found["theme"])
    table = table.reindex(index=segments["session_id"].unique(), columns=theme_ids, fill_value=0)
    table.insert(0, "segments", segments.groupby("session_id").size())
    return table
