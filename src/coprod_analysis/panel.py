"""The coding panel: a researcher codes segments by hand, one at a time, in a notebook.

The panel is a plain Python object (:class:`CodingPanel`) that a widget view drives, so tests
and scripts can code through the same methods a click calls. Every decision is saved at once,
atomically, to ``data/coding/<coder>.csv`` (:func:`~coprod_analysis.themes.coding.record_code`):
closing the browser loses nothing, and a new panel for the same coder resumes where it left
off. ``data/raw`` is never written.

It has four modes (:data:`MODES`):

- **blind** (the default, for agreement work) never shows the tagger's tags. Unticking the
  last tick returns a segment to uncoded.
- **review** pre-ticks the tagger's tags, for correction. What is ticked is the decision:
  agreeing with the tagger is saved when you click Next, unticking the last tick saves "none
  applies", and a memo saves the ticks shown with it.
- **audit** is blind, on every contribution of the participants the audit drew
  (``coprod audit``, ``data/coding/audit.csv``), the ones you have not coded first. The codes go
  to your own file; they count as audited because the plan drew the participant.
- **settle** lists the segments coders disagree on that nobody has settled, shows each coder's
  codes and memos, and saves the decision to ``data/coding/settled.csv``, with ``coder`` the
  settler's name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from coprod_analysis.themes.coding import SETTLED, coder_file, read_coding, record_code

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd

    from coprod_analysis.config import Paths

Mode = Literal["blind", "review", "audit", "settle"]
MODES: dict[str, str] = {
    "blind": "blind: the tagger's tags are hidden",
    "review": "review: the tagger's tags are pre-ticked; what is ticked is saved",
    "audit": "audit: the drawn participants' contributions, blind",
    "settle": "settle: the segments coders disagree on",
}
CHOICES = {
    "uncoded": "Not yet coded by me",
    "suggested": "Suggested next (least certain)",
    "session": "One session",
    "theme": "Tagged with a theme",
    "disagreed": "Coders disagree",
    "audit": "The audit (drawn participants)",
    "settle": "To settle (coders disagree)",
    "all": "All segments",
}
# What each mode offers to choose, its default first. Review mode shows the tagger's tags, so
# it does not offer the audit (coded blind); audit and settle mode have one list each.
OFFERED: dict[str, tuple[str, ...]] = {
    "blind": ("uncoded", "suggested", "session", "theme", "disagreed", "audit", "all"),
    "review": ("uncoded", "suggested", "session", "theme", "disagreed", "all"),
    "audit": ("audit",),
    "settle": ("settle",),
}
NO_AUDIT = "No audit drawn yet: run `coprod audit --participants 5`"
_SENTENCE = re.compile(r"[.!?\"“”]")


def is_heading(
    text: str, *, context: str | None = None, speaker: str | None = None, kind: str = "notes"
) -> bool:
    """Whether a segment is only a heading in the notes, not something anybody said.

    The rule: a ``notes`` segment with no speaker and at most 10 words that either is, or
    starts with, the last part of its ``context`` (the heading it sits under: "Table 2 – the
    ladder" under "Summary by table › Table"), or has at most 5 words, no sentence punctuation
    (``. ! ?``) or quotation marks, and starts with a capital letter or a digit ("Arrivals
    and warm-up", "The table sheet listed:"). Quoted sticky notes ('"the board"') and list
    items in lower case ("funders not sitting together") are not headings.

    Example:
        >>> from coprod_analysis.panel import is_heading
        >>> is_heading("Table 2 – the ladder", context="Summary by table › Table")
        True
        >>> is_heading('"the board"'), is_heading("Funders decide", speaker="P-1")
        (False, False)
    """
    if kind != "notes" or (isinstance(speaker, str) and speaker.strip()):
        return False
    text = " ".join(str(text).split())
    words = text.split()
    if not words or len(words) > 10:
        return False
    under = str(context).split("›")[-1].strip().lower() if isinstance(context, str) else ""
    said = text.lower().rstrip(":").strip()
    if under and (said == under or said.startswith(f"{under} ")):
        return True
    return (
        len(words) <= 5 and not _SENTENCE.search(text) and (text[0].isupper() or text[0].isdigit())
    )


def _relative(path: Path, root: Path | None) -> str:
    """``path`` relative to the project root; outside it, its folder and name: never absolute."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return f"{path.parent.name}/{path.name}"


def _each_coder(codes: pd.DataFrame, labels: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """Per segment, each coder's codes (labels, or "none applies") and memo; settlers last."""
    codes = codes.assign(settled=codes.get("settled", False))
    out: dict[str, list[dict[str, str]]] = {}
    for (segment, settled, coder), rows in codes.groupby(["segment_id", "settled", "coder"]):
        themes = [labels.get(t, t) for t in dict.fromkeys(rows["theme"].dropna())]
        memos: list[str] = list(rows["memo"].fillna("").astype(str)) if "memo" in rows else []
        out.setdefault(str(segment), []).append(
            {
                "coder": f"{coder} (settled)" if settled else str(coder),
                "codes": "; ".join(themes) or "none applies",
                "memo": " | ".join(dict.fromkeys(m for m in memos if m)),
            }
        )
    return out


class CodingPanel:
    """Code segments one at a time; each decision is saved to the coder's file at once.

    Args:
        segments: the segments table (redacted and pseudonymised).
        labels: theme id → label, in codebook order: the themes that can be ticked.
        coder: the coder's name; their file is ``<folder>/<coder>.csv`` (in settle mode the
            decisions go to ``<folder>/settled.csv``, with this name as who settled).
        folder: the coding folder (``data/coding``).
        tags: the tagger's ``segment_id, theme`` (shown and pre-ticked in review mode only).
        mode: ``"blind"`` (default), ``"review"``, ``"audit"`` or ``"settle"`` (:data:`MODES`).
        names: session id → name, for the heading.
        questions: survey question id → its wording, shown with a survey answer.
        suggested: segment ids least certain first, or a function returning them (called the
            first time "suggested" is chosen).
        plan: the audit plan (:func:`~coprod_analysis.themes.audit.read_plan`), for the audit.
        codes: a function returning every coder's codes (default: the coding folder's,
            :func:`~coprod_analysis.themes.coding.read_coding`), read when disagreements or
            settling are chosen.
        root: the project root: the status line names files relative to it.

    Example:
        >>> import pandas as pd, tempfile
        >>> from coprod_analysis.panel import CodingPanel
        >>> segments = pd.DataFrame({"segment_id": ["a", "b"], "session_id": ["s1", "s1"],
        ...     "source_file": ["n.md", "n.md"], "source_kind": ["notes", "notes"], "speaker": ["P-1", "P-2"],
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
        plan: pd.DataFrame | None = None,
        codes: Callable[[], pd.DataFrame] | None = None,
        root: str | Path | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode {mode!r}: use one of {', '.join(MODES)}")
        mine = coder_file(folder, coder)  # checks the name, in every mode
        self.folder, self.coder, self.mode = Path(folder), coder, mode
        self.path = self.folder / f"{SETTLED}.csv" if mode == "settle" else mine
        self.root = Path(root) if root is not None else None
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
        self._read_codes = codes or (lambda: read_coding(self.folder, theme_ids=list(self.labels)))
        self.planned = plan is not None and len(plan) > 0
        self._audit: set[str] = set()
        if plan is not None and len(plan):
            from coprod_analysis.themes.audit import audit_segments

            self._audit = audit_segments(self.segments, plan)
        self._others: dict[str, list[dict[str, str]]] = {}
        self._disputes: dict[str, tuple[str, str]] = {}
        self._codes = self._load()
        self.saves = 0  # how many times a file was written: the view says "saved" only then
        self.choice = ""
        self.queue: list[str] = []
        self.position = 0
        self.choose()

    def _load(self) -> dict[str, tuple[list[str], str]]:
        """This coder's saved codes (settle mode: the settled ones), by segment."""
        from coprod_analysis.agreement import ADJUDICATOR

        codes = read_coding(self.folder, theme_ids=list(self.labels))
        settled = codes["settled"].astype(bool)
        if self.mode == "settle":
            mine = codes[settled]
        else:  # the coder's own file (the old `adjudicated` coder's rows count as settled)
            own = ~settled | (codes["coder"] == ADJUDICATOR)
            mine = codes[(codes["coder"] == self.coder) & own]
        saved = {}
        for segment, rows in mine.groupby("segment_id", sort=False):
            rows = rows[rows["coder"] == rows["coder"].iloc[-1]]  # the latest settler's
            saved[str(segment)] = (list(rows["theme"].dropna()), str(rows["memo"].iloc[0]))
        return saved

    @property
    def file_label(self) -> str:
        """The file decisions are saved in, relative to the project root: ``data/coding/ana.csv``."""
        return _relative(self.path, self.root)

    # choosing what to code

    def ready(self, by: str) -> bool:
        """Whether choosing ``by`` is quick (False until the suggestions have been ranked)."""
        return by != "suggested" or not callable(self._suggested)

    def choose(
        self, by: str | None = None, *, session: str | None = None, theme: str | None = None
    ) -> list[str]:
        """Choose the segments to code and go to the first; return their ids.

        ``by`` is one of :data:`CHOICES` that the mode offers (:data:`OFFERED`; default the
        mode's first): ``uncoded`` (not yet coded by this coder: participants' contributions
        first, then the other notes and turns, and headings last, each in document order;
        contributions are what the counts are made of, and a heading (:func:`is_heading`)
        seldom carries a theme but is kept, so "uncoded" still means everything not coded),
        ``suggested`` (least certain first, uncoded only), ``session``, ``theme`` (the
        tagger's tags; avoid it for blind agreement work), ``disagreed`` (coders differ),
        ``audit`` (every contribution of the audit's participants, the uncoded first),
        ``settle`` (coders differ and nobody has settled) or ``all``.

        Raises:
            ValueError: ``by`` is not a choice, or not offered in this mode.
        """
        by = by or OFFERED[self.mode][0]
        if by not in CHOICES:
            raise ValueError(f"choose by {by!r}: use one of {', '.join(CHOICES)}")
        if by not in OFFERED[self.mode]:
            raise ValueError(
                f"{self.mode} mode does not offer {by!r}: use {', '.join(OFFERED[self.mode])}"
            )
        ids = list(self.segments["segment_id"])
        if by == "uncoded":
            ids = self._in_order([s for s in ids if s not in self._codes])
        elif by == "suggested":
            if callable(self._suggested):
                self._suggested = list(self._suggested())
            ids = [s for s in (self._suggested or []) if s in self._row and s not in self._codes]
        elif by == "session":
            ids = list(self.segments.loc[self.segments["session_id"] == session, "segment_id"])
        elif by == "theme":
            ids = [s for s in ids if theme in self._tags.get(s, [])]
        elif by in ("disagreed", "settle"):
            listed = self._disagreements(settling=by == "settle")
            ids = [s for s in ids if s in listed]
        elif by == "audit":
            ids = [s for s in ids if s in self._audit]
            ids = [s for s in ids if s not in self._codes] + [s for s in ids if s in self._codes]
        self.choice, self.queue, self.position = by, ids, 0
        return ids

    def _in_order(self, ids: list[str]) -> list[str]:
        """Participants' contributions first, then other text, headings last (see :meth:`choose`)."""
        from coprod_analysis.corpus import contributions

        theirs = set(contributions(self.segments)["segment_id"])

        def rank(segment: str) -> int:
            row = self.segments.iloc[self._row[segment]]
            if segment in theirs:
                return 0
            context = row.get("context")
            kind = str(row.get("source_kind", ""))
            speaker = row.get("speaker")
            heading = is_heading(
                str(row["text"]),
                context=context if isinstance(context, str) else None,
                speaker=speaker if isinstance(speaker, str) else None,
                kind=kind,
            )
            return 2 if heading else 1

        return sorted(ids, key=rank)  # stable: document order within each rank

    def _disagreements(self, *, settling: bool) -> set[str]:
        """Read every coder's codes again; return the segments they differ on (or to settle)."""
        from coprod_analysis.agreement import disagreements
        from coprod_analysis.themes.coding import settle

        codes = self._read_codes()
        table = disagreements(codes, labels=self.labels)
        self._disputes = {
            str(r["segment_id"]): (str(r["agreed"]), str(r["disputed"]))
            for r in table.to_dict("records")
        }
        self._others = _each_coder(codes, self.labels)
        return set(settle(codes)[1]) if settling else set(self._disputes)

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
        """Go to the next chosen segment.

        In review mode, an undecided segment's pre-ticked tags are saved first: agreeing with
        the tagger is a decision (``[]``, "none applies", when the tagger found none).
        """
        agreed = self.pending()
        if agreed is not None:
            self.code(agreed)
        return self.go(1)

    def previous(self) -> dict | None:
        """Go back to the previous chosen segment (nothing is saved)."""
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

    def others(self) -> list[dict[str, str]]:
        """Every coder's codes and memo on the current segment, when disagreements are chosen.

        One dict per coder: ``coder`` (``(settled)`` after a settler's name), ``codes`` (the
        theme labels, or ``none applies``) and ``memo``; empty for other choices.
        """
        row = self.current
        if row is None or self.choice not in ("disagreed", "settle"):
            return []
        return self._others.get(row["segment_id"], [])

    def dispute(self) -> tuple[str, str]:
        """The themes coders agreed on and those they dispute, for the current segment."""
        row = self.current
        return self._disputes.get(row["segment_id"], ("", "")) if row is not None else ("", "")

    # coding

    def tags(self) -> list[str]:
        """The tagger's themes for the current segment: shown in review mode only."""
        row = self.current
        return [] if row is None or self.mode != "review" else self._tags.get(row["segment_id"], [])

    def pending(self) -> list[str] | None:
        """The decision Next would save: in review mode, an undecided segment's pre-ticked tags.

        ``[]`` ("none applies") when the tagger found none of the themes; None in the other
        modes and once the segment is decided.
        """
        if self.mode != "review" or self.current is None or self.decided():
            return None
        tagged = self.tags()
        return [t for t in self.labels if t in tagged]

    def ticked(self) -> list[str]:
        """The themes ticked for the current segment: the saved codes, else (review) the tags."""
        row = self.current
        if row is None:
            return []
        saved = self._codes.get(row["segment_id"])
        return list(saved[0]) if saved else list(self.pending() or [])

    def memo(self) -> str:
        """The memo saved on the current segment."""
        row = self.current
        return self._codes.get(row["segment_id"], ([], ""))[1] if row is not None else ""

    def decided(self) -> bool:
        """Whether the current segment is coded (themes ticked or "none applies")."""
        row = self.current
        return row is not None and row["segment_id"] in self._codes

    def can_memo(self) -> bool:
        """Whether a memo can be written: a decision is saved, or (review) one is pending."""
        return self.decided() or self.pending() is not None

    @overload
    def code(self, theme_ids: list[str], *, memo: str | None = None) -> list[str]: ...
    @overload
    def code(self, theme_ids: None, *, memo: str | None = None) -> list[str] | None: ...
    def code(self, theme_ids: list[str] | None, *, memo: str | None = None) -> list[str] | None:
        """Save the current segment's themes (``[]``: none applies; None: uncoded) at once.

        Uncoding a segment that is not coded writes nothing; a memo keeps a segment coded
        ("none applies"). :attr:`saves` counts the writes.
        """
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
        if ordered is None and segment not in self._codes:
            return None  # already uncoded: nothing to write
        record_code(self.path, segment_id=segment, theme_ids=ordered, memo=memo, coder=self.coder)
        self.saves += 1
        if ordered is None:
            self._codes.pop(segment, None)
        else:
            self._codes[segment] = (ordered, memo)
        return ordered

    def tick(self, theme: str, on: bool = True) -> list[str] | None:
        """Tick (or untick) one theme on the current segment and save.

        Unticking the last tick saves "none applies" (``[]``) in review mode; in the other
        modes the segment goes back to uncoded (None), unless it has a memo.
        """
        now = [t for t in self.ticked() if t != theme] + ([theme] if on else [])
        if not on and not now:
            return self.code([] if self.mode == "review" else None)
        return self.code(now)

    def none_applies(self) -> list[str]:
        """Code the current segment as carrying none of the themes, and save."""
        return self.code([])

    def clear(self) -> list[str] | None:
        """Take back the current segment's decision (uncoded); a memo keeps it "none applies"."""
        return self.code(None)

    def write_memo(self, text: str) -> None:
        """Save a memo on the current segment, with its ticks (in review mode, the ones shown).

        Raises:
            ValueError: nothing is decided or (review) pending: tick a theme or "none applies".
        """
        if not self.can_memo():
            raise ValueError("tick a theme or 'none applies' first, then add a memo")
        self.code(self.ticked(), memo=text)

    def coded(self) -> dict[str, list[str]]:
        """Every segment this coder has coded (settle mode: settled), with its themes."""
        return {s: list(t) for s, (t, _) in self._codes.items()}

    def widget(self) -> ipywidgets.VBox:
        """The panel as an ipywidgets view (JupyterLab and VS Code notebooks)."""
        return panel_view(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget()._repr_mimebundle_(**kwargs)


def _nothing(panel: CodingPanel) -> str:
    """What to say when the selection is empty."""
    if panel.choice == "audit" and not panel.planned:
        return NO_AUDIT
    if panel.choice == "audit":
        return "The audit plan names nobody found in these segments: run `coprod audit` again."
    if panel.choice == "settle":
        return "Nothing to settle: no segment that coders disagree on is left unsettled."
    return "Nothing to code in this selection."


def segment_html(panel: CodingPanel) -> str:
    """The current segment within its context, as escaped HTML (what the view shows).

    The segment is labelled "This segment" in words (and framed), between the turns labelled
    "Before" and "After"; with disagreements chosen, a table gives every coder's codes.

    Example:
        >>> html = segment_html(panel)  # doctest: +SKIP
    """
    row = panel.current
    if row is None:
        return f"<p>{html.escape(_nothing(panel))}</p>"

    def who(r: dict) -> str:
        speaker = r.get("speaker")
        return f"<b>{html.escape(speaker)}:</b> " if isinstance(speaker, str) and speaker else ""

    def turn(label: str, r: dict) -> str:
        return (
            f'<p style="color:#444;margin:.2rem 0"><span style="font-weight:600">{label}:</span> '
            f"{who(r)}{html.escape(str(r['text']))}</p>"
        )

    context = panel.context()
    session = panel.names.get(row["session_id"], row["session_id"])
    parts = [
        f"<p><b>{html.escape(session)}</b> · {html.escape(str(row.get('source_kind', '')))} · "
        f"segment {html.escape(row['segment_id'])} ({panel.position + 1} of {len(panel.queue)})</p>"
    ]
    if context.get("question"):
        parts.append(f"<p><i>Question: {html.escape(context['question'])}</i></p>")
    if context.get("before"):
        parts.append(turn("Before", context["before"]))
    parts.append(
        '<div style="border:2px solid #332288;border-left-width:6px;padding:.3rem .7rem;'
        'margin:.3rem 0;background:#f4f4fb;color:#111">'
        '<p style="margin:0"><strong>This segment (code this one):</strong> '
        f"{who(row)}{html.escape(str(row['text']))}</p></div>"
    )
    if context.get("after"):
        parts.append(turn("After", context["after"]))
    if panel.mode == "review":
        shown = ", ".join(html.escape(panel.labels.get(t, t)) for t in panel.tags())
        parts.append(f"<p>The tagger found: {shown or 'none of the themes'}</p>")
    others = panel.others()
    if others:
        cells = "".join(
            f"<tr><td>{html.escape(o['coder'])}</td><td>{html.escape(o['codes'])}</td>"
            f"<td>{html.escape(o['memo'])}</td></tr>"
            for o in others
        )
        agreed, disputed = panel.dispute()
        parts.append(
            '<table style="border-collapse:collapse;margin:.3rem 0">'
            "<caption style='text-align:left'>Each coder's codes on this segment</caption>"
            '<thead><tr><th scope="col">Coder</th><th scope="col">Codes</th>'
            f'<th scope="col">Memo</th></tr></thead><tbody>{cells}</tbody></table>'
            f"<p>Agreed: {html.escape(agreed or 'nothing')}. "
            f"Disputed: {html.escape(disputed or 'nothing')}.</p>"
        )
    return "".join(parts)


def decision_html(panel: CodingPanel) -> str:
    """One line saying where the current segment's decision stands: saved, pending or none.

    Example:
        >>> decision_html(panel)  # doctest: +SKIP
        '<p>Your code: Power (saved in data/coding/ana.csv).</p>'
    """
    if panel.current is None:
        return ""
    names = ", ".join(panel.labels[t] for t in panel.ticked())
    who = "Settled as" if panel.mode == "settle" else "Your code:"
    if panel.decided():
        line = f"{who} {names or 'none applies'} (saved in {panel.file_label})."
    elif panel.pending() is not None:
        line = (
            f"Not saved yet: Next saves the tagger's {names}, or change the ticks."
            if names
            else "Not saved yet: the tagger found none of the themes; Next saves 'none applies'."
        )
    else:
        line = "Not coded yet: tick every theme that applies, or None applies."
    return f"<p>{html.escape(line)}</p>"


def panel_view(panel: CodingPanel, *, background: bool = True) -> ipywidgets.VBox:
    """An ipywidgets view of a panel: choose, read, tick, memo, move; every change saved.

    A slow step (ranking the suggestions the first time) runs in a background thread (or, with
    ``background=False``, in the call) while the status says it is working and every control
    is disabled. Every handler is guarded: a click made while it works is ignored, and a click
    is only applied to the segment that was shown when it was made. The status line says
    "saved" only when a file was written, naming it relative to the project root.

    Example:
        >>> view = panel_view(panel)  # doctest: +SKIP
    """
    # Long because one view: the widgets and the handlers that share them; split, each part would take a dozen widgets as arguments.
    import threading

    import ipywidgets as w

    offered = OFFERED[panel.mode]
    sessions = {panel.names.get(s, s): s for s in dict.fromkeys(panel.segments["session_id"])}
    by = w.Dropdown(
        options=[(CHOICES[k], k) for k in offered], value=panel.choice, description="Choose"
    )
    session = w.Dropdown(options=list(sessions.items()), description="Session")
    theme = w.Dropdown(options=[(v, k) for k, v in panel.labels.items()], description="Theme")
    text = w.HTML()
    boxes = {
        t: w.Checkbox(
            description=label, indent=False, layout=w.Layout(width="auto", margin="2px 16px 2px 0")
        )
        for t, label in panel.labels.items()
    }
    none = w.Checkbox(description="None applies", indent=False, layout=w.Layout(width="auto"))
    none_row = w.HBox(
        [none, w.HTML("— none of the themes above is in this segment (clears their ticks)")],
        layout=w.Layout(border_top="1px solid #767676", margin="4px 0 0 0", align_items="center"),
    )
    decision = w.HTML()
    memo = w.Textarea(description="Memo", continuous_update=False, layout=w.Layout(width="100%"))
    back, forward = w.Button(description="Previous"), w.Button(description="Next")
    status = w.HTML()
    state: dict[str, Any] = {"updating": False, "busy": False, "shown": None, "worker": None}

    def shown_now() -> str | None:
        row = panel.current
        return row["segment_id"] if row is not None else None

    def spot() -> str:
        return f"segment {panel.position + 1} of {len(panel.queue)}"

    def enable() -> None:
        busy, nothing = state["busy"], panel.current is None
        for control in (by, session, theme):
            control.disabled = busy
        for box in (*boxes.values(), none):
            box.disabled = busy or nothing
        memo.disabled = busy or not panel.can_memo()
        memo.placeholder = (
            "Memo: why you coded it so (saved when you leave the box)"
            if panel.can_memo()
            else "Memo (tick a theme or 'none applies' first)"
        )
        back.disabled = busy or nothing or panel.position == 0
        forward.disabled = busy or nothing

    def refresh() -> None:
        state["updating"] = True
        try:
            if by.value != panel.choice and panel.choice in offered:
                by.value = panel.choice
            text.value = segment_html(panel)
            ticked = set(panel.ticked())
            for t, box in boxes.items():
                box.value = t in ticked
            none.value = panel.decided() and not ticked
            memo.value = panel.memo()
            decision.value = decision_html(panel)
            session.layout.display = "" if by.value == "session" else "none"
            theme.layout.display = "" if by.value == "theme" else "none"
            enable()
            state["shown"] = shown_now()
        finally:
            state["updating"] = False

    def say(message: str | tuple[str, str], wrote: bool = False) -> None:
        done, then = (message, "") if isinstance(message, str) else message
        line = done + (f"; saved to {panel.file_label}" if wrote else "") + (then and f". {then}")
        status.value = f'<span role="status">{html.escape(line)}</span>'

    def act(apply: Callable[[], str | tuple[str, str]]) -> None:
        """Apply a click to the segment shown when it was made; ignore it while working."""
        if state["updating"]:
            return  # the view itself is setting the controls
        if state["busy"]:
            say(f"{state['working']} That click was not applied.")
            return
        if shown_now() != state["shown"]:
            refresh()
            say("The segment changed before that click arrived; nothing was saved.")
            return
        before = panel.saves
        message: str | tuple[str, str]
        try:
            message = apply()
        except (ValueError, OSError) as exc:  # an InputError is a ValueError
            message = f"Not done: {exc}"
        refresh()
        say(message, panel.saves > before)

    def work(message: str, job: Callable[[], str]) -> None:
        state["busy"], state["working"] = True, message
        enable()
        status.value = f'<span role="status">{html.escape(message)}</span>'

        def run() -> None:
            said = "Could not choose: an error (see the log)"
            try:
                said = job()
            except (ValueError, OSError) as exc:
                said = f"Could not choose: {exc}"
            finally:  # whatever happens, the panel comes back
                refresh()  # still busy: no click lands while the new segment is being shown
                state["busy"] = False
                enable()
                say(said)

        if background:
            state["worker"] = threading.Thread(target=run, daemon=True)
            state["worker"].start()
        else:
            run()

    def on_choose(change: dict) -> None:
        if state["updating"] or state["busy"]:
            return
        if (change["owner"] is session and by.value != "session") or (
            change["owner"] is theme and by.value != "theme"
        ):
            return
        chosen = by.value

        def job() -> str:
            panel.choose(chosen, session=session.value, theme=theme.value)
            return f"{len(panel.queue)} segment(s) chosen: {CHOICES[chosen]}"

        if panel.ready(chosen):
            act(job)
        else:
            work("Working: ranking the segments by the tagger's uncertainty…", job)

    def on_tick(change: dict, t: str) -> None:
        def apply() -> str:
            here = spot()
            result = panel.tick(t, change["new"])
            if change["new"]:
                return f"{panel.labels[t]} ticked on {here}"
            left = ": back to uncoded" if result is None else "" if result else ": none applies"
            return f"{panel.labels[t]} unticked on {here}{left}"

        act(apply)

    def on_none(change: dict) -> None:
        def apply() -> str:
            here = spot()
            if change["new"]:
                panel.none_applies()
                return f"None applies on {here}"
            if panel.memo():
                return "Still 'none applies': a memo keeps a segment coded; clear the memo first"
            panel.clear()
            if panel.pending() is not None:
                return f"Your code on {here} taken back; the tagger's ticks are shown (Next saves them)"
            return f"{here.capitalize()} back to uncoded"

        act(apply)

    def on_memo(change: dict) -> None:
        def apply() -> str:
            here = spot()
            panel.write_memo(change["new"])
            return f"Memo {'written' if change['new'] else 'cleared'} on {here}"

        act(apply)

    def on_move(step: int) -> None:
        def apply() -> str | tuple[str, str]:
            here, agreed = spot(), panel.pending()
            before = panel.position
            if step > 0:
                panel.next()
            else:
                panel.previous()
            moved = (
                f"now {spot()}"
                if panel.position != before
                else "no segment further that way"
                if panel.current is not None
                else "nothing chosen"
            )
            if agreed is not None:
                names = ", ".join(panel.labels[t] for t in agreed) or "none applies"
                return f"Agreed with the tagger on {here} ({names})", moved[0].upper() + moved[1:]
            return moved[0].upper() + moved[1:]

        act(apply)

    for widget in (by, session, theme):
        widget.observe(on_choose, names="value")
    for t, box in boxes.items():
        box.observe(lambda change, t=t: on_tick(change, t), names="value")
    none.observe(on_none, names="value")
    memo.observe(on_memo, names="value")
    back.on_click(lambda _: on_move(-1))
    forward.on_click(lambda _: on_move(1))
    refresh()
    if panel.mode == "settle":
        head = f"<b>Settling as {html.escape(panel.coder)}</b> (decisions go to {html.escape(panel.file_label)})"
    else:
        head = f"<b>Coding as {html.escape(panel.coder)}</b> ({html.escape(MODES[panel.mode])})"
    hint = (
        "Next saves the ticks shown (agreeing with the tagger is a decision); Previous goes "
        "back without saving."
        if panel.mode == "review"
        else "Every tick is saved at once; Next and Previous only move."
    )
    view = w.VBox(
        [
            w.HTML(head),
            w.HBox([by, session, theme]),
            text,
            w.HTML("<b>Themes in this segment</b> (tick every one that applies):"),
            w.HBox(list(boxes.values()), layout=w.Layout(flex_flow="row wrap")),
            none_row,
            decision,
            memo,
            w.HBox(
                [back, forward, w.HTML(html.escape(hint))], layout=w.Layout(align_items="center")
            ),
            status,
        ]
    )
    view.add_class("coprod-coding-panel")
    view.controls = {
        "choose": by,
        "session": session,
        "theme": theme,
        "text": text,
        "themes": boxes,
        "none": none,
        "decision": decision,
        "memo": memo,
        "previous": back,
        "next": forward,
        "status": status,
    }
    view.wait = lambda timeout=None: state["worker"] and state["worker"].join(timeout)
    return view


def coding_panel(coder: str, *, mode: Mode = "blind", where: Paths | None = None) -> CodingPanel:
    """A coding panel on the processed data for ``coder``, saving to ``data/coding/<coder>.csv``.

    Reads the segments, the tagger's tags, the codebook and the audit plan. ``mode`` is
    ``"blind"``, ``"review"``, ``"audit"`` or ``"settle"`` (:data:`MODES`; settle mode saves to
    ``data/coding/settled.csv`` with ``coder`` as who settled). "Suggested next" reads the
    ranking ``coprod tag`` wrote (``data/processed/suggested.parquet``), and ranks the
    segments itself only when it is missing or out of date. Display it in a notebook cell.

    Example:
        >>> panel = coding_panel("ana")  # doctest: +SKIP
        >>> panel  # doctest: +SKIP
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project, paths
    from coprod_analysis.corpus import read_corpus, read_table
    from coprod_analysis.story import session_names
    from coprod_analysis.themes.audit import plan_path, read_plan
    from coprod_analysis.themes.coding import hand_codes

    where = where or paths()
    corpus = read_corpus(where.processed)
    codebook = load_codebook(where.config / "codebook.yml")
    project = load_project(where.config)
    questions = {q.id: q.wording for q in project.survey.questions}
    # the tagger's own codes (`themes` has people's checked codes in their place)
    tagger = "tagged" if (where.processed / "tagged.parquet").is_file() else "themes"

    def suggested() -> list[str]:
        from coprod_analysis.pipeline.suggest import suggest_coding

        return list(suggest_coding(n=len(corpus.segments), where=where)["segment_id"])

    def codes() -> pd.DataFrame:  # every hand code the tag stage counts
        human = where.raw / project.themes.human_codes
        return hand_codes(human, where.coding, theme_ids=codebook.ids)

    return CodingPanel(
        corpus.segments,
        {t.id: t.label for t in codebook.themes},
        coder=coder,
        folder=where.coding,
        tags=read_table(where.processed, tagger, stage="coprod tag"),
        mode=mode,
        names=session_names(corpus.sessions, short=True),
        questions=questions,
        suggested=suggested,
        plan=read_plan(plan_path(where.coding)),
        codes=codes,
        root=where.root,
    )
