"""Charts of themes: prevalence over sessions, one question's themes, co-occurrence, tone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.charts.style import (
    PALETTE,
    colour_map,
    count,
    error_bars,
    esc,
    finish,
    sessions_in_order,
    theme_label,
)
from coprod_analysis.config import MIN_COUNT
from coprod_analysis.shifts.narrative import plural

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


SYMBOLS = [
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "x",
    "star",
    "hexagon",
    "cross",
    "pentagon",
]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def _is_false(value) -> bool:
    """True only for False (numpy or pandas too); not for True, None or NA.

    Example:
        >>> from coprod_analysis.charts.themes import _is_false
        >>> import pandas as pd
        >>> [_is_false(v) for v in pd.array([True, False, None], dtype="boolean")]
        [False, True, False]
    """
    import pandas as pd

    return not pd.isna(value) and not bool(value)


MAX_LINES = 4  # more themes than this: one small panel per theme instead of one tangle


def _prevalence_traces(part, *, n: int, colour: str, label: str, theme: str, min_count: int):
    """One theme's interval band and line, markers hollow where the change is within noise."""
    import plotly.graph_objects as go

    x = list(part.index)
    band = go.Scatter(
        x=x + x[::-1],
        y=list(part["ci_high"]) + list(part["ci_low"])[::-1],
        fill="toself",
        mode="lines",
        fillcolor=_rgba(colour, 0.15),
        line={"width": 0},
        hoverinfo="skip",
        showlegend=False,
        legendgroup=theme,
        name=f"{esc(label)} 95% interval",
    )
    noise = part.get("within_noise")
    hover = [
        f"{esc(s)}<br>{esc(label)}: {r.share:.0%} of contributions "
        f"({count(r.n_with_theme, min_count=min_count)} of {count(r.n_segments, min_count=min_count)})"
        f"<br>95% interval {r.ci_low:.0%}–{r.ci_high:.0%}"
        for s, r in part.iterrows()
    ]
    line = go.Scatter(
        x=x,
        y=list(part["share"]),
        mode="lines+markers",
        name=esc(label),
        legendgroup=theme,
        # Told apart without colour too: a dash pattern and a marker shape per theme.
        line={"color": colour, "width": 3, "dash": DASHES[n % len(DASHES)]},
        marker={
            "size": 10,
            "symbol": SYMBOLS[n % len(SYMBOLS)],
            # within_noise is pandas' nullable boolean: True, False or NA.
            # The first session is the baseline (filled); after it, only a change
            # the test flagged (within_noise False) is filled, untested ones hollow.
            "color": [
                (colour if i == 0 or _is_false(v) else "white")
                for i, v in enumerate(noise if noise is not None else [None] * len(x))
            ],
            "line": {"color": colour, "width": 2},
        },
        hovertext=hover,
        hoverinfo="text",
    )
    return band, line


