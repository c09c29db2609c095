"""What a found name leads to: the same person elsewhere, and the words around a ``[NAME]``.

A named-entity recogniser misses many names, above all in informal notes and transcripts.
Once it (or the known names) has found some, the rest often follow from them:

- a full name found once is the same person everywhere, in any case, and so are its first
  name and surname where capitalised;
- a capitalised word after a title (Mr, Dr, Cllr, …) is a name;
- a first name from the lists (:mod:`~coprod_analysis.privacy.gazetteer`) that is not an
  everyday English word, or a surname that is no English word at all, is a name; in lower
  case, only when it is no English word and rare in the corpus;
- a word unknown to English and not made of English parts ("Tsvetelina", "nimco"; not
  "flipchart" or "minoritised"), in any case, unless the recogniser called it a place and it
  stands where a place does ("in Lochaber", "Falkirk groups");
- a word before what people do ("Owain asked", "Bence had his hand up"), before a person's
  things ("Yonas's comments"), or after who a person is to the speaker ("my pal blessing",
  "me and Bill");
- a word beside a ``[NAME]`` ("Iain [NAME]", "[NAME] Walsh"), or beside it in a list
  ("[NAME], Tareq and [NAME]"), is part of a name when it could be one.

Words the corpus uses in lower case ("grant", "hope"; for a word that is no English word, in
three texts or more), titles, and the ``not_names`` are never taken on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from coprod_analysis.privacy.alternation import alternation
from coprod_analysis.privacy.gazetteer import Gazetteer
from coprod_analysis.privacy.people import TITLES

NAME = "[NAME]"
_TITLE = re.compile("|".join(TITLES))
_TITLED = re.compile(rf"\b((?:{_TITLE.pattern})\.?\s+)[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
# A word, in any alphabet, with "O'" and a possessive apart: "O'Kane's" is O'Kane.
_ANY = r"(?:[OD]['’])?[^\W\d_][\w'’-]*?"
# A word that may be capitalised: one starting with a small letter, or with two capitals
# ("NHS"), is passed over here, not handed to a test that would turn it down (much faster).
_MAY_BE_CAPITALISED = r"(?:[OD]['’])?(?![a-zß-öø-ÿ])[^\W\d_](?![A-Z])[\w'’-]*?"
_CAPITALISED = re.compile(rf"(?<![\w\['’-])(?P<word>{_MAY_BE_CAPITALISED})(?P<s>['’]s)?(?![\w'’-])")
_BEFORE = re.compile(rf"(?<![\w\['’-])(?P<word>{_ANY})(?P<s>)(?=\s+\[NAME\])")
_AFTER = re.compile(rf"(?<=\[NAME\])(?P<pre>\s+)(?P<word>{_ANY})(?P<s>['’]s)?(?![\w'’-])")
# What people do in notes: a capitalised word before one of these verbs, or after one of
# these cues, is a person ("Owain asked", "thanks to Tareq"), if it is no ordinary word here.
# The first are what only a person does: all a word the recogniser called a place may do and
# still be a name ("Tegwen said"; "Inverclyde hosted the day" is the council).
_SAYS = (
    r"said|says|asked|asks|told|tells|explained|reckons|reckoned|thinks|felt|wondered|"
    r"sat with|read out|had (?:his|her) hand"
)
_DOES = (
    rf"{_SAYS}|agreed|agrees|mentioned|suggested|offered|raised|noted|spoke|argued|invited|"
    r"emailed|phoned|rang|shared|wrote|volunteered|chaired|facilitated|pointed|brought|hosted|"
    r"organised|sorted|helped|kindly|made sure"
)
_SPEAKS = re.compile(rf"\s+(?:{_SAYS})\b|,\s+(?:she|he)\b")
_CUE = (
    r"thanks to|thank you to|ask|asked|tell|told|invite|invited|email|emailed|ring|rang|phone|"
    r"let|give|gave|it was|it's|was it|thank|thanks|cc"
)
# "Sesay is ringing the venue", "Ozola, she's done the Latvian version".
_DOING = r"\s+(?:is|was)\s+\w+ing\b|['’]s\s+\w+ing\b|,\s+(?:she|he)\b"
_ACTOR = re.compile(rf"(?<![\w\['’-])(?P<word>{_ANY})(?P<s>)(?=\s+(?:{_DOES})\b|{_DOING})")
_ADDRESSEE = re.compile(rf"\b(?P<pre>(?i:{_CUE})\s+)(?P<word>{_ANY})(?P<s>['’]s)?(?![\w'’-])")
# Notes and meetings: "according to Pirie", "over to Mutasa", "Macaulay to check w/ the fund".
# Organisations stand here too, so a word in a longer proper name ("NHS Lothian to confirm",
# "according to Public Health Scotland") is never taken.
_SOURCE = re.compile(
    rf"\b(?P<pre>(?i:according to|over to|pass(?:ed|ing)? (?:it )?to)\s+)(?P<word>{_ANY})"
    rf"(?P<s>['’]s)?(?![\w'’-])"
)
_ACTIONS = (
    r"check|look into|follow up|circulate|contact|email|send|share|update|draft|arrange|"
    r"confirm|chase|invite|book|speak|write|review|find out|liaise|feed back|report back|"
    r"pick up|take forward|organise|set up|link in|raise|bring|ring|phone"
)
_ACTION = re.compile(rf"(?<![\w\['’-])(?P<word>{_ANY})(?P<s>)(?=\s+to\s+(?:{_ACTIONS})\b)")
# Who a person is to the speaker ("my pal blessing", "me and Bill"): the next word is a name
# when it is any first name from the lists, everyday words such as Hope and Will included.
# The family and friends are also a person's things ("Rab's pal", "Yonas's mum").
_FAMILY = r"pal|friend|mum|dad|son|daughter|husband|wife|partner|kids|carer"
_KIN = (
    rf"{_FAMILY}|mate|colleague|mam|sister|brother|neighbour|gran|granny|grandson|"
    r"granddaughter|niece|nephew|cousin|support worker|key worker|link worker|boss|manager"
)
_RELATIVE = re.compile(
    rf"\b(?P<pre>(?i:my|our|your|his|her|their)\s+(?i:{_KIN}),?\s+)(?P<word>{_ANY})"
    rf"(?P<s>['’]s)?(?![\w'’-])"
)
_ME_AND = re.compile(rf"\b(?P<pre>(?i:me)\s+and\s+)(?P<word>{_ANY})(?P<s>)(?![\w'’-])")
_AND_ME = re.compile(rf"(?<![\w\['’-])(?P<word>{_ANY})(?P<s>)(?=\s+and\s+(?:me|I)\b)")
# A person's things: "Yonas's comments", "Rab's jokes".
_THINGS = (
    rf"{_FAMILY}|point|points|comment|comments|joke|jokes|story|experience|idea|ideas|view|"
    r"views|question|questions|table|family|words|suggestion|feedback|contribution|worry|"
    r"concern|example|presentation|talk|answer|voice|account"
)
_SHARED = re.compile(r"['’]s\s+(?:story|experience|example|view|views|voice|account|family)\b")
_OWNER = re.compile(rf"(?<![\w\['’-])(?P<word>{_ANY})(?P<s>['’]s)(?=\s+(?:{_THINGS})\b)")
# A lower-case word, its possessive or "'s" apart: "zubair's been saying".
_LOWER = re.compile(r"(?<![\w\['’-])(?P<word>[^\W\d_A-Z][\w-]*)(?:['’]s)?(?![\w'’-])")
# A plain name-like word: "O'Kane", "Eun-ji"; not "We'd" or "Roots'".
_STRANGE = re.compile(r"(?:[OD]['’])?[^\W\d_]+(?:-[^\W\d_]+)*")
_RUN = re.compile(r"\[NAME\](?:[ \t]+\[NAME\])+")  # one name, however many words
_LISTED_BEFORE = re.compile(
    rf"(?<![\w\['’-])(?P<word>{_ANY})(?P<s>)(?=(?:,\s*|\s+and\s+|\s*[&+/–]\s*)\[NAME\])"
)
_LISTED_AFTER = re.compile(
    rf"(?<=\[NAME\])(?P<pre>,\s*|\s+and\s+|\s*[&+/–]\s*)(?P<word>{_ANY})(?P<s>['’]s)?(?![\w'’-])"
)


def _capitalised(word: str) -> bool:
    core = re.sub(r"^[OD]['’]", "", word)
    return core[:1].isupper() and core[1:2].islower()


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start]
    return not before.strip() or bool(re.search(r"[.!?:;\"“(]\s*$", before))


@dataclass(frozen=True)
class Clues:
    """What tells a name from a word in this corpus."""

    ordinary: frozenset[str]  # words the corpus uses in lower case
    common: frozenset[str]  # words it uses in lower case in three texts or more
    never: frozenset[str]  # folded not_names
    names: Gazetteer | None = None
    # Words the recogniser calls a place or organisation more often than a person ("Scotland"):
    # a found name's first name or surname that is one is not spread to other texts.
    places: frozenset[str] = frozenset()

    def word(self, word: str) -> bool:
        """Tell whether a word may be a name at all: not ordinary here, not a title.

        A word that is no English word is ordinary only when three texts or more use it in
        lower case: one fast note's "ask binta" must not make Binta a word everywhere.
        """
        folded = word.casefold()
        plain = self.rare(word) and _STRANGE.fullmatch(word) is not None  # not "We've"
        ordinary = self.common if plain else self.ordinary
        return folded not in ordinary and folded not in self.never and not _TITLE.fullmatch(word)

    def first_name(self, word: str) -> bool:
        """Tell whether a word is a first name this corpus seldom writes in lower case.

        "Drew" and "Grace" are; for where the words around say it is a person.
        """
        folded = word.casefold()
        return (
            self.names is not None
            and self.names.is_first(word)
            and folded not in self.common
            and folded not in self.never
            and not _TITLE.fullmatch(word)
        )

    def rare(self, word: str) -> bool:
        """Tell whether a word is no English word (needs the lists' word frequencies)."""
        return self.names is not None and self.names.rare(word)

    def known(self, word: str) -> bool:
        """A first name that is not an everyday word, or a surname that is no English word."""
        names = self.names
        return names is not None and (
            (names.is_first(word) and not names.everyday(word))
            or (names.is_last(word) and names.rare(word))
        )


# Where a place stands: "in Govan", "NHS Lothian", "across Inverclyde". A word the recogniser
# called a place is taken for one only here; elsewhere ("Tegwen had to leave") it is a name.
# "in Perth and Kinross" and "across Fife, Glasgow and Dunbartonshire" count too, and so does
# a word before what a place has: "Falkirk groups", "Birnam community council".
_PLACE_BEFORE = re.compile(
    r"\b(?i:in|at|on|from|to|near|across|around|of|into|outside|throughout|via|within|beyond|"
    r"nhs|north|south|east|west|upper|lower|greater|central|rural|urban)\s+"
    r"(?:[A-Z][\w'’-]*(?:,\s*|\s+and\s+|\s*&\s*|\s+))*$"
)
_PLACE_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:groups?|projects?|council|area|residents|communit(?:y|ies)|schools?|"
    r"services|partnership|families|folk|region|city|town|village|office|branch|hub|"
    r"centre|network|estate|ward|locality|neighbourhood|hosted|organised|funded|commissioned|"
    r"published|launched|decided|provides|provided)\b"
)


