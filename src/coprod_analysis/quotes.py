"""Quotes for people to read: escaped lists for the funders' report, searchable tables for researchers."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from itables.typing import ITableOptions

QUOTE_COLUMNS = [
    "segment_id",
    "session",
    "source_kind",
    "speaker",
    "question",
    "themes",
    "method",
    "score",
    "evidence",
    "text",
]
# The headers a researcher reads; the table's own columns stay short for code.
HEADERS = {
    "segment_id": "Segment ID",
    "session": "Session",
    "source_kind": "Kind",
    "speaker": "Speaker (pseudonym)",
    "question": "Survey question",
    "themes": "Themes",
    "method": "Found by",
    "score": "Score",
    "evidence": "Evidence",
    "text": "Text",
}
KINDS = {"notes": "Notes", "transcript": "Transcript", "survey": "Survey answer"}


def quotes_html(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    theme: str,
    *,
    label: str,
    k: int = 3,
    seed: int = 2,
) -> str:
    """A heading and up to k anonymised quotes for a theme, as escaped HTML.

    Quotes are segments of 12–60 words tagged with the theme, drawn with a fixed seed; their
    text and session are HTML-escaped, so a participant's markup shows as text.

    Example:
        >>> quotes_html(corpus.segments, tags, "power", label="Power")  # doctest: +SKIP
    """
    ids = set(tags.loc[tags["theme"] == theme, "segment_id"])
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
    tags: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
    tagged_only: bool = True,
) -> pd.DataFrame:
    """One row per segment: its id, session, kind, speaker, question, themes and why, and text.

    Args:
        segments: the segments table (text already redacted and pseudonymised at ingest).
        tags: the ``themes`` table from :func:`coprod_analysis.tag_themes`; ``method``,
            ``score`` and ``evidence`` are shown when present.
        labels: theme id → label for the ``themes`` column; ids are shown when missing.
        names: session id → the name people know it by (:func:`story.session_names`).
        tagged_only: keep only segments that carry at least one theme.

    Returns:
        Columns :data:`QUOTE_COLUMNS`, all text. ``themes`` lists the labels in codebook
        order joined by ``"; "``; ``method``, ``score`` and ``evidence`` follow the same order.
        Every segment is kept (one row each), however many themes it carries.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.quotes import quote_table
        >>> segments = pd.DataFrame({"segment_id": ["a", "b"], "session_id": ["s1", "s1"],
        ...     "source_kind": ["notes", "survey"], "speaker": ["P-1", None], "question": ["", "wishlist"],
        ...     "text": ["Who holds the power and the money?", "More time"]})
        >>> tags = pd.DataFrame({"segment_id": ["a", "a"], "theme": ["funding", "power"],
        ...     "method": ["rules", "learned"], "score": [1.0, 0.8123], "evidence": ["money", "power"]})
        >>> row = quote_table(segments, tags, labels={"power": "Power", "funding": "Funding"},
        ...     names={"s1": "Session 1"}).iloc[0]
        >>> row["session"], row["source_kind"], row["themes"], row["method"], row["score"]
        ('Session 1', 'Notes', 'Power; Funding', 'learned; rules', '0.81; 1.00')
    """
    import pandas as pd

    labels = labels or {}
    names = names or {}
    order = {theme: i for i, theme in enumerate(labels)}
    tags = tags.drop_duplicates(["segment_id", "theme"]).copy()
    for column in ("method", "evidence"):
        tags[column] = tags[column].fillna("").astype(str) if column in tags else ""
    tags["score"] = (
        pd.to_numeric(tags["score"]).map(lambda v: "" if v != v else f"{v:.2f}")
        if "score" in tags
        else ""
    )
    tags = tags.assign(
        rank=tags["theme"].map(order).fillna(len(order)),
        themes=tags["theme"].map(lambda t: labels.get(t, t)),
    ).sort_values(["rank", "theme"])
    joined = tags.groupby("segment_id", sort=False)[["themes", "method", "score", "evidence"]].agg(
        "; ".join
    )
    table = segments.merge(
        joined, how="inner" if tagged_only else "left", left_on="segment_id", right_index=True
    )
    table = table.assign(
        session=table["session_id"].map(lambda s: names.get(s, s)),
        source_kind=table["source_kind"].map(lambda k: KINDS.get(k, k)),
    )
    table = table[QUOTE_COLUMNS].reset_index(drop=True)
    return table.astype(object).where(table.notna(), "").astype(str)


# itables embeds the data in the page; maxBytes=0 switches off its silent downsampling (64 KB by
# default), so every row is there, in JupyterLab and in exported HTML alike.
_DATATABLE: ITableOptions = {
    "allow_html": False,
    "showIndex": False,
    "maxBytes": 0,
    "display_logo_when_loading": False,
    "column_filters": "header",
    "lengthMenu": [10, 25, 100, -1],
    "classes": "display compact",
    "style": "table-layout:fixed;width:100%;margin:0",
    "autoWidth": False,
}


def datatable_html(table: pd.DataFrame, *, caption: str = "Quotes") -> str:
    """A quote table as the HTML of a searchable, sortable table, with readable headers.

    Every row is embedded (no downsampling), cell text is escaped, and the column filters sit
    at the top. The page must load itables first (:func:`show_quotes` does).

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.quotes import datatable_html
        >>> "Segment ID" in datatable_html(pd.DataFrame({"segment_id": ["a"], "text": ["<b>hi</b>"]}))
        True
    """
    import itables

    shown = table.rename(columns=HEADERS)
    widths = [{"width": "40%", "targets": [len(shown.columns) - 1]}] if len(shown.columns) else []
    options: ITableOptions = {**_DATATABLE, "connected": False, "columnDefs": widths}
    return itables.to_html_datatable(shown, caption=caption, **options)


def show_quotes(table: pd.DataFrame, *, caption: str = "Quotes") -> None:
    """Show a quote table as a searchable, sortable table that works offline (itables).

    The DataTables code is embedded in the notebook, so exported HTML needs no network; every
    row is shown (pages of 10, 25, 100 or all), cell text is HTML-escaped, and the column
    filters sit above the rows. Call it in a notebook cell.

    Example:
        >>> show_quotes(quote_table(corpus.segments, tags), caption="Every tagged segment")  # doctest: +SKIP
    """
    import itables
    from IPython.display import HTML, display

    itables.init_notebook_mode(all_interactive=False, connected=False)
    display(HTML(datatable_html(table, caption=caption)))
