"""Topics that are mostly talk about running the session, not about what people discussed.

A topic is marked ``facilitation`` when either

* at least half (:data:`TOP_WORDS_SHARE`) of its top c-TF-IDF words are about running or
  dating the session (a word, or a part of a two-word term, is on
  :data:`~coprod_analysis.topics.stoplist.SESSION_WORDS`: "table", "scribes", "facilitator
  notes", "november"), or
* at least half (:data:`HOUSEKEEPING_SHARE`) of its segments are housekeeping.

A segment is housekeeping (:func:`is_housekeeping`) when it is not a survey answer and either
gives contact details (an ``[EMAIL]``, ``[PHONE]`` or ``[POSTCODE]`` placeholder is left where
they were redacted) or at least half (:data:`SESSION_SHARE`) of its content words (words that
are not English stop words, numbers or placeholders) are session words: "Table 2 – the
ladder", "Facilitator notes, 11 June 2024, community learning hub".

Survey answers are what participants chose to write, so they are never housekeeping. Fillers,
numbers and contraction fragments are stop-listed in labels but do not count here: talk is full
of them ("twelve-month grant cycles mean the first three months…").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coprod_analysis.privacy.redact import PLACEHOLDER
from coprod_analysis.topics.stoplist import english_stop_words, session_words, words

if TYPE_CHECKING:
    import numpy as np

TOP_WORDS_SHARE = 0.5
HOUSEKEEPING_SHARE = 0.5
SESSION_SHARE = 0.5
_CONTACT = re.compile(r"\[(?:EMAIL|PHONE|POSTCODE)\]")


def is_housekeeping(text: str, *, source_kind: str | None = None) -> bool:
    """Say whether a segment is about running the session: contact details, or many session words.

    Example:
        >>> from coprod_analysis.topics.facilitation import is_housekeeping
        >>> is_housekeeping("Bookings and questions about the series go to [EMAIL].")
        True
        >>> is_housekeeping("Table 2 – the ladder")
        True
        >>> is_housekeeping("Table 2 – the ladder", source_kind="survey")
        False
        >>> is_housekeeping("Small money's still real money.")
        False
    """
    if source_kind == "survey":
        return False
    if _CONTACT.search(text):
        return True
    content = [
        w
        for w in words(PLACEHOLDER.sub(" ", text))
        if w not in english_stop_words() and not w.isdigit()
    ]
    return bool(content) and len(session_words(" ".join(content))) >= SESSION_SHARE * len(content)


def is_facilitation(
    top_words: Sequence[str],
    texts: Sequence[str] | np.ndarray,
    *,
    source_kinds: Sequence[str | None] | np.ndarray | None = None,
) -> bool:
    """Say whether a topic is mostly facilitation talk (see the module docstring for the rule).

    Args:
        top_words: the topic's top c-TF-IDF words, best first (as computed, not stop-listed).
        texts: the topic's segments.
        source_kinds: each segment's ``source_kind`` (``notes``, ``transcript``, ``survey``).

    Example:
        >>> from coprod_analysis.topics.facilitation import is_facilitation
        >>> is_facilitation(["table", "scribes", "said", "point", "time"], ["We spoke about money."])
        True
        >>> is_facilitation(["funders", "funding", "money"], ["Contact me at [EMAIL].", "Fund us."])
        True
        >>> is_facilitation(["funders", "funding", "money"], ["Fund us.", "Pay people."])
        False
    """
    session = sum(bool(session_words(w)) for w in top_words)
    if top_words and session >= TOP_WORDS_SHARE * len(top_words):
        return True
    if not len(texts):
        return False
    kinds = source_kinds if source_kinds is not None else [None] * len(texts)
    housekeeping = sum(
        is_housekeeping(str(t), source_kind=k) for t, k in zip(texts, kinds, strict=True)
    )
    return housekeeping >= HOUSEKEEPING_SHARE * len(texts)
