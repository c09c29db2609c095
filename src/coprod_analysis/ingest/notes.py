"""Notes as plain text or Markdown: speaker turns, paragraphs, bullets and heading context."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coprod_analysis.ingest.decode import read_text
from coprod_analysis.ingest.source import Source, Unit

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<title>.*?)\s*#*\s*$")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$|^\s*\|?[\s:|-]*-[\s:|-]*\|?\s*$")
BULLET = re.compile(r"^\s*(?:[-*•+–]|\d{1,2}[.)])\s+")
TURN = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:\*\*|__)?(?P<label>[^\W\d_][^:\n]{0,59}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s+(?=\S)"
)
# Otter's text export: "Jane Smith  0:03" on a line of its own, the turn below it.
OTTER = re.compile(r"^(?P<label>[^\W\d_][^\n]{0,50}?)\s{2,}\d{1,2}:\d{2}(?::\d{2})?\s*$")
NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "le", "la", "du", "da", "bin", "al", "mac"}
)
PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")
SPEAKER_N = re.compile(r"^(speaker|participant|p)\s*-?\d+$", re.I)


@dataclass(frozen=True)
class SpeakerRule:
    """Decides whether a ``Label:`` prefix names a speaker."""

    not_speakers: frozenset[str] = frozenset()
    facilitator_labels: frozenset[str] = frozenset({"facilitator"})

    @classmethod
    def make(cls, *, not_speakers: Iterable[str], facilitator_labels: Iterable[str]) -> SpeakerRule:
        """Build a rule from the lists in ``config/project.yml``."""
        return cls(
            frozenset(w.casefold() for w in not_speakers),
            frozenset(w.casefold() for w in facilitator_labels),
        )

    def is_facilitator(self, label: str) -> bool:
        """Tell whether a label is the facilitator role (``Facilitator (Amina)`` too)."""
        return PAREN.sub("", label).strip().casefold() in self.facilitator_labels

    def is_speaker(self, label: str) -> bool:
        """Tell whether a label looks like a person's name, a role or ``Speaker 2``.

        Example:
            >>> rule = SpeakerRule.make(not_speakers=["Action"], facilitator_labels=[])
            >>> [rule.is_speaker(x) for x in ("Jane Smith", "Action", "Table 2", "key point")]
            [True, False, False, False]
        """
        core = PAREN.sub("", label).strip()
        folded = core.casefold()
        if folded in self.facilitator_labels or SPEAKER_N.match(core):
            return True
        if folded in self.not_speakers or len(core) > 40:
            return False
        words = core.split()
        return 1 <= len(words) <= 4 and all(_name_word(w) for w in words)


def _name_word(word: str) -> bool:
    return bool(NAME_WORD.match(word)) and (word[0].isupper() or word in PARTICLES)


@dataclass(frozen=True)
class Line:
    """A line of a source's plain text: ``kind`` says how to treat it."""

    start: int
    end: int
    kind: Literal["text", "heading", "blank"]
    context: str | None = None


def markdown_lines(text: str) -> list[Line]:
    """Classify each line of plain text or Markdown as text, heading or blank.

    Example:
        >>> [ln.kind for ln in markdown_lines("## Table 2\\nJane: yes\\n\\nok")]
        ['heading', 'text', 'blank', 'text']
    """
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        heading = HEADING.match(raw)
        if heading:
            offset = heading.start("title")
            lines.append(Line(start + offset, start + heading.end("title"), "heading"))
        elif not raw.strip() or RULE.match(raw):
            lines.append(Line(start, end, "blank"))
        else:
            lines.append(Line(start, end, "text"))
    return lines


class _Builder:
    """Accumulates units while walking lines."""

    def __init__(self, text: str, rule: SpeakerRule) -> None:
        self.text = text
        self.rule = rule
        self.units: list[Unit] = []
        self.current: Unit | None = None
        self.heading: str | None = None
        self.turn_speaker: str | None = None

    def flush(self) -> None:
        if self.current and any(
            ch.isalnum() for ch in self.text[self.current.start : self.current.end]
        ):
            self.units.append(self.current)
        self.current = None

    def start(self, start: int, end: int, speaker: str | None, context: str | None) -> None:
        self.flush()
        self.current = Unit(start=start, end=end, speaker=speaker, context=context or self.heading)

    def feed(self, line: Line) -> None:
        raw = self.text[line.start : line.end]
        if line.kind == "blank":
            self.flush()
            self.turn_speaker = None
            return
        if line.kind == "heading":
            self.flush()
            self.turn_speaker = None
            self.heading = " ".join(raw.split()) or None
            return
        otter = OTTER.match(raw)
        if otter and self.rule.is_speaker(otter["label"].strip()):
            self.flush()
            self.turn_speaker = otter["label"].strip()
            return
        turn = TURN.match(raw)
        if turn and self.rule.is_speaker(turn["label"].strip()):
            self.start(line.start + turn.end(), line.end, turn["label"].strip(), line.context)
            return
        bullet = BULLET.match(raw)
        if bullet:
            self.start(line.start + bullet.end(), line.end, self.turn_speaker, line.context)
        elif self.current is not None:
            self.current.end = line.end
        else:
            lead = len(raw) - len(raw.lstrip())
            self.start(line.start + lead, line.end, self.turn_speaker, line.context)


def units_from_lines(text: str, lines: Iterable[Line], *, rule: SpeakerRule) -> list[Unit]:
    """Split classified lines into units: speaker turns where present, else paragraphs.

    A ``Name: words`` line starts a turn, and the lines after it continue the turn until a
    blank line. A bullet starts a unit of its own. Otherwise a paragraph is a unit. Each unit
    carries the nearest heading above it (or the line's own context) as its context.

    Example:
        >>> text = "## Funding\\nJane: grants are short\\nand late\\n\\nA note."
        >>> units = units_from_lines(text, markdown_lines(text), rule=SpeakerRule())
        >>> [(u.speaker, u.context, text[u.start:u.end]) for u in units]
        [('Jane', 'Funding', 'grants are short\\nand late'), (None, 'Funding', 'A note.')]
    """
    builder = _Builder(text, rule)
    for line in lines:
        builder.feed(line)
    builder.flush()
    return builder.units


def read_notes(path: str | Path, *, display: str, rule: SpeakerRule) -> Source:
    """Read ``.txt`` or ``.md`` notes into a :class:`Source` of kind ``notes``.

    The plain text is the decoded file with line endings normalised to ``\\n``.

    Raises:
        InputError: the file is binary, not text.

    Example:
        >>> read_notes("data/raw/s1/notes.md", display="s1/notes.md",
        ...            rule=SpeakerRule())  # doctest: +SKIP
    """
    text = read_text(path, display=display)
    return Source(display, "notes", text, units_from_lines(text, markdown_lines(text), rule=rule))
