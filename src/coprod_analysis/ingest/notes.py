"""Notes as plain text or Markdown: speaker turns, paragraphs, bullets and heading context."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coprod_analysis.ingest.decode import read_text
from coprod_analysis.ingest.source import Source, Unit
from coprod_analysis.privacy.people import PAREN, person_name

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<title>.*?)\s*#*\s*$")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$|^\s*\|?[\s:|-]*-[\s:|-]*\|?\s*$")
BULLET = re.compile(r"^\s*(?:[-*•+–]|\d{1,2}[.)])\s+")
TURN = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:\*\*|__)?(?P<label>[^\W\d_][^:\n]{0,59}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s+(?=\S)"
)
# A speaker on a line of its own with a time, the turn below it: Otter's and Teams' text
# exports ("Jane Smith  0:03", "Jane Smith<tab>1:02:03") and Zoom's ("[jane smith] 14:02:11").
OTTER = re.compile(
    r"^\s*(?:\[(?P<bracketed>[^\]\n]{1,50})\]\s+|(?P<label>[^\W\d_][^\n]{0,50}?)(?:\s{2,}|\t))"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\s*$"
)
_ALNUM = re.compile(r"[^\W_]")  # a letter or digit: what str.isalnum takes
NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
PARTICLES = frozenset(
    {"de", "van", "von", "der", "den", "le", "la", "du", "da", "bin", "al", "mac"}
)
SPEAKER_N = re.compile(r"^(speaker|participant|p)\s*-?\d+$", re.I)
# A list of people at the top of notes or a Google Meet transcript.
PEOPLE_LIST = re.compile(
    r"^\s{0,3}(?:#{1,6}\s*)?(?:\*\*|__)?(?:attendees|attendance|participants|present|"
    r"people present|in attendance|invited|apologies|apologies received|guests|panel(?:lists)?)"
    r"(?:\*\*|__)?\s*(?:(?::|-|–)(?:\*\*|__)?\s*(?P<rest>.*))?$",
    re.I,
)
_LIST_SPLIT = re.compile(r"\s*(?:[,;|]|\band\b|&)\s*")
_AFFILIATION = re.compile(r"\s*(?:\([^)]*\)|\s[-–—]\s.*|/.*)$")


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

    def is_speaker(self, label: str, *, any_case: bool = False) -> bool:
        """Tell whether a label looks like a person's name, a role or ``Speaker 2``.

        A name's words start with a capital, unless ``any_case`` is set, as it is where the
        layout itself says the label is a speaker (a transcript cue, a name-and-time line):
        video-call display names are often lower case. A device name ("Ewan's iPhone") or a
        title ("Dr Priya Nair") counts as the person's name.

        Example:
            >>> from coprod_analysis.ingest.notes import SpeakerRule
            >>> rule = SpeakerRule.make(not_speakers=["Action"], facilitator_labels=[])
            >>> [rule.is_speaker(x) for x in ("Jane Smith", "Action", "Table 2", "key point")]
            [True, False, False, False]
            >>> [rule.is_speaker(x, any_case=True) for x in ("ewan robertson", "Ewan's iPhone")]
            [True, True]
        """
        core = PAREN.sub("", label).strip()
        folded = core.casefold()
        if folded in self.facilitator_labels or SPEAKER_N.match(core):
            return True
        if folded in self.not_speakers or len(core) > 40:
            return False
        words = person_name(core).split()
        return 1 <= len(words) <= 4 and all(_name_word(w, any_case=any_case) for w in words)


def _name_word(word: str, *, any_case: bool = False) -> bool:
    if not NAME_WORD.match(word):
        return False
    if word[0].isupper() or word in PARTICLES:
        return True
    # A lower-case display name ("ewan robertson"), but not an agenda line ("tea and coffee").
    return any_case and word not in _FUNCTION_WORDS


# Words no lower-case display name is made of: "my main point was", "tea and coffee".
_FUNCTION_WORDS = frozenset(
    {
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "but", "by", "can", "could", "did", "do",
        "does", "doing", "done", "for", "from", "had", "has", "have", "having", "he", "her",
        "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me",
        "more", "most", "my", "no", "not", "now", "of", "on", "once", "only", "or", "our", "out",
        "over", "really", "she", "so", "some", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "those", "to", "too", "up", "us", "very", "was", "we",
        "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would",
        "you", "your", "break", "lunch", "coffee", "tea", "welcome", "close", "closing", "intro",
        "intros", "introductions", "registration", "arrival", "start", "end", "point", "points",
        "group", "discussion", "plenary", "feedback",
    }
)  # fmt: skip


def timed_speaker(line: str, rule: SpeakerRule) -> str | None:
    """Return the speaker of a name-and-time line (``Jane Smith   0:03``), or None.

    Example:
        >>> from coprod_analysis.ingest.notes import SpeakerRule, timed_speaker
        >>> from coprod_analysis.ingest.notes import timed_speaker
        >>> [timed_speaker(x, SpeakerRule()) for x in ("Jane Smith   0:03", "[ewan] 14:02:11")]
        ['Jane Smith', 'ewan']
        >>> timed_speaker("Lunch at 12:30", SpeakerRule()) is None
        True
    """
    match = OTTER.match(line)
    if not match:
        return None
    label = (match["bracketed"] or match["label"]).strip()
    return label if rule.is_speaker(label, any_case=True) else None


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
        >>> from coprod_analysis.ingest.notes import markdown_lines
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
        self.speakers: dict[str, bool] = {}  # each label's verdict, as notes repeat them

    def is_speaker(self, label: str) -> bool:
        if label not in self.speakers:
            self.speakers[label] = self.rule.is_speaker(label)
        return self.speakers[label]

    def flush(self) -> None:
        current = self.current
        if current and _ALNUM.search(self.text, current.start, current.end):
            self.units.append(current)
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
        speaker = timed_speaker(raw, self.rule)
        if speaker:
            self.flush()
            self.turn_speaker = speaker
            return
        turn = TURN.match(raw)
        if turn and self.is_speaker(turn["label"].strip()):
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
        >>> from coprod_analysis.ingest.notes import SpeakerRule, markdown_lines, units_from_lines
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


def _listed_name(item: str, rule: SpeakerRule) -> str | None:
    """Return the person in one list item ("Morag Campbell (the council)"), or None."""
    item = BULLET.sub("", item).strip(" \t*_.")
    item = _AFFILIATION.sub("", item).strip()
    name = person_name(item)
    words = name.split()
    if not words or not rule.is_speaker(name) or rule.is_facilitator(name):
        return None
    if any(len(w) > 1 and w.isupper() for w in words):  # GREC, NHS: an organisation
        return None
    return name


def listed_people(text: str, *, rule: SpeakerRule) -> list[str]:
    """Return the names in lists of people: ``Attendees``, ``Present``, ``Apologies``, ….

    The names follow the list's heading on the same line, or on the lines below it up to a
    blank line or heading, separated by commas, semicolons, "and" or one a line (bullets
    too). Affiliations in brackets or after a dash are dropped; titles are not names.

    Example:
        >>> from coprod_analysis.ingest.notes import SpeakerRule, listed_people
        >>> from coprod_analysis.ingest.notes import listed_people
        >>> listed_people("Attendees: Dr Morag Campbell (council), Ewan Robertson and GREC\\n"
        ...               "Notes\\nhello", rule=SpeakerRule())
        ['Morag Campbell', 'Ewan Robertson']
        >>> listed_people("# Present\\n- Fiona MacLeod – NHS\\n- Hamish\\n\\nWe met.", rule=SpeakerRule())
        ['Fiona MacLeod', 'Hamish']
    """
    found: list[str] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        match = PEOPLE_LIST.match(line)
        if not match:
            continue
        rest = match["rest"] or ""
        items = [rest] if rest.strip() else []
        if not items:
            for below in lines[i + 1 :]:
                if not below.strip() or HEADING.match(below):
                    break
                items.append(below)
        for item in items:
            for part in _LIST_SPLIT.split(item):
                name = _listed_name(part, rule)
                if name and name not in found:
                    found.append(name)
    return found


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
