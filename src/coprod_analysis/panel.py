"""The coding panel: a researcher codes segments by hand, one at a time, in a notebook.

The panel is a plain Python object (:class:`CodingPanel`) that a widget view drives, so tests
and scripts can code through the same methods a click calls. Every decision is saved at once,
atomically, to ``data/coding/<coder>.csv`` (:func:`~coprod_analysis.themes.coding.record_code`):
closing the browser loses nothing, and a new panel for the same coder resumes where it left
off. ``data/raw`` is never written.

**Blind** mode (the default, for agreement work) never shows the tagger's tags; **review**
mode pre-ticks them, for correction.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from coprod_analysis.themes.coding import coder_file, read_coding, record_code

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd

    from coprod_analysis.config import Paths

Mode = Literal["blind", "review"]
CHOICES = {
    "uncoded": "Not yet coded by me",
    "suggested": "Suggested next (least certain)",
    "session": "One session",
    "theme": "Tagged with a theme",
    "disagreed": "Coders disagree",
    "all": "All segments",
}


class CodingPanel:
    """Code segments one at a time; each decision is saved to the coder's file at once.

    Args:
        segments: the segments table (redacted and pseudonymised).
        labels: theme id → label, in codebook order: the themes that can be ticked.
        coder: the coder's name; their file is ``<folder>/<coder>.csv``.
        folder: the coding folder (``data/coding``).
        tags: the tagger's ``segment_id, theme`` (shown and pre-ticked in review mode only).
        mode: ``"blind"`` (default) or ``"review"``.
        names: session id → name, for the heading.
        questions: survey question id → its wording, shown with a survey answer.
        suggested: segment ids least certain first, or a function returning them (called the
            first time "suggested" is chosen).

    Example:
        >>> import pandas as pd, tempfile
        >>> from coprod_analysis.panel import CodingPanel
        >>> segments = pd.DataFrame({"segment_id": ["a", "b"], "session_id": ["s1", "s1"],
        ...     "source_file": ["n.md", "n.md"], "source_kind": ["notes", "notes"], "speaker": [None, None],
        ...     "question": [None, None], "text": ["Who holds the pen?", "Funders decide."], "char_start": [0, 20]})
        >>> panel = CodingPanel(segments, {"power": "Power", "funding": "Funding"}, coder="ana", folder=tempfile.mkdtemp())
        >>> panel.current["segment_id"], panel.tick("power"), panel.next()["segment_id"]
        ('a', ['power'], 'b')
        >>> panel.coded()["a"]
        ['power']
    """

    def __init__(
        self,
        segments: pd.DataFrame,
        labels: dict[str, str],
        *,
        coder: str,
        folder: str | Path,
        tags: pd.DataFrame | None = None,
        mode: Mode = "blind",
        names: dict[str, str] | None = None,
        questions: dict[str, str] | None = None,
        suggested: Sequence[str] | Callable[[], Sequence[str]] | None = None,
    ) -> None:
        if mode not in ("blind", "review"):
            raise ValueError(f"mode {mode!r}: use 'blind' or 'review'")
        self.path = coder_file(folder, coder)
        self.folder, self.coder, self.mode = Path(folder), coder, mode
        self.labels = dict(labels)
        self.names, self.questions = names or {}, questions or {}
        order = ["session_id", "source_file", "char_start"]
        self.segments = segments.sort_values([c for c in order if c in segments]).reset_index(
            drop=True
        )
        self._row = {s: i for i, s in enumerate(self.segments["segment_id"])}
        self._tags: dict[str, list[str]] = {}
        if tags is not None:
            for segment, theme in zip(tags["segment_id"], tags["theme"], strict=True):
                self._tags.setdefault(segment, []).append(theme)
        self._suggested = suggested
        self._codes: dict[str, tuple[list[str], str]] = {}
        mine = read_coding(self.folder, theme_ids=list(self.labels))
        for segment, rows in mine[mine["coder"] == coder].groupby("segment_id", sort=False):
            # Group keys are typed Hashable; segment ids are strings.
            self._codes[cast(str, segment)] = (
                list(rows["theme"].dropna()),
                str(rows["memo"].iloc[0]),
            )
        self.queue: list[str] = []
        self.position = 0
        self.choose("uncoded")

    # choosing what to code

    def choose(
        self, by: str = "uncoded", *, session: str | None = None, theme: str | None = None
    ) -> list[str]:
        """Choose the segments to code and go to the first; return their ids.

        ``by`` is one of :data:`CHOICES`: ``uncoded`` (not yet coded by this coder),
        ``suggested`` (least certain first, uncoded only), ``session``, ``theme`` (the
        tagger's tags; avoid it for blind agreement work), ``disagreed`` (coders differ) or
        ``all``.
        """
        ids = list(self.segments["segment_id"])
        if by == "uncoded":
            ids = [s for s in ids if s not in self._codes]
        elif by == "suggested":
            if callable(self._suggested):
                self._suggested = list(self._suggested())
            ids = [s for s in (self._suggested or []) if s in self._row and s not in self._codes]
        elif by == "session":
            ids = list(self.segments.loc[self.segments["session_id"] == session, "segment_id"])
        elif by == "theme":
            ids = [s for s in ids if theme in self._tags.get(s, [])]
        elif by == "disagreed":
            from coprod_analysis.agreement import disagreements

            listed = set(disagreements(read_coding(self.folder))["segment_id"])
            ids = [s for s in ids if s in listed]
        elif by != "all":
            raise ValueError(f"choose by {by!r}: use one of {', '.join(CHOICES)}")
        self.queue, self.position = ids, 0
        return ids

    @property
    def current(self) -> dict | None:
        """The segment shown now, as a dict of its columns (None when nothing is chosen)."""
        if not self.queue:
            return None
        return self.segments.iloc[self._row[self.queue[self.position]]].to_dict()

    def go(self, step: int) -> dict | None:
        """Move ``step`` segments along the chosen ones (negative: back); return the new one."""
        if self.queue:
            self.position = max(0, min(len(self.queue) - 1, self.position + step))
        return self.current

    def next(self) -> dict | None:
        """Go to the next chosen segment."""
        return self.go(1)

    def previous(self) -> dict | None:
        """Go back to the previous chosen segment."""
        return self.go(-1)

    def context(self) -> dict:
        """The current segment's neighbours in its file (the turns before and after) and question."""
        row = self.current
        if row is None:
            return {}
        i = self._row[row["segment_id"]]
        same = self.segments["source_file"] == row.get("source_file")

        def near(j: int) -> dict | None:
            ok = 0 <= j < len(self.segments) and bool(same.iloc[j])
            return self.segments.iloc[j].to_dict() if ok else None

        question = row.get("question") if isinstance(row.get("question"), str) else ""
        return {
            "before": near(i - 1) if row.get("source_kind") != "survey" else None,
            "after": near(i + 1) if row.get("source_kind") != "survey" else None,
            "question": self.questions.get(question, question) if question else "",
        }

    # coding

    def tags(self) -> list[str]:
        """The tagger's themes for the current segment: none in blind mode."""
        row = self.current
        return [] if row is None or self.mode == "blind" else self._tags.get(row["segment_id"], [])

    def ticked(self) -> list[str]:
        """The themes ticked for the current segment: the saved codes, else (review) the tags."""
        row = self.current
        if row is None:
            return []
        saved = self._codes.get(row["segment_id"])
        return list(saved[0]) if saved else [t for t in self.tags() if t in self.labels]

    def memo(self) -> str:
        """The memo saved on the current segment."""
        row = self.current
        return self._codes.get(row["segment_id"], ([], ""))[1] if row is not None else ""

    def decided(self) -> bool:
        """Whether the current segment is coded (themes ticked or "none applies")."""
        row = self.current
        return row is not None and row["segment_id"] in self._codes

    @overload
    def code(self, theme_ids: list[str], *, memo: str | None = None) -> list[str]: ...
    @overload
    def code(self, theme_ids: None, *, memo: str | None = None) -> list[str] | None: ...
    def code(self, theme_ids: list[str] | None, *, memo: str | None = None) -> list[str] | None:
        """Save the current segment's themes (``[]``: none applies; None: uncoded) at once."""
        row = self.current
        if row is None:
            raise ValueError("no segment is chosen: choose('all') or another selection first")
        unknown = [t for t in theme_ids or [] if t not in self.labels]
        if unknown:
            raise ValueError(f"not in the codebook: {', '.join(unknown)}")
        segment = row["segment_id"]
        memo = self.memo() if memo is None else memo
        if theme_ids is None and memo:
            theme_ids = []  # a memo keeps the segment coded: "none applies"
        ordered = None if theme_ids is None else [t for t in self.labels if t in theme_ids]
        record_code(self.path, segment_id=segment, theme_ids=ordered, memo=memo, coder=self.coder)
        if ordered is None:
            self._codes.pop(segment, None)
        else:
            self._codes[segment] = (ordered, memo)
        return ordered

    def tick(self, theme: str, on: bool = True) -> list[str] | None:
        """Tick (or untick) one theme on the current segment and save."""
        now = [t for t in self.ticked() if t != theme] + ([theme] if on else [])
        if not on and not now:
            return self.code(None)
        return self.code(now)

    def none_applies(self) -> list[str]:
        """Code the current segment as carrying none of the themes, and save."""
        return self.code([])

    def write_memo(self, text: str) -> None:
        """Save a memo on the current segment; it must be coded first (themes or none applies)."""
        if not self.decided():
            raise ValueError("tick a theme or 'none applies' first, then add a memo")
        self.code(self.ticked(), memo=text)

    def coded(self) -> dict[str, list[str]]:
        """Every segment this coder has coded, with its themes."""
        return {s: list(t) for s, (t, _) in self._codes.items()}

    def widget(self) -> ipywidgets.VBox:
        """The panel as an ipywidgets view (JupyterLab and VS Code notebooks)."""
        return panel_view(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget()._repr_mimebundle_(**kwargs)


def segment_html(panel: CodingPanel) -> str:
    """The current segment with its context, as escaped HTML (what the view shows)."""
    row = panel.current
    if row is None:
        return "<p>Nothing to code in this selection.</p>"

    def who(r: dict) -> str:
        speaker = r.get("speaker")
        return f"<b>{html.escape(speaker)}:</b> " if isinstance(speaker, str) and speaker else ""

    context = panel.context()
    parts = [
        f"<p><b>{html.escape(panel.names.get(row['session_id'], row['session_id']))}</b> · "
        f"{html.escape(str(row.get('source_kind', '')))} · segment {html.escape(row['segment_id'])} "
        f"({panel.position + 1} of {len(panel.queue)})</p>"
    ]
    if context.get("question"):
        parts.append(f"<p><i>Question: {html.escape(context['question'])}</i></p>")
    if context.get("before"):
        parts.append(
            f'<p style="color:#555">{who(context["before"])}{html.escape(context["before"]["text"])}</p>'
        )
    parts.append(
        '<p style="border-left:4px solid #332288;padding:.3rem .7rem;background:#f4f4fb">'
        f"{who(row)}{html.escape(str(row['text']))}</p>"
    )
    if context.get("after"):
        parts.append(
            f'<p style="color:#555">{who(context["after"])}{html.escape(context["after"]["text"])}</p>'
        )
    tags = panel.tags()
    if tags:
        shown = ", ".join(html.escape(panel.labels.get(t, t)) for t in tags)
        parts.append(f"<p>The tagger found: {shown}</p>")
    return "".join(parts)


def panel_view(panel: CodingPanel) -> ipywidgets.VBox:
    """An ipywidgets view of a panel: choose, read, tick, memo, move; every change saved.

    Example:
        >>> view = panel_view(panel)  # doctest: +SKIP
    """
    # Long because one view: the widgets and the handlers that share them; split, each part would take a dozen widgets as arguments.
    import ipywidgets as w

    sessions = {panel.names.get(s, s): s for s in dict.fromkeys(panel.segments["session_id"])}
    by = w.Dropdown(
        options=[(v, k) for k, v in CHOICES.items()], value="uncoded", description="Choose"
    )
    session = w.Dropdown(options=list(sessions.items()), description="Session")
    theme = w.Dropdown(options=[(v, k) for k, v in panel.labels.items()], description="Theme")
    text = w.HTML()
    boxes = {t: w.Checkbox(description=label, indent=False) for t, label in panel.labels.items()}
    none = w.Checkbox(description="None applies", indent=False)
    memo = w.Textarea(
        placeholder="Memo (tick a theme or 'none applies' first)",
        continuous_update=False,
        layout=w.Layout(width="100%"),
    )
    back, forward = w.Button(description="Previous"), w.Button(description="Next")
    status = w.HTML()
    busy = []  # set while the view itself changes the boxes, so that is not taken as a click

    def refresh() -> None:
        busy.append(1)
        try:
            text.value = segment_html(panel)
            ticked = set(panel.ticked())
            for t, box in boxes.items():
                box.value = t in ticked
            none.value = panel.decided() and not ticked
            memo.value, memo.disabled = panel.memo(), not panel.decided()
            session.layout.display = "" if by.value == "session" else "none"
            theme.layout.display = "" if by.value == "theme" else "none"
        finally:
            busy.pop()

    def saved(action: str) -> None:
        status.value = f"{html.escape(action)}; saved to {html.escape(str(panel.path))}"

    def on_choose(_=None) -> None:
        panel.choose(by.value, session=session.value, theme=theme.value)
        saved(f"{len(panel.queue)} segment(s) chosen") if panel.queue else None
        refresh()

    def on_tick(change, t: str) -> None:
        if not busy and panel.current is not None:
            panel.tick(t, change["new"])
            saved(f"{panel.labels[t]} {'ticked' if change['new'] else 'unticked'}")
            refresh()

    def on_none(change) -> None:
        if not busy and panel.current is not None:
            panel.none_applies() if change["new"] else panel.code(None)
            saved("none applies" if change["new"] else "uncoded")
            refresh()

    def on_memo(change) -> None:
        if not busy and panel.decided():
            panel.write_memo(change["new"])
            saved("memo")

    for widget in (by, session, theme):
        widget.observe(on_choose, names="value")
    for t, box in boxes.items():
        box.observe(lambda change, t=t: on_tick(change, t), names="value")
    none.observe(on_none, names="value")
    memo.observe(on_memo, names="value")

    def on_back(_: object) -> None:
        panel.previous()
        refresh()

    def on_forward(_: object) -> None:
        panel.next()
        refresh()

    back.on_click(on_back)
    forward.on_click(on_forward)
    refresh()
    mode = (
        "blind: the tagger's tags are hidden"
        if panel.mode == "blind"
        else "review: the tagger's tags are pre-ticked"
    )
    head = w.HTML(f"<b>Coding as {html.escape(panel.coder)}</b> ({mode})")
    view = w.VBox(
        [
            head,
            w.HBox([by, session, theme]),
            text,
            w.HBox([*boxes.values(), none], layout=w.Layout(flex_flow="row wrap")),
            memo,
            w.HBox([back, forward]),
            status,
        ]
    )
    view.controls = {
        "choose": by,
        "session": session,
        "theme": theme,
        "text": text,
        "themes": boxes,
        "none": none,
        "memo": memo,
        "previous": back,
        "next": forward,
        "status": status,
    }
    return view


def coding_panel(coder: str, *, mode: Mode = "blind", where: Paths | None = None) -> CodingPanel:
    """A coding panel on the processed data for ``coder``, saving to ``data/coding/<coder>.csv``.

    Reads the segments, the tagger's tags and the codebook; "suggested next" runs
    ``coprod suggest`` the first time it is chosen. Display it in a notebook cell.

    Example:
        >>> panel = coding_panel("ana")  # doctest: +SKIP
        >>> panel  # doctest: +SKIP
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project, paths
    from coprod_analysis.corpus import read_corpus, read_table
    from coprod_analysis.story import session_names

    where = where or paths()
    corpus = read_corpus(where.processed)
    codebook = load_codebook(where.config / "codebook.yml")
    project = load_project(where.config)
    questions = {q.id: q.wording for q in project.survey.questions}

    def suggested() -> list[str]:
        from coprod_analysis.pipeline.suggest import suggest_coding

        return list(suggest_coding(n=len(corpus.segments), where=where)["segment_id"])

    return CodingPanel(
        corpus.segments,
        {t.id: t.label for t in codebook.themes},
        coder=coder,
        folder=where.coding,
        tags=read_table(where.processed, "themes", stage="coprod tag"),
        mode=mode,
        names=session_names(corpus.sessions, short=True),
        questions=questions,
        suggested=suggested,
    )
