"""Scored answers: ladder rungs and Likert labels to numbers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_NUMBERED = re.compile(r"^\s*\(?(\d{1,2})\s*[).:\-–—]?\s*(.*)$")


def fold(text: str) -> str:
    """Fold an answer for matching: lower case, letters and digits only.

    Example:
        >>> from coprod_analysis.ingest.scales import fold
        >>> fold(" Co-Production "), fold("co production"), fold("Co–design")
        ('coproduction', 'coproduction', 'codesign')
    """
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def match_label(
    answer: str, labels: Sequence[str], *, aliases: Mapping[str, str] = {}
) -> int | None:
    """Return the 1-based position of an answer in an ordered list of labels.

    Matching ignores case, spaces and punctuation. A bare number from 1 to ``len(labels)``
    is taken as the position; ``"3 - Consultation"`` matches by its words. ``aliases`` maps
    other words to a label.

    Returns:
        The position, or None when the answer matches no label.

    Example:
        >>> from coprod_analysis.ingest.scales import match_label
        >>> rungs = ["informing", "consultation", "co-design"]
        >>> match_label("Co-Design", rungs), match_label("2", rungs), match_label("chat", rungs)
        (3, 2, None)
    """
    folded = {fold(label): i for i, label in enumerate(labels, start=1)}
    for alias, target in aliases.items():
        if fold(target) in folded:
            folded.setdefault(fold(alias), folded[fold(target)])
    key = fold(answer)
    if key in folded:
        return folded[key]
    numbered = _NUMBERED.match(answer)
    if numbered:
        number, words = int(numbered[1]), fold(numbered[2])
        if words in folded:
            return folded[words]
        if not words and 1 <= number <= len(labels):
            return number
    return None