def _place_context(match: re.Match[str]) -> bool:
    """Tell whether a word stands where a place would: after "in", "at", "NHS" and the like."""
    text = match.string
    return (
        _PLACE_BEFORE.search(text[: match.start("word")]) is not None
        or _PLACE_AFTER.match(text, match.end("word")) is not None
    )


def _in_title(match: re.Match[str], ordinary: frozenset[str]) -> bool:
    """Tell whether a capitalised word sits in a capitalised phrase of ordinary words.

    "Second Chance Recovery" is an organisation's name, not a person called Chance.
    """
    text = match.string
    before = re.search(r"(?<![.!?:])\s([A-Z][\w'’-]*)\s+$", text[: match.start()])
    after = re.match(r"\s+([A-Z][\w'’-]*)", text[match.end() :])
    return any(
        m is not None and len(m[1]) > 1 and m[1].casefold() in ordinary for m in (before, after)
    )


def _sub(pattern: re.Pattern[str], text: str, take) -> str:
    def replace(m: re.Match[str]) -> str:
        if not take(m):
            return m[0]
        return (m.groupdict().get("pre") or "") + NAME + (m["s"] or "")

    return pattern.sub(replace, text)


def _lower_case(text: str, clues: Clues) -> str:
    """Redact lower-case names: a first name and surname ("ask euan sinclair"), or alone."""
    names = clues.names
    assert names is not None
    words = [
        w for w in _LOWER.finditer(text) if w["word"] not in clues.common and names.rare(w["word"])
    ]
    spans: list[tuple[int, int]] = []
    for i, word in enumerate(words):
        if spans and word.start() < spans[-1][1]:
            continue
        after = words[i + 1] if i + 1 < len(words) else None
        if (
            after is not None
            and text[word.end() : after.start()].isspace()
            and names.is_first(word["word"])
            and names.is_last(after["word"])
        ):
            spans.append((word.start(), after.end("word")))
        elif names.is_first(word["word"]) or names.strange(word["word"]):
            spans.append(word.span("word"))
    for start, end in reversed(spans):
        text = text[:start] + NAME + text[end:]
    return text


