"""Replace names, emails, UK phone, NHS and CHI numbers and UK postcodes in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from coprod_analysis.privacy.alternation import alternation
from coprod_analysis.privacy.patterns import redact_identifiers
from coprod_analysis.privacy.people import person_name

# A word of a name: letters first, then letters, digits, apostrophes and hyphens.
WORD = re.compile(r"[^\W\d_][\w'’-]*")

# Every placeholder redaction leaves in text (names, emails, phones, ids, postcodes).
PLACEHOLDER = re.compile(r"\[(?:NAME|EMAIL|PHONE|POSTCODE|ID)\]")


def name_tokens(names: Iterable[str]) -> set[str]:
    """Return the first names and surnames in a set of full names (two letters or more).

    Titles (Dr, Cllr, Mrs, …) and device suffixes ("Ewan's iPhone") are not names.

    Example:
        >>> sorted(name_tokens(["Jane Smith", "Jo", "Dr Priya Nair"]))
        ['Jane', 'Jo', 'Nair', 'Priya', 'Smith']
    """
    tokens: set[str] = set()
    for name in names:
        words = WORD.findall(person_name(name))
        if words:
            tokens.update(w for w in (words[0], words[-1]) if len(w) >= 2)
    return {t[0].upper() + t[1:] for t in tokens}


@dataclass(frozen=True)
class Redactor:
    """Redacts a fixed set of known names plus every email, UK phone, NHS or CHI number and postcode.

    Full names (two words or more) match in any case; a first name or surname alone, or a
    one-word name, matches only when written with a capital letter, so "Hope" the person is
    redacted but "hope" the word is not.
    """

    names: re.Pattern[str] | None = None
    tokens: re.Pattern[str] | None = None
    folded_tokens: frozenset[str] = frozenset()

    @classmethod
    def for_names(cls, names: Iterable[str]) -> Redactor:
        """Build a redactor for these people (full names, or a first name alone).

        Example:
            >>> Redactor.for_names(["Jane Smith"])("Ask jane smith or Jane, jane@x.org")
            'Ask [NAME] or [NAME], [EMAIL]'
        """
        folded = {" ".join(n.split()) for n in names if n.strip()}
        full = {n for n in folded if " " in n}
        tokens = name_tokens(folded)
        # One tree-shaped pattern each (privacy.alternation): the longest name first, at a
        # cost that does not grow with the number of names.
        return cls(
            re.compile(rf"(?<!\w)(?:{alternation(full, ignore_case=True)})(?!\w)", re.I)
            if full
            else None,
            re.compile(rf"(?<!\w)(?:{alternation(tokens)})(?!\w)") if tokens else None,
            frozenset(t.casefold() for t in tokens if len(t) >= 3),
        )

    def __call__(self, text: str) -> str:
        """Return the text with personal details replaced by ``[NAME]``, ``[EMAIL]``, …."""
        text = redact_identifiers(text)
        if self.names is not None:
            text = self.names.sub("[NAME]", text)
        if self.tokens is not None:
            text = self.tokens.sub("[NAME]", text)
        return text

    def path(self, path: str) -> str:
        """Redact names in a file path, whose words are often lower case and hyphenated.

        Any word of the file or folder names (split at ``-``, ``_``, ``.`` and spaces) that is a
        known first name or surname, in any case, becomes ``[NAME]``.

        Example:
            >>> Redactor.for_names(["Jane Smith"]).path("s1/interview-jane_smith.vtt")
            's1/interview-[NAME]_[NAME].vtt'
        """
        return re.sub(
            r"[^\W\d_]+",
            lambda m: "[NAME]" if m[0].casefold() in self.folded_tokens else m[0],
            path,
        )
