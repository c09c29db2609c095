"""Chart of topics over sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.charts.style import PALETTE, count, esc, finish
from coprod_analysis.config import MIN_COUNT
from coprod_analysis.shifts.narrative import plural

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go


def topics_over_sessions(
    shares: pd.DataFrame, *, top: int = 8, min_count: int = MIN_COUNT
) -> go.Figure:
    """Each topic's share of each session's segments, for the largest topics.

    Args:
        shares: ``TopicResult.shares`` (or the ``topic_shares`` table).
        top: how many of the largest topics to show.
        min_count: counts below this show as ``<3``.

    Example:
        >>> topics_over_sessions(cp.fit_topics(corpus.segments, codebook=codebook).shares)  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    shares = shares[shares["topic"] != -1]
    biggest = shares.groupby("topic")["count"].sum().nlargest(top).index
    sessions = list(shares.sort_values("order")["session_id"].drop_duplicates())
    fig = go.Figure()
    for i, topic in enumerate(biggest):
        part = shares[shares["topic"] == topic].set_index("session_id").reindex(sessions)
        label = esc(part["topic_label"].dropna().iloc[0])
        fig.add_trace(
            go.Scatter(
                x=sessions,
                y=list(part["share"].fillna(0)),
                mode="lines+markers",
                name=label,
                line={"color": PALETTE[i % len(PALETTE)]},
                hovertext=[
                    f"{esc(s)}: {label} {v:.0%} of contributions ({count(c if c == c else 0, min_count=min_count)} of {count(n, min_count=min_count)})"
                    for s, v, c, n in zip(
                        sessions,
                        part["share"].fillna(0),
                        part["count"],
                        part["n_segments"].ffill().bfill(),
                        strict=True,
                    )
                ],
                hoverinfo="text",
            )
        )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return finish(
        fig,
        title="How the main topics rise and fall across sessions",
        description=f"Share of each session's contributions in the {len(biggest)} largest topics, across {plural(len(sessions), 'session')}.",
        x="Session",
        y="Share of contributions",
    )