def _rare_lower(word: str, clues: Clues) -> bool:
    """Tell whether a lower-case word may be a name: a rare one from the lists, or no word.

    "tariq" and "dežo" may be; "creche" and "notetakers" (rare, but English) may not.
    """
    plain = word.islower() and not re.search(r"[-'’]", word) and word not in clues.common
    names = clues.names
    if not plain or names is None or not names.rare(word):
        return False
    return names.is_first(word) or names.is_last(word) or names.unknown(word)


def _beside(text: str, clues: Clues) -> str:
    """Take the words beside a ``[NAME]`` that belong to the name, a few rounds."""

    def direct(m: re.Match[str]) -> bool:
        word = m["word"]
        if _capitalised(word):
            if clues.first_name(word):
                return True
            if not clues.word(word):
                return False
            opening = _opens_sentence(m.string, m.start("word"))
            return not opening or clues.rare(word) or clues.known(word)
        return _rare_lower(word, clues)

    def listed(m: re.Match[str]) -> bool:
        word = m["word"]
        if not _capitalised(word):
            return _rare_lower(word, clues)
        place = word.casefold() in clues.places and _place_context(m)
        return clues.word(word) and (clues.rare(word) or clues.known(word)) and not place

    for _ in range(3):  # "Mary Ann [NAME]" takes two rounds
        before = text
        text = _sub(_BEFORE, text, direct)
        text = _sub(_AFTER, text, direct)
        text = _sub(_LISTED_BEFORE, text, listed)
        text = _sub(_LISTED_AFTER, text, listed)
        if text == before:
            break
    return text


