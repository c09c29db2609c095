"""Who is who: link the names a corpus uses for one person, and give each a public label."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from coprod_analysis.privacy.pseudonyms import FACILITATOR, normalise_name, pseudonym

PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")
# Titles before a name: never part of it.
TITLES = [
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Doctor",
    "Prof",
    "Professor",
    "Cllr",
    "Councillor",
    "Rev",
    "Revd",
    "Reverend",
    "Sir",
    "Dame",
    "Lady",
    "Lord",
    "Father",
    "Fr",
    "Sister",
    "Nurse",
    "Sgt",
    "Sergeant",
    "Insp",
    "Inspector",
    "PC",
    "DC",
    "Pastor",
    "Imam",
    "Rabbi",
    "Canon",
    "Bishop",
    "Judge",
    "Sheriff",
    "Capt",
    "Captain",
]
HONORIFIC = re.compile(rf"^(?:(?:{'|'.join(TITLES)})\.?\s+)+", re.I)
# Video-call display names: "Ewan's iPhone", "Priya Nair's iPad (2)", "Jo's MacBook Pro".
DEVICE = re.compile(
    r"['’]s\s+(?:iphone|ipad|android|galaxy|pixel|phone|mobile|laptop|pc|computer|tablet|"
    r"device|surface|chromebook|mac|macbook(?:\s+(?:pro|air))?|imac)\b(?:\s*\(\d+\))?\s*$",
    re.I,
)
GENERIC = re.compile(r"^(?:unknown )?(?:speaker|participant|voice)\s*-?\s*\d*$", re.I)
ANON_PREFIX = "#row:"


def person_name(label: str) -> str:
    """Return the person behind a speaker label: no device suffix, no title, single spaces.

    Example:
        >>> [person_name(x) for x in ("Ewan's iPhone", "Dr Priya  Nair", "Cllr. Jo Bloggs")]
        ['Ewan', 'Priya Nair', 'Jo Bloggs']
    """
    name = DEVICE.sub("", " ".join(label.split()))
    stripped = HONORIFIC.sub("", name)
    return stripped or name  # "Dr" alone stays as it is


def _core(label: str) -> tuple[str, str | None]:
    """Split ``Facilitator (Amina)`` into ``Facilitator`` and ``Amina``, titles stripped."""
    match = PAREN.search(label)
    if not match:
        return person_name(label), None
    inner = person_name(match[1]) if match[1].strip() else None
    return person_name(label[: match.start()]), inner


@dataclass
class People:
    """Every name a corpus uses for people, and how each maps to a public label.

    A facilitator label (``Facilitator``, ``Facilitator (Amina)``) or a facilitator named
    in the manifest becomes ``Facilitator``. A first name used alone ("Priya") is linked to
    the one full name in the corpus that starts with it ("Priya Shah"), so both get the same
    pseudonym; if two full names share it, it stays apart. Generic labels such as
    ``Speaker 2`` are only meaningful inside their file, so they are keyed by file.
    """

    facilitator_labels: frozenset[str]
    facilitators: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    _by_first: dict[str, list[str]] | None = field(default=None, repr=False)

    def add_facilitators(self, names: Iterable[str]) -> None:
        """Record names listed as facilitators in the manifest."""
        for name in map(person_name, names):
            self.facilitators.add(normalise_name(name))
            self.names.add(name)
        self._by_first = None

    def add(self, identity: str | None) -> None:
        """Record a speaker label or respondent identity found in a source."""
        if not identity or identity.startswith(ANON_PREFIX) or "@" in identity:
            return
        core, inner = _core(identity)
        if core.casefold() in self.facilitator_labels:
            if inner:
                self.add_facilitators([inner])
            return
        if not GENERIC.match(core):
            self.names.add(core)
            self._by_first = None

    def all_names(self) -> set[str]:
        """Return every real name seen, for redaction."""
        return set(self.names)

    def _full_names(self) -> dict[str, list[str]]:
        if self._by_first is None:
            self._by_first = {}
            for name in sorted({normalise_name(n) for n in self.names}):
                words = name.split()
                if len(words) > 1:
                    self._by_first.setdefault(words[0], []).append(name)
        return self._by_first

    def canonical(self, identity: str, *, source: str = "") -> str:
        """Return the identity a pseudonym is made from, or ``Facilitator``.

        Example:
            >>> people = People(frozenset({"facilitator"}))
            >>> for n in ("Priya Shah", "Priya"): people.add(n)
            >>> people.canonical("Priya")
            'priya shah'
        """
        if identity.startswith(ANON_PREFIX) or "@" in identity:
            return identity.casefold()
        core, _ = _core(identity)
        if core.casefold() in self.facilitator_labels:
            return FACILITATOR
        if GENERIC.match(core):
            return f"{source}#{core.casefold()}"
        name = normalise_name(core)
        if " " not in name:
            matches = self._full_names().get(name, [])
            if len(matches) == 1:
                name = matches[0]
        if name in self.facilitators:
            return FACILITATOR
        return name

    def label(self, identity: str | None, key: bytes, *, source: str = "") -> str | None:
        """Return the public label of a person: ``Facilitator`` or a pseudonym like ``P-7K2QD4``."""
        if not identity:
            return None
        canonical = self.canonical(identity, source=source)
        return canonical if canonical == FACILITATOR else pseudonym(canonical, key)
