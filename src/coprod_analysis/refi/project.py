"""REFI-QDA projects (.qdpx): the redacted sources with the tagger's codings, for QDA tools."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast
from xml.etree import ElementTree as ET

from coprod_analysis.refi.codebook import add_codes
from coprod_analysis.refi.guids import guid
from coprod_analysis.refi.validate import require_valid
from coprod_analysis.refi.xml import PROJECT_NS, to_bytes

if TYPE_CHECKING:
    import pandas as pd

    from coprod_analysis.corpus import Corpus
    from coprod_analysis.themes.codebook import Codebook

# Each tagging method is its own user, so reviewers can filter codings by how they were made.
TAGGER_USERS = {
    "rule": "coprod-analysis tagger: rule matching (codebook phrases and patterns)",
    "semantic": "coprod-analysis tagger: semantic matching (similarity to theme descriptions and examples)",
    "learned": "coprod-analysis tagger: learned classifier (trained on hand-coded statements)",
}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same inputs give the same file


def _blank(value: object) -> bool:
    return value is None or value != value or str(value).strip() == ""


class _Span(NamedTuple):
    """Where one segment's text sits in its source's layout (a row of ``source_layout``)."""

    segment_id: str
    start: int
    end: int


def _spans(spans: pd.DataFrame) -> list[_Span]:
    """The rows of a ``source_layout`` spans table, typed (``itertuples()`` fields are not)."""
    return [
        _Span(*row)
        for row in spans[["segment_id", "start", "end"]].itertuples(index=False, name=None)
    ]


def source_layout(segments: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    r"""Rebuild one source's redacted text from its segments, and where each segment sits in it.

    The text is what the QDA tool shows: a ``## heading`` line when the context changes, then
    each segment as a paragraph, prefixed with its speaker (and the question, for survey
    answers). Only redacted, pseudonymised text is used.

    Args:
        segments: the segments of one source file (any order; sorted by ``char_start``).

    Returns:
        ``(text, spans)``: spans has ``segment_id, start, end`` (character offsets of the
        segment's own text, end exclusive).

    Example:
        >>> from coprod_analysis.refi.project import source_layout
        >>> import pandas as pd
        >>> seg = pd.DataFrame({"segment_id": ["a", "b"], "char_start": [0, 9], "speaker": ["P-1", None],
        ...     "question": [None, None], "context": ["Table 1", "Table 1"], "text": ["We decide.", "Noted."]})
        >>> text, spans = source_layout(seg)
        >>> text.split("\n\n")
        ['## Table 1', 'P-1: We decide.', 'Noted.', '']
        >>> text[spans.start[0]:spans.end[0]]
        'We decide.'
    """
    import pandas as pd

    parts: list[str] = []
    spans = []
    at = 0
    context = None
    ordered = segments.sort_values(["char_start", "segment_id"], kind="stable")
    for row in ordered.itertuples(index=False):
        row_context = None if _blank(getattr(row, "context", None)) else str(row.context)
        if row_context and row_context != context:
            heading = f"## {' '.join(row_context.split())}\n\n"
            parts.append(heading)
            at += len(heading)
        context = row_context or context
        who = [] if _blank(getattr(row, "speaker", None)) else [str(row.speaker)]
        if not _blank(getattr(row, "question", None)):
            who.append(str(row.question))
        prefix = f"{' · '.join(who)}: " if who else ""
        text = str(row.text)
        spans.append((row.segment_id, at + len(prefix), at + len(prefix) + len(text)))
        parts.append(f"{prefix}{text}\n\n")
        at += len(prefix) + len(text) + 2
    return "".join(parts), pd.DataFrame(spans, columns=["segment_id", "start", "end"])


def _e(parent: ET.Element, tag: str, /, **attrs: object) -> ET.Element:
    return ET.SubElement(parent, f"{{{PROJECT_NS}}}{tag}", {k: str(v) for k, v in attrs.items()})


def _hand_selections(
    source: ET.Element,
    span: _Span,
    text: str,
    codes: dict[str, dict[str, tuple[list[str], str]]],
    notes: list[tuple[str, str, str, str]],
) -> None:
    """Add each coder's codes on one segment as their own selection, memo as a note on it."""
    preview = " ".join(text[span.start : span.end].split())
    for coder, (themes, memo) in sorted(codes.get(span.segment_id, {}).items()):
        if not themes and not memo:
            continue
        user = guid("user", f"coder:{coder}")
        key = f"{span.segment_id}:coder:{coder}"
        selection = _e(
            source,
            "PlainTextSelection",
            guid=guid("selection", key),
            name=preview[:60] + ("…" if len(preview) > 60 else ""),
            startPosition=span.start,
            endPosition=span.end,
            creatingUser=user,
        )
        for theme in themes:
            coding = _e(
                selection, "Coding", guid=guid("coding", f"{key}:{theme}"), creatingUser=user
            )
            _e(coding, "CodeRef", targetGUID=guid("theme", theme))
        if memo:
            _e(selection, "NoteRef", targetGUID=guid("note", key))
            notes.append((guid("note", key), f"Memo by {coder}: {preview[:40]}", user, memo))


def _hand_codes(codes: pd.DataFrame | None, known: set[str]) -> dict:
    """Segment → coder → (themes ticked, memo), from the coding panel's codes."""
    hand: dict[str, dict[str, tuple[list[str], str]]] = {}
    if codes is None:
        return hand
    for (segment, coder), rows in codes.groupby(["segment_id", "coder"], sort=True):
        memo = next((m for m in rows.get("memo", []) if not _blank(m)), "")
        ticked = [t for t in rows["theme"].dropna() if t in known]
        # Group keys are typed Hashable; segment ids and coders are strings.
        hand.setdefault(cast(str, segment), {})[cast(str, coder)] = (ticked, str(memo))
    return hand


def _head(root, methods: list[str], coders: list[str], codebook: Codebook) -> None:
    """The users (a tagger per method, then each coder), the codebook and the variables."""
    users = _e(root, "Users")
    for method in methods:
        _e(
            users,
            "User",
            guid=guid("user", method),
            name=TAGGER_USERS[method],
            id=f"coprod-{method}",
        )
    for coder in coders:
        _e(users, "User", guid=guid("user", f"coder:{coder}"), name=coder)
    add_codes(_e(root, "CodeBook"), codebook, ns=PROJECT_NS)
    variables = _e(root, "Variables")
    for key, name, kind in (
        ("session", "Session", "Text"),
        ("date", "Session date", "Date"),
        ("kind", "Source kind", "Text"),
    ):
        _e(variables, "Variable", guid=guid("variable", key), name=name, typeOfVariable=kind)


def _tag_selections(source, span, text: str, tagged: pd.DataFrame, *, default: str) -> list[str]:
    """The tagger's codings on one segment, a selection each; return their guids."""
    made = []
    preview = " ".join(text[span.start : span.end].split())
    for theme, method in zip(tagged["theme"], tagged["method"], strict=True):
        selection_guid = guid("selection", f"{span.segment_id}:{theme}")
        user = guid("user", method if method in TAGGER_USERS else default)
        selection = _e(
            source,
            "PlainTextSelection",
            guid=selection_guid,
            name=preview[:60] + ("…" if len(preview) > 60 else ""),
            startPosition=span.start,
            endPosition=span.end,
            creatingUser=user,
        )
        coding = _e(
            selection,
            "Coding",
            guid=guid("coding", f"{span.segment_id}:{theme}"),
            creatingUser=user,
        )
        _e(coding, "CodeRef", targetGUID=guid("theme", theme))
        made.append(selection_guid)
    return made


def project_qde(
    corpus: Corpus,
    tags: pd.DataFrame,
    codebook: Codebook,
    *,
    origin: str,
    codes: pd.DataFrame | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Build ``project.qde`` and the source texts of a REFI-QDA project.

    Args:
        corpus: the ingested corpus (``sessions`` and ``segments``).
        tags: the ``themes`` table (``segment_id, theme, method``).
        codebook: the codebook whose themes become codes.
        origin: written as the project's ``origin`` (tool and version).
        codes: hand codes from the coding panel (``segment_id, theme, coder, memo``): each
            coder is a user with their own selections, and a memo is a note on its selection.

    Returns:
        ``(xml, sources)``: the project XML, and ``{member path in the zip: text}``.
    """
    # Long because the loop over sources that writes each source with its selections and variables; the parts with names are apart already.
    ET.register_namespace("", PROJECT_NS)
    segments = corpus.segments
    known = set(codebook.ids)
    tags = tags[tags["theme"].isin(known)].drop_duplicates(["segment_id", "theme"])
    methods = [m for m in TAGGER_USERS if m in set(tags["method"])] or ["rule"]
    hand = _hand_codes(codes, known)
    notes: list[tuple[str, str, str, str]] = []
    root = ET.Element(
        f"{{{PROJECT_NS}}}Project",
        name="coprod-analysis roundtables",
        origin=origin,
        creatingUserGUID=guid("user", methods[0]),
    )
    _head(root, methods, sorted({c for per in hand.values() for c in per}), codebook)

    dates = dict(zip(corpus.sessions["session_id"], corpus.sessions["date"], strict=True))
    by_segment = {sid: group for sid, group in tags.groupby("segment_id", sort=False)}
    sources_xml: list[ET.Element] = []
    texts: dict[str, str] = {}
    session_sources: dict[str, list[str]] = {}
    speaker_selections: dict[str, list[str]] = {}
    for name, part in segments.groupby("source_file", sort=True):
        text, spans = source_layout(part)
        source_guid = guid("source", str(name))
        texts[f"sources/{source_guid}.txt"] = text
        session = str(part["session_id"].iloc[0])
        session_sources.setdefault(session, []).append(source_guid)
        source = ET.Element(
            f"{{{PROJECT_NS}}}TextSource",
            {
                "guid": source_guid,
                "name": str(name),
                "plainTextPath": f"internal://{source_guid}.txt",
            },
        )
        speakers = dict(zip(part["segment_id"], part["speaker"], strict=True))
        for span in _spans(spans):
            tagged = by_segment.get(span.segment_id, tags.iloc[0:0])
            made = _tag_selections(source, span, text, tagged, default=methods[0])
            speaker = speakers.get(span.segment_id)
            if made and not _blank(speaker):
                speaker_selections.setdefault(str(speaker), []).extend(made)
            _hand_selections(source, span, text, hand, notes)
        date = f"{dates[session]:%Y-%m-%d}" if session in dates else None
        for variable, value, kind in (
            ("session", session, "TextValue"),
            ("date", date, "DateValue"),
            ("kind", str(part["source_kind"].iloc[0]), "TextValue"),
        ):
            if value:
                holder = _e(source, "VariableValue")
                _e(holder, "VariableRef", targetGUID=guid("variable", variable))
                _e(holder, kind).text = value
        sources_xml.append(source)

    cases = _e(root, "Cases")
    for session, source_guids in session_sources.items():
        case = _e(cases, "Case", guid=guid("case", f"session:{session}"), name=f"Session {session}")
        for source_guid in source_guids:
            _e(case, "SourceRef", targetGUID=source_guid)
    for speaker, selection_guids in sorted(speaker_selections.items()):
        case = _e(cases, "Case", guid=guid("case", f"speaker:{speaker}"), name=f"Speaker {speaker}")
        for selection_guid in selection_guids:
            _e(case, "SelectionRef", targetGUID=selection_guid)
    sources = _e(root, "Sources")
    sources.extend(sources_xml)
    if not len(cases):
        root.remove(cases)
    if not len(sources):
        root.remove(sources)
    if notes:
        holder = _e(root, "Notes")
        for note_guid, name, user, memo in notes:
            note = _e(holder, "Note", guid=note_guid, name=name, creatingUser=user)
            _e(note, "PlainTextContent").text = memo
    return to_bytes(root), texts


def write_qdpx(
    path: str | Path,
    corpus: Corpus,
    tags: pd.DataFrame,
    codebook: Codebook,
    *,
    origin: str,
    codes: pd.DataFrame | None = None,
) -> Path:
    """Write a REFI-QDA project (``.qdpx``): ``project.qde`` plus ``sources/*.txt``, atomically.

    The project is checked against Project-mrt2019.xsd before anything is written.

    Example:
        >>> write_qdpx("reports/coproduction.qdpx", corpus, tags, codebook, origin="coprod-analysis")  # doctest: +SKIP
    """
    from coprod_analysis.outputs import atomic_write

    xml, texts = project_qde(corpus, tags, codebook, origin=origin, codes=codes)
    require_valid(xml, kind="project")

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member, data in [
                ("project.qde", xml),
                *((m, t.encode("utf-8")) for m, t in texts.items()),
            ]:
                archive.writestr(
                    zipfile.ZipInfo(member, date_time=_ZIP_TIME), data, zipfile.ZIP_DEFLATED
                )

    path = Path(path)
    atomic_write(path, write)
    return path
