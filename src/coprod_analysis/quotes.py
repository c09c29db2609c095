"""Quotes for people to read: escaped lists for the funders' report, searchable tables for researchers."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

QUOTE_COLUMNS = ["session_id", "source_kind", "speaker", "question", "themes", "text"]


def quotes_html(segments, themes, theme: str, *, label: str, k: int = 3, seed: int = 2) -> str:
    """A heading and up to k anonymised quotes for a theme, as escaped HTML.

    Quotes are segments of 12–60 words tagged with the theme, drawn with a fixed seed; their
    text and session are HTML-escaped, so a participant's markup shows as text.

    Example:
        >>> quotes_html(corpus.segments, tags, "power", label="Power")  # doctest: +SKIP
    """
    ids = set(themes.loc[themes["theme"] == theme, "segment_id"])
    pool = segments[segments["segment_id"].isin(ids) & segments["n_words"].between(12, 60)]
    picked = pool.sample(min(k, len(pool)), random_state=seed) if len(pool) else pool
    items = "".join(
        f"<li>{html.escape(str(text))} <em>({html.escape(str(session))})</em></li>"
        for text, session in zip(picked["text"], picked["session_id"], strict=True)
    )
    body = f"<ul>{items}</ul>" if items else "<p>No quotes for this theme.</p>"
    return f"<h3>{html.escape(label)}</h3>{body}"


def quote_table(
    segments: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    tagged_only: bool = True,
) -> pd.DataFrame:
    """One row per segment with its session, kind, pseudonymised speaker, question and themes.

    Args:
        segments: the segments table (text already redacted and pseudonymised at ingest).
        themes: the themes table from :func:`coprod_analysis.tag_themes`.
        labels: theme id → label for the ``themes`` column; ids are shown when missing.
        tagged_only: keep only segments that carry at least one theme.

    Returns:
        Columns ``session_id, source_kind, speaker, question, themes, text``; ``themes`` lists
        the labels in codebook order joined by ``"; "``.

    Example:
        >>> import pandas as pd
        >>> segments = pd.DataFrame({"segment_id": ["a", "b"], "session_id": ["s1", "s1"],
        ...     "source_kind": ["notes", "survey"], "speaker": ["P-1", ""], "question": ["", "wishlist"],
        ...     "text": ["Who holds the power?", "More time"]})
        >>> tags = pd.DataFrame({"segment_id": ["a"], "theme": ["power"]})
        >>> quote_table(segments, tags, labels={"power": "Power"})[["themes", "text"]].to_dict("records")
        [{'themes': 'Power', 'text': 'Who holds the power?'}]
    """
    labels = labels or {}
    order = {theme: i for i, theme in enumerate(labels)}
    tags = themes[["segment_id", "theme"]].drop_duplicates()
    tags = tags.assign(rank=tags["theme"].map(order).fillna(len(order))).sort_values(
        ["rank", "theme"]
    )
    joined = (
        tags.assign(label=tags["theme"].map(lambda t: labels.get(t, t)))
        .groupby("segment_id", sort=False)["label"]
        .agg("; ".join)
        .rename("themes")
    )
    table = segments.merge(
        joined, how="inner" if tagged_only else "left", left_on="segment_id", right_index=True
    )
    table = table[QUOTE_COLUMNS].reset_index(drop=True)
    return table.astype(object).where(table.notna(), "").astype(str)


def show_quotes(table: pd.DataFrame, *, caption: str = "Quotes") -> None:
    """Show a quote table as a searchable, sortable table that works offline (itables).

    The DataTables code is embedded in the notebook, so exported HTML needs no network, and
    cell text is HTML-escaped. Call it in a notebook cell; outside Jupyter it prints HTML.

    Example:
        >>> show_quotes(quote_table(corpus.segments, tags), caption="Every tagged segment")  # doctest: +SKIP
    """
    import itables

    itables.init_notebook_mode(all_interactive=False, connected=False)
    itables.show(
        table,
        caption=caption,
        allow_html=False,
        showIndex=False,
        display_logo_when_loading=False,
        column_filters="footer",
        lengthMenu=[10, 25, 100],
        classes="display compact",
        style="table-layout:fixed;width:100%;margin:0",
        autoWidth=False,
        columnDefs=[{"width": "45%", "targets": [len(table.columns) - 1]}],
    )
