"""Word ``.docx`` notes: paragraphs and table cells, in document order, read from the XML.

The body is read by :mod:`coprod_analysis.ingest.wordml` (tracked insertions, content
controls and text boxes in; deletions, headers, footers, comments and footnotes out); this
module lays the blocks out as plain text, splits speaker turns as in text notes, and follows
the layout of a Teams transcript saved as Word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from coprod_analysis.config import FileLimits
from coprod_analysis.ingest.archive import check_zip
from coprod_analysis.ingest.notes import Line, SpeakerRule, timed_speaker, units_from_lines
from coprod_analysis.ingest.source import Source, Unit
from coprod_analysis.ingest.wordml import Block, read_blocks

# Older Teams: "0:0:0.0 --> 0:0:5.0", then the speaker's name on the next line.
_CUE = re.compile(r"^\s*\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d+)?\s*-->\s*\d{1,2}:\d{1,2}:\d{1,2}")


class _Turns:
    """Teams' layout: a line naming the speaker (and time) above their paragraphs."""

    def __init__(self, rule: SpeakerRule) -> None:
        self.rule = rule
        self.speaker: str | None = None
        self.name_next = False  # after an older Teams cue line, the name comes next

    def names_speaker(self, raw: str) -> bool:
        """Tell whether a line is layout (a speaker line or cue) rather than words."""
        if self.name_next:
            self.name_next = False
            if self.rule.is_speaker(raw.strip(), any_case=True):
                self.speaker = raw.strip()
                return True
        if "-->" in raw and _CUE.match(raw):
            self.speaker, self.name_next = None, True
            return True
        speaker = timed_speaker(raw, self.rule) if len(raw) < 80 else None
        if speaker:
            self.speaker = speaker
            return True
        return False


def _layout(
    blocks: list[Block], rule: SpeakerRule
) -> tuple[str, list[Line], list[tuple[int, int, str]]]:
    """Join the blocks with blank lines; return the text, its lines and Teams turns' spans."""
    pieces: list[str] = []
    lines: list[Line] = []
    spans: list[tuple[int, int, str]] = []
    turns = _Turns(rule)
    pos = 0
    for kind, text, context in blocks:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
        offset = pos
        for raw in text.split("\n"):
            end = offset + len(raw)
            if kind == "heading":
                lines.append(Line(offset, end, "heading"))
                turns = _Turns(rule)
            elif not raw.strip():
                lines.append(Line(offset, end, "blank", context))
            elif kind == "para" and turns.names_speaker(raw):
                lines.append(Line(offset, end, "blank"))
            else:
                lines.append(Line(offset, end, "text", context))
                if kind == "para" and turns.speaker:
                    spans.append((offset, end, turns.speaker))
            offset = end + 1
        lines.append(Line(offset, offset, "blank"))
        pieces.append(text)
        pos += len(text) + 2
    return "\n\n".join(pieces), lines, spans


def _give_speakers(units: list[Unit], spans: list[tuple[int, int, str]]) -> None:
    """Give a unit without a speaker the Teams speaker of the line it starts in."""
    starts = [start for start, _, _ in spans]
    for unit in units:
        i = bisect_right(starts, unit.start) - 1
        if unit.speaker is None and i >= 0 and unit.start <= spans[i][1]:
            unit.speaker = spans[i][2]


def read_docx(
    path: str | Path,
    *,
    display: str,
    rule: SpeakerRule,
    limits: FileLimits = FileLimits(),
) -> Source:
    """Read a Word document into a :class:`Source` of kind ``notes``.

    The plain text is each paragraph and table cell of the body in document order,
    separated by a blank line. Heading paragraphs (styles Heading 1-9 and Title, or an
    outline level) become the context of what follows; a table cell's context is the
    heading, its row label and its column header. Speaker turns (``Name: words``) inside
    paragraphs are split as in text notes, and a Teams transcript's ``Name   0:15`` line
    names the speaker of the paragraphs below it, up to the next such line.

    Args:
        path: the ``.docx`` file.
        display: the file's name in messages.
        rule: which labels name speakers.
        limits: the largest unpacked size and member count allowed.

    Raises:
        InputError: the file unpacks too large, or is corrupt, truncated or not a Word
            document.

    Example:
        >>> from pathlib import Path
        >>> from coprod_analysis.ingest.docx import read_docx
        >>> from coprod_analysis.ingest.notes import SpeakerRule
        >>> import tempfile, docx
        >>> document = docx.Document()
        >>> _ = document.add_heading("Table 2", level=2)
        >>> _ = document.add_paragraph("Jane Smith: grants are too short.")
        >>> path = Path(tempfile.mkdtemp()) / "notes.docx"
        >>> document.save(path)
        >>> source = read_docx(path, display="s1/notes.docx", rule=SpeakerRule())
        >>> [(u.speaker, u.context, source.unit_text(u)) for u in source.units]
        [('Jane Smith', 'Table 2', 'grants are too short.')]
    """
    check_zip(path, display=display, limits=limits)
    plain, lines, spans = _layout(read_blocks(Path(path), display), rule)
    units = units_from_lines(plain, lines, rule=rule)
    _give_speakers(units, spans)
    return Source(display, "notes", plain, units)
