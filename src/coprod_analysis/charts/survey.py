"""Charts of survey answers: the ladder (now → hoped) and pre/post Likert distributions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.charts.style import PALETTE, count, esc, finish
from coprod_analysis.config import MIN_COUNT
from coprod_analysis.shifts.narrative import plural

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go


def ladder_change(
    ladder: pd.DataFrame, *, rungs: list[str] | None = None, min_count: int = MIN_COUNT
) -> go.Figure:
    """Per session: the mean rung now → the mean rung hoped for, with each n.

    Args:
        ladder: the output of :func:`coprod_analysis.ladder_shifts`.
        rungs: the rung names, lowest first, for the axis.
        min_count: counts below this show as ``<3``.

    Example:
        >>> ladder_change(cp.ladder_shifts(corpus.responses))  # doctest: +SKIP
    """
    # Long because one chart: a dumbbell per session, its axis of rung names and its text alternative.
    import plotly.graph_objects as go

    from coprod_analysis.shifts.ladder import default_rungs

    rungs = rungs or default_rungs()
    sessions = list(dict.fromkeys(ladder["session_id"]))
    means = (
        ladder.groupby("session_id", sort=False)
        .agg(
            now=("now", "mean"),
            hoped=("hoped", "mean"),
            n_now=("now", "count"),
            n_hoped=("hoped", "count"),
        )
        .loc[sessions]
    )
    fig = go.Figure()
    for s, r in means.iterrows():
        fig.add_trace(
            go.Scatter(
                x=[r.now, r.hoped],
                y=[s, s],
                mode="lines",
                line={"color": "#BBBBBB", "width": 4},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    # Now and hoped for differ in shape as well as colour (both at least 3:1 against white).
    for which, colour, n_col, symbol in (
        ("now", PALETTE[0], "n_now", "circle"),
        ("hoped", PALETTE[1], "n_hoped", "diamond"),
    ):
        fig.add_trace(
            go.Scatter(
                x=list(means[which]),
                y=sessions,
                mode="markers",
                name="now" if which == "now" else "hoped for",
                marker={"size": 14, "color": colour, "symbol": symbol},
                hovertext=[
                    f"{esc(s)}: mean rung {which} {v:.1f} (n = {count(n, min_count=min_count)})"
                    for s, v, n in zip(sessions, means[which], means[n_col], strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(1, len(rungs) + 1)),
        ticktext=[esc(r) for r in rungs],
        range=[0.5, len(rungs) + 0.5],
    )
    fig.update_yaxes(autorange="reversed")
    parts = [
        f"{s}: {r.now:.1f} now, {r.hoped:.1f} hoped for (n = {count(r.n_now, min_count=min_count)})"
        for s, r in means.iterrows()
    ]
    return finish(
        fig,
        title="Where organisations place themselves on the ladder, now and hoped for",
        description="Mean rung per session, now and hoped for. " + "; ".join(parts) + ".",
        x="Rung of the ladder of participation",
    )


def ladder_distribution(dist: pd.DataFrame, *, min_count: int = MIN_COUNT) -> go.Figure:
    """Stacked shares of respondents on each rung, now and hoped for, session by session.

    Example:
        >>> ladder_distribution(cp.ladder_distribution(corpus.responses))  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    rungs = list(dict.fromkeys(dist.sort_values("rung_number")["rung"]))
    fig = go.Figure()
    for i, rung in enumerate(rungs):
        part = dist[dist["rung"] == rung]
        fig.add_trace(
            go.Bar(
                x=[list(part["session_id"].map(esc)), list(part["which"])],
                y=list(part["share"]),
                name=esc(rung),
                marker_color=PALETTE[i % len(PALETTE)],
                hovertext=[
                    f"{esc(r.session_id)}, {r.which}: {esc(rung)} {r.share:.0%} ({count(r.count, min_count=min_count)} of {count(r.n, min_count=min_count)})"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(tickformat=".0%")
    return finish(
        fig,
        title="How the spread of ladder rungs shifts across sessions",
        description=f"Share of respondents on each of {len(rungs)} rungs, now and hoped for, per session.",
        y="Share of respondents",
    )


def prepost_answers(dist: pd.DataFrame, *, question: str, min_count: int = MIN_COUNT) -> go.Figure:
    """Diverging stacked bars of one Likert question, before and after each session.

    Answers below the scale's middle go left, those above go right (the middle is split).

    Example:
        >>> prepost_answers(cp.likert_distribution(corpus.responses), question="confidence")  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    part = dist[dist["question"] == question]
    values = sorted(part["value"].unique())
    middle = (min(values) + max(values)) / 2 if values else 0
    rows = list(dict.fromkeys(zip(part["session_id"], part["timing"], strict=True)))
    labels = [f"{esc(s)} · {t}" for s, t in rows]
    fig = go.Figure()
    for i, value in enumerate(values):
        sub = part[part["value"] == value].set_index(["session_id", "timing"])
        shares = [float(sub.loc[r, "share"]) if r in sub.index else 0.0 for r in rows]
        counts = [int(sub.loc[r, "count"]) if r in sub.index else 0 for r in rows]
        ns = [
            int(part[(part.session_id == r[0]) & (part.timing == r[1])]["n"].iloc[0]) for r in rows
        ]
        sign = -1 if value < middle else 1
        factor = 0.5 if value == middle else 1
        answer = esc(sub["answer"].iloc[0]) if len(sub) else str(value)
        for half in (-1, 1) if value == middle else (sign,):
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=[half * s * factor for s in shares],
                    orientation="h",
                    name=answer,
                    legendgroup=answer,
                    showlegend=bool(half == sign or value != middle),
                    marker_color=PALETTE[i % len(PALETTE)],
                    hovertext=[
                        f"{lbl}: {answer} {s:.0%} ({count(c, min_count=min_count)} of {count(n, min_count=min_count)})"
                        for lbl, s, c, n in zip(labels, shares, counts, ns, strict=True)
                    ],
                    hoverinfo="text",
                )
            )
    fig.update_layout(barmode="relative")
    fig.update_xaxes(tickformat=".0%")
    fig.update_yaxes(autorange="reversed")
    return finish(
        fig,
        title=f"Answers to '{question}' before and after each session",
        description=f"Distribution of answers to '{question}' before and after each of {plural(len({r[0] for r in rows}), 'session')}; lower answers to the left, higher to the right.",
        x="Share of respondents",
    )