def _listed(clues: Clues, m: re.Match[str]) -> bool:
    """A capitalised first name or surname from the lists, not in an organisation's name."""
    word = m["word"]
    return (
        _capitalised(word)
        and clues.known(word)
        and clues.word(word)
        and not re.search(r"\bthe\s+$", m.string[: m.start()], re.I)
        and not _in_title(m, clues.ordinary)
    )


def _stranger(clues: Clues, m: re.Match[str]) -> bool:
    """A capitalised word unknown to English, unless it stands where a place would."""
    word = m["word"]
    return (
        _capitalised(word)
        and clues.word(word)
        and (word.casefold() not in clues.places or not _place_context(m))
        and clues.names is not None
        and _STRANGE.fullmatch(word) is not None
        and clues.names.strange(re.sub(r"^[OD]['’]", "", word))
        and not re.search(r"\bthe\s+$", m.string[: m.start()], re.I)
        and not _in_title(m, clues.ordinary)
    )


def _person(clues: Clues, m: re.Match[str]) -> bool:
    """A word where the words around say a person stands ("Owain asked", "thanks to Tareq")."""
    word = m["word"]
    if not _capitalised(word):
        return _rare_lower(word, clues)
    everyday = clues.names is not None and clues.names.everyday(word)
    return clues.word(word) and not everyday


