"""Theme prevalence per session, for segments and for participants, with honest intervals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.shifts.stats import newcombe, wilson

if TYPE_CHECKING:
    import pandas as pd

NON_PARTICIPANTS = {"Facilitator"}


def _session_order(segments: pd.DataFrame, sessions: pd.DataFrame | None) -> dict[str, int]:
    if sessions is not None and "order" in sessions:
        return dict(zip(sessions["session_id"], sessions["order"], strict=True))
    return {s: i for i, s in enumerate(dict.fromkeys(segments["session_id"]), start=1)}


def theme_shifts(
    segments: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    sessions: pd.DataFrame | None = None,
    theme_ids: list[str] | None = None,
) -> pd.DataFrame:
    """Per session × theme: how many segments and participants mention the theme, with intervals.

    Args:
        segments: the ``segments`` table (``segment_id, session_id``; ``speaker`` for the
            participant share).
        themes: the ``themes`` table (``segment_id, theme``); any method counts.
        sessions: the ``sessions`` table, for session order (default: order of appearance).
        theme_ids: the themes to report, in this order (default: those in ``themes``).

    Returns:
        One row per session × theme, sessions in order:

        - ``n_segments``, ``n_with_theme``, ``share``, ``ci_low``, ``ci_high``: segments
          mentioning the theme, with a Wilson 95% interval;
        - ``n_participants``, ``n_participants_with_theme``, ``participant_share``,
          ``participant_ci_low``, ``participant_ci_high``: pseudonymised speakers and
          respondents (not facilitators) who mention it at least once;
        - ``change``, ``change_low``, ``change_high``: the change in segment share from the
          previous session, with Newcombe's 95% interval;
        - ``within_noise``: True when that interval includes 0 (the test: a two-sided 95%
          Newcombe hybrid score interval for a difference of two proportions), so the chart
          must not present it as a shift; empty for the first session.

    Example:
        >>> theme_shifts(corpus.segments, tags, sessions=corpus.sessions)  # doctest: +SKIP
    """
    import pandas as pd

    order = _session_order(segments, sessions)
    tagged = themes[["segment_id", "theme"]].drop_duplicates()
    theme_ids = theme_ids or list(dict.fromkeys(tagged["theme"]))
    seg = segments[["segment_id", "session_id", *(["speaker"] if "speaker" in segments else [])]]
    merged = tagged.merge(seg, on="segment_id")
    rows = []
    for session_id in sorted(seg["session_id"].unique(), key=lambda s: order.get(s, 0)):
        in_session = seg[seg["session_id"] == session_id]
        people = set()
        if "speaker" in in_session:
            people = {p for p in in_session["speaker"].dropna() if p not in NON_PARTICIPANTS}
        found = merged[merged["session_id"] == session_id]
        for theme in theme_ids:
            hits = found[found["theme"] == theme]
            k = hits["segment_id"].nunique()
            speakers = {
                p for p in hits.get("speaker", pd.Series(dtype=str)).dropna() if p in people
            }
            low, high = wilson(k, len(in_session))
            plow, phigh = wilson(len(speakers), len(people))
            rows.append(
                {
                    "session_id": session_id,
                    "order": order.get(session_id, 0),
                    "theme": theme,
                    "n_segments": len(in_session),
                    "n_with_theme": k,
                    "share": k / len(in_session) if len(in_session) else float("nan"),
                    "ci_low": low,
                    "ci_high": high,
                    "n_participants": len(people),
                    "n_participants_with_theme": len(speakers),
                    "participant_share": len(speakers) / len(people) if people else float("nan"),
                    "participant_ci_low": plow,
                    "participant_ci_high": phigh,
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    changes = []
    for _, group in table.groupby("theme", sort=False):
        previous = None
        for row in group.itertuples():
            if previous is None:
                changes.append((row.Index, float("nan"), float("nan"), float("nan"), pd.NA))
            else:
                d, low, high = newcombe(
                    previous.n_with_theme, previous.n_segments, row.n_with_theme, row.n_segments
                )
                changes.append((row.Index, d, low, high, bool(low <= 0 <= high)))
            previous = row
    extra = pd.DataFrame(
        changes, columns=["index", "change", "change_low", "change_high", "within_noise"]
    ).set_index("index")
    table = table.join(extra)
    table["within_noise"] = table["within_noise"].astype("boolean")
    return table