def theme_prevalence(
    shifts: pd.DataFrame, *, codebook=None, min_count: int = MIN_COUNT
) -> go.Figure:
    """Share of contributions mentioning each theme per session, with 95% interval bands.

    Up to :data:`MAX_LINES` themes share one panel, each line labelled at its end; more themes
    get one small panel each (small multiples, shared axes), so no line hides another. A hollow
    marker means the change from the previous session is within the noise: the test on
    participants, adjusted for many comparisons, does not flag it (``within_noise``).

    Args:
        shifts: the output of :func:`coprod_analysis.theme_shifts`.
        codebook: for each theme's colour and label.
        min_count: counts below this show as ``<3``.

    Example:
        >>> fig = theme_prevalence(cp.theme_shifts(corpus.segments, tags))  # doctest: +SKIP
    """
    # Long because two layouts of the same traces (one panel with line-end labels, or small multiples), chosen by the number of themes.
    import math

    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    colours = colour_map(codebook)
    sessions = sessions_in_order(shifts)
    groups = list(shifts.groupby("theme", sort=False))
    multiples = len(groups) > MAX_LINES
    cols = 3
    rows = math.ceil(len(groups) / cols)
    if multiples:
        fig = make_subplots(
            rows=rows,
            cols=cols,
            shared_xaxes=True,
            shared_yaxes=True,
            subplot_titles=[esc(theme_label(str(theme), codebook)) for theme, _ in groups],
            vertical_spacing=0.12,
            horizontal_spacing=0.04,
        )
    else:
        fig = go.Figure()
    summary = []
    for n, (key, part) in enumerate(groups):
        theme = str(key)
        part = part.set_index("session_id").loc[
            [s for s in sessions if s in set(part["session_id"])]
        ]
        colour = colours.get(theme) or PALETTE[n % len(PALETTE)]
        label = theme_label(theme, codebook)
        traces = _prevalence_traces(
            part, n=n, colour=colour, label=label, theme=theme, min_count=min_count
        )
        where = {"row": n // cols + 1, "col": n % cols + 1} if multiples else {}
        for trace in traces:
            fig.add_trace(trace, **where)
        first, last = part["share"].iloc[0], part["share"].iloc[-1]
        summary.append(f"{label} {first:.0%} to {last:.0%}")
        if len(part) and not multiples:  # a direct label at the line's end, not a legend
            fig.add_annotation(
                x=part.index[-1],
                y=last,
                text=esc(label),
                showarrow=False,
                xanchor="left",
                xshift=10,
                font={"color": colour},
            )
    description = (
        f"Share of contributions mentioning each theme in {plural(len(sessions), 'session')}, with 95% intervals"
        + (", one panel per theme" if multiples else "")
        + ": "
        + "; ".join(summary)
        + ". Hollow markers are changes that the test on participants, corrected for many "
        "comparisons, cannot tell apart from no change."
    )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    if multiples:
        short = {s: f"S{i}" for i, s in enumerate(sessions, start=1)}
        fig.update_xaxes(tickvals=sessions, ticktext=[short[s] for s in sessions])
        fig.update_yaxes(matches="y")  # one scale across every panel, not per row
        fig.update_layout(showlegend=False, height=260 * rows + 120)
        description += " Sessions are S1 to S" + str(len(sessions)) + ", in order."
    else:
        fig.update_layout(showlegend=False, margin={"r": 120})
    fig = finish(
        fig,
        title="How often each theme came up, session by session",
        description=description,
        x=None if multiples else "Session",
        y=None if multiples else "Share of contributions",
    )
    if multiples:
        fig.update_yaxes(title_text="Share", col=1)
        fig.update_xaxes(title_text="Session", row=rows)
    return fig


def question_themes(
    table: pd.DataFrame, *, question: str, codebook=None, min_count: int = MIN_COUNT
) -> go.Figure:
    """Small multiples: for one free-text question, each theme's share of answers per session.

    Example:
        >>> question_themes(cp.question_shifts(corpus.segments, tags, "definition"), question="definition")  # doctest: +SKIP
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    table = table.loc[table["kind"] == "theme"] if "kind" in table else table
    colours = colour_map(codebook)
    theme_ids = list(dict.fromkeys(table["theme"]))
    cols = min(3, max(1, len(theme_ids)))
    rows = -(-len(theme_ids) // cols) if theme_ids else 1
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[esc(theme_label(t, codebook)) for t in theme_ids],
        shared_yaxes=True,
    )
    for i, theme in enumerate(theme_ids):
        part = table[table["theme"] == theme]
        fig.add_trace(
            go.Bar(
                x=list(part["session_id"]),
                y=list(part["share"]),
                marker_color=colours.get(theme) or PALETTE[i % len(PALETTE)],
                error_y=error_bars(part, "share"),
                hovertext=[
                    f"{esc(r.session_id)}: {r.share:.0%} of answers ({count(r.n_with_theme, min_count=min_count)} of {count(r.n_segments, min_count=min_count)})"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
                name=esc(theme_label(theme, codebook)),
                showlegend=False,
            ),
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_yaxes(tickformat=".0%")
    n = table.groupby("session_id")["n_segments"].first()
    description = f"Answers to '{question}' per session (n = {', '.join(count(v, min_count=min_count) for v in n)}), and the share carrying each of {len(theme_ids)} themes, with 95% intervals."
    return finish(
        fig,
        title=f"What answers to '{question}' talked about, session by session",
        description=description,
    )


def theme_cooccurrence(co: pd.DataFrame, *, codebook=None, min_count: int = MIN_COUNT) -> go.Figure:
    """Heatmap of how many segments carry each pair of themes (the diagonal: each theme alone).

    Example:
        >>> theme_cooccurrence(cp.cooccurrence(tags))  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    theme_ids = list(dict.fromkeys(co["theme_a"]))
    labels = [esc(theme_label(t, codebook)) for t in theme_ids]
    grid = co.pivot(index="theme_a", columns="theme_b", values="n_both").loc[theme_ids, theme_ids]
    text = [[count(v, min_count=min_count) for v in row] for row in grid.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=labels,
            y=labels,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            hovertemplate="%{y} and %{x}: %{text} contributions<extra></extra>",
            colorbar={"title": {"text": "contributions"}},
        )
    )
    off = co[co["theme_a"] < co["theme_b"]].sort_values("n_both", ascending=False)
    top = off.iloc[0] if len(off) else None
    description = f"Segments carrying each pair of {len(theme_ids)} themes. " + (
        f"The most frequent pair is {theme_label(top.theme_a, codebook)} with {theme_label(top.theme_b, codebook)} ({count(top.n_both, min_count=min_count)} contributions)."
        if top is not None
        else ""
    )
    fig.update_yaxes(autorange="reversed")
    return finish(
        fig, title="Which themes come up together in the same segment", description=description
    )


def theme_tone(tone: pd.DataFrame, *, codebook=None, min_count: int = MIN_COUNT) -> go.Figure:
    """Mean tone per theme and session with 95% intervals (exploratory; the caveat is shown).

    Example:
        >>> theme_tone(cp.tone_by_theme(corpus.segments, tags))  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    from coprod_analysis.shifts.tone import CAVEAT

    colours = colour_map(codebook)
    fig = go.Figure()
    for n, (key, part) in enumerate(tone.groupby("theme", sort=False)):
        theme = str(key)
        part = part.sort_values("order")
        label = theme_label(theme, codebook)
        fig.add_trace(
            go.Scatter(
                x=list(part["session_id"]),
                y=list(part["mean_tone"]),
                mode="markers+lines",
                name=esc(label),
                line={"color": colours.get(theme) or PALETTE[n % len(PALETTE)], "dash": "dot"},
                error_y=error_bars(part, "mean_tone"),
                hovertext=[
                    f"{esc(r.session_id)}, {esc(label)}: mean tone {r.mean_tone:+.2f} (n = {count(r.n, min_count=min_count)})"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
            )
        )
    fig.add_hline(y=0, line={"color": "#999999", "width": 1})
    fig.add_annotation(
        text=esc(CAVEAT),
        xref="paper",
        yref="paper",
        x=0,
        y=-0.28,
        showarrow=False,
        align="left",
        font={"size": 12},
    )
    fig.update_layout(margin={"b": 130})
    description = f"Mean tone (−1 negative to +1 positive) of contributions per theme and session, with 95% intervals. {CAVEAT}"
    return finish(
        fig,
        title="Tone of talk about each theme (exploratory)",
        description=description,
        x="Session",
        y="Mean tone",
    )