def _alone(clues: Clues, m: re.Match[str]) -> bool:
    """A capitalised word standing on its own as a person would: not a place, not in a name.

    "NHS Lothian to confirm" and "according to Public Health Scotland" are organisations.
    """
    text, word = m.string, m["word"]
    beside = re.search(r"[A-Z][\w'’-]*\s+$", text[: m.start("word")]) is not None
    return (
        _capitalised(word)
        and not (word.casefold() in clues.places and _place_context(m))
        and not beside
        and not re.match(r"\s+[A-Z]", text[m.end() :])
        and _person(clues, m)
    )


def _actor(clues: Clues, m: re.Match[str]) -> bool:
    """A word before what people do; a word the recogniser called a place only before speech."""
    word = m["word"]
    if word.casefold() in clues.places and not _SPEAKS.match(m.string, m.end("word")):
        return False
    return _person(clues, m) or (_capitalised(word) and clues.first_name(word))


def _any_first_name(clues: Clues, m: re.Match[str]) -> bool:
    """Any first name from the lists, after "my pal", "me and" and the like."""
    word = m["word"]
    names = clues.names
    if names is None or word.casefold() in clues.never or _TITLE.fullmatch(word):
        return False
    if _capitalised(word):
        return names.is_first(word) or names.rare(word)
    first = names.is_first(word) and word not in clues.ordinary and not names.everyday(word)
    return word.islower() and (first or _rare_lower(word, clues))


def _owner(clues: Clues, m: re.Match[str]) -> bool:
    """A word before a person's things ("Yonas's comments")."""
    word = m["word"]
    names = clues.names
    return (
        names is not None
        and _capitalised(word)
        and clues.word(word)
        and not names.everyday(word)
        and (names.rare(word) or names.is_first(word))
        and not _in_title(m, clues.ordinary)
        and not (word.casefold() in clues.places and _SHARED.match(m.string, m.end("word")))
    )


def spread(texts: Iterable[str], found: set[str], *, clues: Clues) -> list[str]:
    """Redact what the names found so far lead to, in every text (each distinct text once).

    Args:
        texts: texts in which the recogniser's names are already ``[NAME]``.
        found: the names it found (titles stripped).
        clues: what tells a name from a word in this corpus.

    Returns:
        The texts, in the same order.

    Example:
        >>> clues = Clues(frozenset({"the", "at", "asked"}), frozenset(), frozenset())
        >>> spread(["Morag asked Mr Reid.", "[NAME] Tait was at the hall."],
        ...        {"Morag Campbell"}, clues=clues)
        ['[NAME] asked Mr [NAME].', '[NAME] was at the hall.']
    """
    full = {name for name in found if " " in name}
    tokens = {
        w
        for name in found
        for w in (name.split()[0], name.split()[-1])
        if len(w) > 1 and clues.word(w) and w.casefold() not in clues.places
    }
    patterns = [
        re.compile(rf"(?<!\w)(?:{alternation(full, ignore_case=True)})(?!\w)", re.I)
        if full
        else None,
        re.compile(rf"(?<!\w)(?:{alternation(tokens)})(?!\w)") if tokens else None,
    ]

    # Each cue and the test its word must pass, in the order they are tried.
    rules = [
        (_ACTOR, _actor),
        (_ADDRESSEE, _person),
        (_SOURCE, _alone),
        (_ACTION, _alone),
        (_RELATIVE, _any_first_name),
        (_ME_AND, _any_first_name),
        (_AND_ME, _any_first_name),
        (_OWNER, _owner),
    ]
    if clues.names is not None:
        rules += [(_CAPITALISED, _listed), (_CAPITALISED, _stranger)]
    takes = [(pattern, partial(take, clues)) for pattern, take in rules]

    def one(text: str) -> str:
        for pattern in filter(None, patterns):
            text = pattern.sub(NAME, text)
        text = _TITLED.sub(lambda m: m[1] + NAME, text)
        for pattern, take in takes:
            text = _sub(pattern, text, take)
        if clues.names is not None:
            text = _lower_case(text, clues)
        if NAME not in text:  # nothing to stand beside
            return text
        return _RUN.sub(NAME, _beside(text, clues))

    done: dict[str, str] = {}  # each distinct text once: notes repeat "Agreed." and headings
    return [done[text] if text in done else done.setdefault(text, one(text)) for text in texts]
