"""Highlighted evidence: why each theme was found in a text, shown in the text as written.

Rule matches are marked in the theme's colour. For a tag the classifier or the similarity
made, a line under the text gives its probability or score and the closest coded example, and
the words that weigh most in the classifier's decision are underlined. One legend heads each
display, naming only the themes in it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.themes.rules import base_nlp, theme_matches, theme_nlp

if TYPE_CHECKING:
    import pandas as pd

    from coprod_analysis.themes.learned import LearnedThemes

METHODS = {
    "rule": "a codebook phrase",
    "rules": "a codebook phrase",
    "semantic": "closeness in meaning to the theme",
    "learned": "the classifier trained on hand-coding",
}


class Highlights(str):
    """HTML of highlighted texts: a string, shown rendered in Jupyter."""

    def _repr_html_(self) -> str:
        return str(self)


def _blank(value) -> bool:
    return value is None or value != value or str(value).strip() in ("", "nan", "None")


def _spans(text: str, codebook: Codebook, words: dict[str, list[str]]) -> list[tuple]:
    """``(start, end, theme, kind)`` to mark: rule matches, and a classifier's weighty words."""
    found = [(m.start, m.end, m.theme, "rule") for m in theme_matches(theme_nlp(codebook)(text))]
    if words:
        doc = base_nlp()(text)
        lemmas = [t.lemma_.lower() for t in doc]
        for theme, terms in words.items():
            for term in terms:
                parts = term.split()
                for i in range(len(doc) - len(parts) + 1):
                    if lemmas[i : i + len(parts)] == parts:
                        found.append(
                            (
                                doc[i].idx,
                                doc[i + len(parts) - 1].idx + len(doc[i + len(parts) - 1].text),
                                theme,
                                "word",
                            )
                        )
    # keep the first of overlapping spans (rules before words), in text order
    kept: list[tuple] = []
    for span in sorted(found, key=lambda s: (s[3] != "rule", s[0], s[1])):
        if all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def _marked(text: str, codebook: Codebook, words: dict[str, list[str]]) -> str:
    """The text as written, escaped, with its spans marked in the theme's colour."""
    out, at = [], 0
    for start, end, theme, kind in _spans(text, codebook, words):
        t = codebook.theme(theme)
        style = (
            f"background:{t.colour}40;border-radius:3px;padding:0 2px"
            if kind == "rule"
            else f"text-decoration:underline 2px dashed {t.colour};text-underline-offset:3px"
        )
        why = "codebook phrase" if kind == "rule" else "weighs most for the classifier"
        out += [
            html.escape(text[at:start]),
            f'<mark style="{style};color:inherit" title="{html.escape(t.label)}: {why}">'
            f"{html.escape(text[start:end])}</mark>",
        ]
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _why(tags: pd.DataFrame, codebook: Codebook, words: dict[str, list[str]]) -> str:
    """One line per tag: the theme, how it was found, its score, the closest coded example."""
    lines = []
    tag: Any  # a row of the tags table
    for tag in tags.itertuples(index=False):
        label = codebook.theme(tag.theme).label if tag.theme in codebook.ids else tag.theme
        method = str(getattr(tag, "method", ""))
        line = f"<b>{html.escape(label)}</b>: {html.escape(METHODS.get(method, method))}"
        score: Any = getattr(tag, "score", None)
        if not _blank(score) and method in ("learned", "semantic"):
            kind = "probability" if method == "learned" else "similarity"
            line += f", {kind} {float(score):.2f}"
        evidence = getattr(tag, "evidence", None)
        if not _blank(evidence):
            what = "closest coded example" if method == "learned" else "evidence"
            line += f"; {what}: “{html.escape(str(evidence))}”"
        if words.get(tag.theme):
            line += f"; words that weigh most: {html.escape(', '.join(words[tag.theme]))}"
        lines.append(f"<li>{line}</li>")
    return f'<ul class="coprod-why">{"".join(lines)}</ul>' if lines else ""


def show_themes(
    text_or_segments: str | pd.DataFrame,
    codebook: Codebook,
    *,
    tags: pd.DataFrame | None = None,
    learned: LearnedThemes | None = None,
    names: dict[str, str] | None = None,
    limit: int = 50,
) -> Highlights:
    """Show why each theme was found: marked in the text as written, and explained below it.

    Works inline in JupyterLab (the result renders itself) and as an HTML string for
    reports. All text is HTML-escaped; nothing is printed or warned.

    Args:
        text_or_segments: one text, or a DataFrame with ``text`` (and optionally
            ``segment_id``, ``speaker``, ``session_id`` for the headings).
        codebook: the themes, with their colours.
        tags: the themes table (``segment_id, theme, method, score, evidence``): each
            segment's tags are explained under it.
        learned: the trained classifier; the words that weigh most in its decisions are
            underlined.
        names: session id → the name people know it by, for the headings.
        limit: at most this many segments are rendered.

    Returns:
        The highlighted HTML (a ``str``), with one legend naming the themes shown.

    Example:
        >>> from coprod_analysis.codebooks import load_codebook
        >>> from coprod_analysis.themes import show_themes
        >>> html_text = show_themes("Funders <b>hold</b> the purse strings.", load_codebook())
        >>> "<b>hold" in html_text, "&lt;b&gt;hold" in html_text, "Funding and funders" in html_text
        (False, True, True)
    """
    import pandas as pd

    if isinstance(text_or_segments, str):
        text_or_segments = pd.DataFrame({"text": [text_or_segments]})
    parts, shown = [], []
    for row in text_or_segments.head(limit).to_dict("records"):
        text = str(row.get("text", ""))
        mine = (
            tags[tags["segment_id"] == row.get("segment_id")]
            if tags is not None
            else pd.DataFrame(columns=["theme"])
        )
        words = {}
        if learned is not None:
            words = {t: learned.weights(text, t) for t in mine["theme"] if t in learned.used}
        session = str(row.get("session_id"))
        row["session_id"] = (names or {}).get(session, row.get("session_id"))
        bits = [
            str(row[c]) for c in ("session_id", "speaker", "segment_id") if not _blank(row.get(c))
        ]
        head = (
            f'<div class="coprod-title"><b>{html.escape(" · ".join(bits))}</b></div>'
            if bits
            else ""
        )
        parts.append(
            f'<div class="coprod-highlight" style="margin:.6rem 0">{head}'
            f'<p style="line-height:1.9">{_marked(text, codebook, words)}</p>'
            f"{_why(mine, codebook, words)}</div>"
        )
        shown += [s[2] for s in _spans(text, codebook, words)] + list(mine["theme"])
    present = [t for t in codebook.themes if t.id in set(shown)]
    legend = " ".join(
        f'<span style="background:{t.colour}40;padding:0 4px;border-radius:3px">{html.escape(t.label)}</span>'
        for t in present
    )
    return Highlights(f'<div class="coprod-legend">{legend}</div>' + "".join(parts))
