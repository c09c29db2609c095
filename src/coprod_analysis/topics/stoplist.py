"""Words that say how a session was run or written up, not what was said: kept out of labels.

Topic words come from everything typed up at a roundtable, so the words scribes and
facilitators use about the session itself ("asked", "table 2", "facilitator notes", "14
November") rank as highly as what people talked about. They are fine in ``top_words`` (the
model's own c-TF-IDF words, kept as computed) but are dropped from topic labels, keywords and
codebook suggestions.

The stop list is the union of:

* :data:`FACILITATION_WORDS`: note-taking, facilitation and meeting-logistics words;
* :data:`FILLER_WORDS`: words of talk that carry no topic ("just", "thing", "yeah");
* :data:`CALENDAR_WORDS`: month and weekday names and their abbreviations, and "today",
  "week", …;
* :data:`NUMBER_WORDS`: "two", "twenty", "third", …, and any word with a digit in it;
* :data:`CONTRACTION_FRAGMENTS`: what is left of "I've", "don't" when a tokenizer splits at the
  apostrophe ("ve", "don");
* for keywords also scikit-learn's English stop words (see :func:`is_stop`).

Words are whole words, matched lower-case; a phrase is stop-listed when any word of it is
("facilitator notes", "table 2", "think ve").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")


def _listed(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text))


FACILITATION_WORDS = _listed(
    """
    ask asked asking asks said tell told note notes noted noting typed minutes scribe scribes
    scribed table tables flipchart flipcharts sticky stickies dots facilitator facilitators
    facilitate facilitated facilitating facilitation housekeeping recording recorded
    transcript zoom email emails phone contact circulate circulated roundtable roundtables
    session sessions breakout plenary thanks thank
    """
)
"""Note-taking, facilitation and meeting-logistics words.

Words that are as often content as housekeeping stay off the list: "say" ("a real say"),
"write" ("writing plans about children"), "teams", "agenda", "point", "right".
"""

FILLER_WORDS = _listed(
    """
    went got get gets getting thing things bit bits lot lots just really actually basically
    think thought know yeah yes aye okay ok um er erm
    """
)
"""Words of talk that carry no topic ("just", "thing", "yeah")."""

_MONTHS = "january february march april may june july august september october november december"
CALENDAR_WORDS = (
    _listed(_MONTHS)
    | {m[:3] for m in _listed(_MONTHS)}
    | _listed(
        """
        sept monday tuesday wednesday thursday friday saturday sunday
        mon tue tues wed thu thur thurs fri sat sun
        today tomorrow yesterday tonight morning afternoon evening week weeks weekly
        weekend month months monthly date dates am pm
        """
    )
)
"""Month and weekday names and abbreviations, and words for days and weeks."""

NUMBER_WORDS = _listed(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred thousand million first second third fourth fifth sixth seventh
    eighth ninth tenth once twice half dozen
    """
)
"""Number words (any word with a digit in it is stop-listed too)."""

CONTRACTION_FRAGMENTS = _listed(
    """
    ve ll re don doesn didn isn wasn weren aren couldn shouldn wouldn won hasn haven hadn
    mustn needn ain ma
    """
)
"""The halves of contractions a tokenizer leaves when it splits at the apostrophe."""

SESSION_WORDS = FACILITATION_WORDS | CALENDAR_WORDS
"""Words about running and dating a session: what marks a topic as facilitation talk."""

NOISE_WORDS = SESSION_WORDS | FILLER_WORDS | NUMBER_WORDS | CONTRACTION_FRAGMENTS
"""Every stop-listed word except the English stop words."""


def words(text: str) -> list[str]:
    """Return the lower-case words of a text, split at anything but a letter or digit.

    Example:
        >>> from coprod_analysis.topics.stoplist import words
        >>> words("We've co-facilitated Table 2!")
        ['we', 've', 'co', 'facilitated', 'table', '2']
    """
    return _WORD.findall(text.lower())


def session_words(text: str) -> list[str]:
    """Return the words of a text that are about running or dating a session.

    Example:
        >>> from coprod_analysis.topics.stoplist import session_words
        >>> session_words("Facilitator notes, 14 November: we've scrapped the output table")
        ['facilitator', 'notes', 'november', 'table']
    """
    return [w for w in words(text) if w in SESSION_WORDS]


def noise_words(text: str) -> list[str]:
    """Return the words of a text that are on the facilitation, calendar or number lists.

    English stop words are not counted: a readable phrase needs "the" and "of".

    Example:
        >>> from coprod_analysis.topics.stoplist import noise_words
        >>> noise_words("Facilitator notes, 14 November: we've scrapped the output table")
        ['facilitator', 'notes', '14', 'november', 've', 'table']
    """
    return [w for w in words(text) if w in NOISE_WORDS or _DIGIT.search(w)]


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """Return scikit-learn's English stop words (imported on first use).

    Example:
        >>> from coprod_analysis.topics.stoplist import english_stop_words
        >>> "the" in english_stop_words()
        True
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def is_stop(term: str) -> bool:
    """Say whether a keyword is stop-listed: any word of it is a noise or English stop word.

    A term with no word at all (punctuation, an empty string) is stop-listed too.

    Example:
        >>> from coprod_analysis.topics.stoplist import is_stop
        >>> [is_stop(t) for t in ("sharing power", "facilitator notes", "think ve", "2024")]
        [False, True, True, True]
    """
    found = words(term)
    stop = english_stop_words()
    return not found or bool(noise_words(term)) or any(w in stop for w in found)


def clean_keywords(terms: Iterable[str], *, limit: int | None = None) -> list[str]:
    """Return the terms that are not stop-listed, first occurrence only, at most ``limit``.

    Example:
        >>> from coprod_analysis.topics.stoplist import clean_keywords
        >>> clean_keywords(["notes", "hub", "asked", "guide", "facilitator notes", "hub"])
        ['hub', 'guide']
    """
    out: list[str] = []
    for term in terms:
        term = term.strip()
        if term and term not in out and not is_stop(term):
            out.append(term)
    return out[:limit] if limit is not None else out
