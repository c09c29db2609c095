"""Dropdowns that let a reader pick one theme or one session in a chart (plotly updatemenus)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.charts.style import PALETTE, count, esc, finish, theme_label
from coprod_analysis.config import MIN_COUNT
from coprod_analysis.shifts.narrative import plural

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go


def add_picker(fig: go.Figure, *, label: str, all_label: str | None = None) -> go.Figure:
    """Add a dropdown that shows every trace, or only the traces of one ``legendgroup``.

    Groups are the traces' legendgroups in order of appearance; traces without one stay
    visible under every choice. The figure is changed in place and returned.

    Args:
        fig: a figure whose traces carry ``legendgroup`` (a theme or session id).
        label: what the reader picks, e.g. ``"Theme"``.
        all_label: the first choice, which shows everything (default ``"All themes"`` for
            ``label="Theme"``).

    Example:
        >>> from coprod_analysis.charts.picker import add_picker
        >>> import plotly.graph_objects as go
        >>> fig = go.Figure([go.Bar(y=[1], legendgroup="s1", name="s1"), go.Bar(y=[2], legendgroup="s2", name="s2")])
        >>> [b.label for b in add_picker(fig, label="Session").layout.updatemenus[0].buttons]
        ['All sessions', 's1', 's2']
        >>> add_picker(fig, label="Session").layout.updatemenus[0].buttons[2].args[0]["visible"]
        [False, True]
    """
    groups = list(dict.fromkeys(t.legendgroup for t in fig.data if t.legendgroup))
    names = {t.legendgroup: t.name for t in fig.data if t.legendgroup and t.showlegend is not False}
    all_label = all_label or f"All {label.lower()}s"
    buttons = [
        {
            "label": esc(all_label),
            "method": "restyle",
            "args": [{"visible": [True] * len(fig.data)}],
        }
    ]
    for group in groups:
        visible = [t.legendgroup in (group, None, "") for t in fig.data]
        buttons.append(
            {
                "label": names.get(group, esc(group)),
                "method": "restyle",
                "args": [{"visible": visible}],
            }
        )
    fig.update_layout(
        updatemenus=[
            {
                "buttons": buttons,
                "direction": "down",
                "showactive": True,
                "x": 1.0,
                "xanchor": "right",
                "y": 1.02,
                "yanchor": "bottom",
            }
        ],
        margin={"t": 110},
    )
    return fig


def session_profile(
    shifts: pd.DataFrame, *, codebook=None, min_count: int = MIN_COUNT
) -> go.Figure:
    """Each theme's share of one session's segments, with 95% intervals and a session dropdown.

    Args:
        shifts: the output of :func:`coprod_analysis.theme_shifts` (all themes).
        codebook: for each theme's label and order.
        min_count: counts below this show as ``<3`` in the hover text.

    Example:
        >>> session_profile(results.theme_shifts).show()  # doctest: +SKIP
    """
    import plotly.graph_objects as go

    from coprod_analysis.charts.style import error_bars, sessions_in_order

    theme_ids = list(dict.fromkeys(shifts["theme"]))
    fig = go.Figure()
    sessions = sessions_in_order(shifts)
    for i, session in enumerate(sessions):
        part = (
            shifts[shifts["session_id"] == session]
            .set_index("theme")
            .reindex(theme_ids)
            .dropna(subset=["share"])
        )
        labels = [esc(theme_label(t, codebook)) for t in part.index]
        fig.add_trace(
            go.Bar(
                x=list(part["share"]),
                y=labels,
                orientation="h",
                name=esc(session),
                legendgroup=esc(session),
                marker={"color": PALETTE[i % len(PALETTE)]},
                error_x=error_bars(part, "share"),
                hovertext=[
                    f"{esc(session)} · {label}: {r.share:.0%} "
                    f"({count(r.n_with_theme, min_count=min_count)} of {count(r.n_segments, min_count=min_count)} contributions)"
                    f"<br>95% interval {r.ci_low:.0%}–{r.ci_high:.0%}"
                    for label, r in zip(labels, part.itertuples(), strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="group", height=max(380, 60 * len(theme_ids)))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", rangemode="tozero")
    last = (
        shifts[shifts["session_id"] == sessions[-1]].sort_values("share", ascending=False)
        if sessions
        else shifts
    )
    top = (
        f"; in {sessions[-1]} the most frequent was {theme_label(last['theme'].iloc[0], codebook)} "
        f"({last['share'].iloc[0]:.0%})"
        if len(last)
        else ""
    )
    finish(
        fig,
        title="What each session talked about",
        description=f"Share of each session's contributions mentioning each of {len(theme_ids)} themes, "
        f"in {plural(len(sessions), 'session')}, with 95% intervals{top}. Pick a session in the dropdown.",
        x="Share of the session's contributions",
    )
    return add_picker(fig, label="Session")
