"""One visual language: the template, theme colours, escaped hover text and small-n suppression."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from coprod_analysis.config import MIN_COUNT

if TYPE_CHECKING:
    import pandas as pd

TEMPLATE = "coprod"
# Paul Tol's "muted" palette (colour-blind safe), for anything that is not a codebook theme;
# its four pale colours darkened just enough to reach 3:1 against white (`readable`).
PALETTE = [
    "#332288",
    "#117733",
    "#9b8f53",  # #DDCC77
    "#CC6677",
    "#6699b2",  # #88CCEE
    "#41a291",  # #44AA99
    "#882255",
    "#999933",
    "#AA4499",
    "#909090",  # #DDDDDD
]
FONT = "Atkinson Hyperlegible, Verdana, Arial, sans-serif"


@lru_cache(maxsize=1)
def template() -> str:
    """Register the project's plotly template once and return its name.

    Example:
        >>> from coprod_analysis.charts.style import template
        >>> template()
        'coprod'
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    pio.templates[TEMPLATE] = go.layout.Template(
        layout={
            "font": {"family": FONT, "size": 15, "color": "#222222"},
            "title": {"font": {"size": 19}, "x": 0.01, "xanchor": "left"},
            "colorway": PALETTE,
            "plot_bgcolor": "white",
            "paper_bgcolor": "white",
            "xaxis": {
                "showgrid": False,
                "linecolor": "#555555",
                "ticks": "outside",
                "automargin": True,
            },
            "yaxis": {
                "gridcolor": "#E5E5E5",
                "linecolor": "#555555",
                "zeroline": False,
                "automargin": True,
            },
            "legend": {"title": {"font": {"size": 14}}},
            "hoverlabel": {"font": {"family": FONT, "size": 14}},
            "margin": {"l": 70, "r": 30, "t": 80, "b": 60},
        }
    )
    return TEMPLATE


def esc(value: object) -> str:
    """HTML-escape any text shown in a chart (labels, hover text, titles from data).

    Example:
        >>> from coprod_analysis.charts.style import esc
        >>> esc("<b>bold</b> & co")
        '&lt;b&gt;bold&lt;/b&gt; &amp; co'
    """
    return html.escape(str(value), quote=True)


def count(n: Any, *, min_count: int = MIN_COUNT) -> str:
    """Show a count, or ``<3`` (with the configured threshold) when it is small but not zero.

    Example:
        >>> from coprod_analysis.charts.style import count
        >>> count(2), count(0), count(17)
        ('<3', '0', '17')
    """
    if n != n:  # NaN
        return "n/a"
    n = int(n)
    return f"<{min_count}" if 0 < n < min_count else str(n)


def contrast(colour: str, background: str = "#ffffff") -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Example:
        >>> from coprod_analysis.charts.style import contrast
        >>> round(contrast("#DDCC77"), 1), round(contrast("#332288"), 1)
        (1.6, 12.2)
    """

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: str, *, at_least: float = 3.0) -> str:
    """The colour, darkened just enough to reach ``at_least``:1 against white (WCAG 1.4.11).

    Example:
        >>> from coprod_analysis.charts.style import contrast, readable
        >>> from coprod_analysis.charts.style import readable
        >>> readable("#332288"), readable("#DDCC77"), round(contrast(readable("#DDCC77")), 1)
        ('#332288', '#9b8f53', 3.3)
    """
    if not colour.startswith("#") or len(colour) != 7:
        return colour
    shade, rgb = colour, [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 21):
        if contrast(shade) >= at_least:
            return shade
        shade = "#" + "".join(f"{round(c * (1 - step / 20)):02x}" for c in rgb)
    return shade


def colour_map(codebook=None) -> dict[str, str]:
    """Each theme's colour from the codebook, darkened where it is under 3:1 against white.

    A theme looks the same everywhere; a pale codebook colour becomes a darker shade of itself.
    Without a codebook there is no theme colour (charts use their own palette); nothing is read
    from disk here.

    Example:
        >>> from coprod_analysis.charts.style import colour_map
        >>> colour_map()
        {}
    """
    return {} if codebook is None else {t: readable(c) for t, c in codebook.colours.items()}


def theme_label(theme: str, codebook=None) -> str:
    """The plain-English label of a theme id (the id itself when unknown or with no codebook).

    Example:
        >>> from coprod_analysis.charts.style import theme_label
        >>> theme_label("power")
        'power'
    """
    if codebook is None or theme not in codebook.ids:
        return theme
    return codebook.theme(theme).label


def finish(fig, *, title: str, description: str, x: str | None = None, y: str | None = None):
    """Apply the template, the title and axis titles, and store the alt-text description."""
    fig.update_layout(
        template=template(), title={"text": esc(title)}, meta={"description": esc(description)}
    )
    if x is not None:
        fig.update_xaxes(title_text=esc(x))
    if y is not None:
        fig.update_yaxes(title_text=esc(y))
    return fig


def describe(fig) -> str:
    """Return a one-paragraph plain-text description of a chart, for alt text and screen readers.

    The text is not HTML-escaped: escape it wherever it is rendered.

    Example:
        >>> describe(theme_prevalence(shifts))  # doctest: +SKIP
    """
    meta = fig.layout.meta or {}
    title = fig.layout.title.text or "Chart"
    text = meta.get("description") if isinstance(meta, dict) else None
    return html.unescape(f"{title}. {text}" if text else f"{title}. {len(fig.data)} series.")


def error_bars(part: pd.DataFrame, value: str) -> dict:
    """Asymmetric error bars from ``ci_low``/``ci_high`` around a value column."""
    return {
        "type": "data",
        "symmetric": False,
        "array": list(part["ci_high"] - part[value]),
        "arrayminus": list(part[value] - part["ci_low"]),
    }


def sessions_in_order(table: pd.DataFrame) -> list[str]:
    """The sessions of a table in their order (its ``order`` column, else as they appear)."""
    if "order" in table:
        return list(table.sort_values("order")["session_id"].drop_duplicates())
    return list(dict.fromkeys(table["session_id"]))
