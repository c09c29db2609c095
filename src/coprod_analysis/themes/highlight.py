"""Highlighted evidence: displaCy span rendering of the rule matches, coloured by theme."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from coprod_analysis.themes.codebook import Codebook, load_codebook
from coprod_analysis.themes.rules import theme_matches, theme_nlp

if TYPE_CHECKING:
    import pandas as pd


class Highlights(str):
    """HTML of highlighted texts: a string, shown rendered in Jupyter."""

    def _repr_html_(self) -> str:
        return str(self)


def _render(text: str, codebook: Codebook, title: str | None) -> str:
    from spacy import displacy

    doc = theme_nlp(codebook)(text)
    spans = []
    for match in theme_matches(doc):
        span = doc.char_span(match.start, match.end, label=codebook.theme(match.theme).label)
        if span is not None:
            spans.append(span)
    doc.spans["highlight"] = spans
    colours = {t.label: t.colour + "55" for t in codebook.themes}
    # displaCy escapes the text of every token it renders.
    rendered = displacy.render(
        doc, style="span", jupyter=False, options={"spans_key": "highlight", "colors": colours}
    )
    head = f'<div class="coprod-title"><b>{html.escape(title)}</b></div>' if title else ""
    return f'<div class="coprod-highlight">{head}{rendered}</div>'


def show_themes(
    text_or_segments: str | pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    limit: int = 50,
) -> Highlights:
    """Highlight where each theme was found, coloured by the codebook's colours.

    Works inline in JupyterLab (the result renders itself) and as an HTML string for
    reports. All text is HTML-escaped.

    Args:
        text_or_segments: one text, or a DataFrame with ``text`` (and optionally
            ``segment_id``, ``speaker``, ``session_id`` for the headings).
        codebook: the themes (default: ``config/codebook.yml``).
        limit: at most this many segments are rendered.

    Returns:
        The highlighted HTML (a ``str``).

    Example:
        >>> html_text = show_themes("Funders <b>hold</b> the purse strings.")
        >>> "<b>" in html_text, "&lt;" in html_text, "Funding and funders" in html_text
        (False, True, True)
    """
    codebook = codebook or load_codebook()
    if isinstance(text_or_segments, str):
        return Highlights(_render(text_or_segments, codebook, None))
    parts = []
    for row in text_or_segments.head(limit).itertuples():
        bits = [
            str(getattr(row, c))
            for c in ("session_id", "speaker", "segment_id")
            if getattr(row, c, None)
        ]
        parts.append(_render(str(row.text), codebook, " · ".join(bits) or None))
    legend = " ".join(
        f'<span style="background:{t.colour}55;padding:0 4px;border-radius:3px">{html.escape(t.label)}</span>'
        for t in codebook.themes
    )
    return Highlights(f'<div class="coprod-legend">{legend}</div>' + "".join(parts))
