"""What every reader returns: a source's plain text and its units of talk, before privacy.

Readers never pseudonymise or redact; they return real names as found, and
:mod:`coprod_analysis.ingest.build` turns them into the public tables. Offsets
(``start``, ``end``) index the source's plain text, so ``plain_text[start:end]`` is the
unit's words as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["notes", "transcript", "survey"]


@dataclass
class Unit:
    """One unit of talk or one free-text answer, as found in the source."""

    start: int
    end: int
    speaker: str | None = None
    context: str | None = None
    question: str | None = None
    start_time: float | None = None
    timing: str | None = None


@dataclass
class Answer:
    """One closed survey answer (long format), with the respondent's real identity."""

    respondent: str
    question: str
    answer: str
    value: float | None
    timing: str | None


@dataclass
class Source:
    """A read source file: its plain text, units and (for surveys) closed answers."""

    path: str
    kind: SourceKind
    plain_text: str
    units: list[Unit] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    # People named in a list (Attendees, Present, Apologies), who may never speak.
    people: list[str] = field(default_factory=list)

    def unit_text(self, unit: Unit) -> str:
        """Return a unit's words as written, with runs of white space folded."""
        return " ".join(self.plain_text[unit.start : unit.end].split())
