"""One free-text survey question over the sessions: which themes and topics its answers carry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.shifts.stats import wilson
from coprod_analysis.shifts.themes import theme_shifts

if TYPE_CHECKING:
    import pandas as pd


def question_shifts(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    question: str,
    *,
    topics: pd.DataFrame | None = None,
    sessions: pd.DataFrame | None = None,
    theme_ids: list[str] | None = None,
) -> pd.DataFrame:
    """Theme (and topic) shares among the answers to one question, session by session.

    For example ``question_shifts(corpus.segments, tags, "definition")`` shows how the
    definitions of co-production moved between sessions.

    Returns:
        The columns of :func:`theme_shifts` (``kind`` = ``theme``), plus, when ``topics`` is
        given, rows with ``kind`` = ``topic``: ``session_id, theme`` (the topic label),
        ``n_segments, n_with_theme, share, ci_low, ci_high``.

    Example:
        >>> question_shifts(corpus.segments, tags, "wishlist")  # doctest: +SKIP
    """
    import pandas as pd

    answers = segments[segments["question"] == question]
    table = theme_shifts(answers, tags, sessions=sessions, theme_ids=theme_ids).assign(kind="theme")
    if topics is not None and not answers.empty:
        merged = answers[["segment_id", "session_id"]].merge(
            topics[["segment_id", "topic_label"]], on="segment_id"
        )
        rows = []
        for session_id, part in merged.groupby("session_id", sort=False):
            n = int((answers["session_id"] == session_id).sum())
            for label, k in part["topic_label"].value_counts().items():
                low, high = wilson(int(k), n)
                rows.append(
                    {
                        "session_id": session_id,
                        "theme": label,
                        "n_segments": n,
                        "n_with_theme": int(k),
                        "share": k / n,
                        "ci_low": low,
                        "ci_high": high,
                        "kind": "topic",
                    }
                )
        table = pd.concat([table, pd.DataFrame(rows)], ignore_index=True)
    return table
