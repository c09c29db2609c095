"""Rule-based theme spans: spaCy's SpanRuler over lower-cased lookup lemmas.

The pipeline is ``spacy.blank("en")`` (or ``en_core_web_sm`` when installed, for its
lemmas) plus a lemmatizer that looks up the lower-cased word in ``spacy-lookups-data``, and a
SpanRuler writing overlapping spans to ``doc.spans["themes"]``: one label per theme, ``!theme``
for exclusions (other senses such as "power cut") and ``NEG`` for negation cues. Everything is
built once per process and codebook, and reused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from coprod_analysis.themes.codebook import Codebook

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language
    from spacy.tokens import Doc

SPANS_KEY = "themes"
NEGATION = "NEG"
_NEGATION_WINDOW = 3  # tokens between a negation cue and the theme word
_LEMMATIZER = "coprod_lookup_lemmatizer"


class LookupLemmatizer:
    """Sets each token's lemma to the lookup-table lemma of its lower-cased form."""

    def __init__(self, nlp: Language) -> None:
        from spacy.lookups import load_lookups

        self.vocab = nlp.vocab
        self.table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        self.cache: dict[int, int] = {}

    def _lemma(self, lower: int) -> int:
        lemma = self.cache.get(lower)
        if lemma is None:
            text = self.vocab.strings[lower]
            lemma = self.cache[lower] = self.vocab.strings.add(self.table.get(text, text))
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token in the doc."""
        import numpy as np
        from spacy.attrs import LEMMA, LOWER

        if len(doc):
            lowers = doc.to_array([LOWER]).ravel().tolist()
            lemmas = np.array([self._lemma(int(h)) for h in lowers], dtype="uint64").reshape(-1, 1)
            doc.from_array([LEMMA], cast(Any, lemmas))  # spaCy's stub wants its own Ints2d
        return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(_LEMMATIZER):
        Language.factory(_LEMMATIZER, func=lambda nlp, name: LookupLemmatizer(nlp))


def _make_nlp() -> Language:
    import spacy

    _register()
    try:
        nlp = spacy.load("en_core_web_sm", exclude=["parser", "ner", "senter"])
    except OSError:
        nlp = spacy.blank("en")
    if nlp.has_pipe("lemmatizer"):
        nlp.remove_pipe("lemmatizer")
    nlp.add_pipe(_LEMMATIZER)
    return nlp


@lru_cache(maxsize=1)
def base_nlp() -> Language:
    """Return the tokenizer and lower-case lookup lemmatizer, loaded once per process.

    ``en_core_web_sm`` is used when it is installed (without its parser and NER; its
    lemmatizer is replaced by the lower-case lookup one); it is never downloaded.

    Example:
        >>> from coprod_analysis.themes.rules import base_nlp
        >>> [t.lemma_ for t in base_nlp()("Funders held the pen")]
        ['funder', 'hold', 'the', 'pen']
    """
    return _make_nlp()


_WORD_KEYS = {"LEMMA", "LOWER", "ORTH", "TEXT"}
_MAX_EXPANSION = 5000


def expand(pattern: list[dict]) -> list[str] | None:
    """Spell out a fixed-shape token pattern as the phrases it matches, if it can be.

    A pattern whose tokens each give one word or an ``IN`` list (on LEMMA, LOWER, ORTH or
    TEXT), optionally with ``OP: "?"``, becomes phrases for the fast PhraseMatcher; anything
    else (wildcards, regexes, ``+``/``*``) returns None and stays a Matcher pattern.

    Example:
        >>> from coprod_analysis.themes.rules import expand
        >>> expand([{"LEMMA": {"IN": ["hold", "have"]}}, {"LOWER": "the", "OP": "?"}, {"LEMMA": "pen"}])
        ['hold the pen', 'hold pen', 'have the pen', 'have pen']
    """
    options: list[list[str]] = []
    for token in pattern:
        keys = set(token) - {"OP"}
        if len(keys) != 1 or not keys <= _WORD_KEYS or token.get("OP", "?") != "?":
            return None
        value = token[keys.pop()]
        if isinstance(value, dict) and set(value) == {"IN"}:
            words = [str(v) for v in value["IN"]]
        elif isinstance(value, str):
            words = [value]
        else:
            return None
        options.append(words + ([""] if token.get("OP") == "?" else []))
    phrases = [""]
    for words in options:
        phrases = [f"{p} {w}".strip() for p in phrases for w in words]
        if len(phrases) > _MAX_EXPANSION:
            return None
    return [p for p in dict.fromkeys(phrases) if p]


def _ruler_patterns(codebook: Codebook) -> list[dict]:
    # Phrases are strings: the SpanRuler runs them through the lemmatizer and matches them
    # with its PhraseMatcher on LEMMA (hashing, so the number of phrases barely matters).
    # Token patterns are spelt out as phrases where they can be; the rest go to its Matcher,
    # which tests every pattern at every token and is far slower.
    patterns: list[dict[str, Any]] = [{"label": NEGATION, "pattern": p} for p in codebook.negations]
    for theme in codebook.themes:
        for label, found in ((theme.id, theme.patterns), (f"!{theme.id}", theme.exclude)):
            patterns += [{"label": label, "pattern": p} for p in found.phrases]
            for tokens in found.tokens:
                phrases = expand(tokens)
                if phrases is None:
                    patterns.append({"label": label, "pattern": tokens})
                else:
                    patterns += [{"label": label, "pattern": p} for p in phrases]
    return patterns


@lru_cache(maxsize=4)
def _nlp_for(key: str, codebook_json: str) -> Language:
    nlp = _make_nlp()
    ruler: Any = nlp.add_pipe(  # a SpanRuler; the stub says only Callable
        "span_ruler",
        config={
            "spans_key": SPANS_KEY,
            "overwrite": False,
            "validate": True,
            "phrase_matcher_attr": "LEMMA",
        },
    )
    ruler.add_patterns(_ruler_patterns(Codebook.model_validate_json(codebook_json)))
    return nlp


def theme_nlp(codebook: Codebook) -> Language:
    """Return the tagging pipeline for a codebook, built once per process and codebook."""
    payload = codebook.model_dump_json(include={"negations", "themes"})
    return _nlp_for(codebook.sha256 or payload, payload)


@dataclass(frozen=True)
class Match:
    """A theme found in a text by a rule: where, and the words that matched."""

    theme: str
    start: int  # character offsets into the text
    end: int
    words: str


def theme_matches(doc: Doc) -> list[Match]:
    """Return the theme matches in a tagged doc, after exclusions and negations.

    A match overlapping an exclusion of the same theme ("power cut" for power) is dropped,
    as is one that follows a negation cue ("not about", "nothing to do with") within three
    words, with no punctuation between.

    Example:
        >>> from coprod_analysis.themes.rules import theme_matches, theme_nlp
        >>> from coprod_analysis.themes.rules import theme_matches
        >>> from coprod_analysis.codebooks import load_codebook
        >>> doc = theme_nlp(load_codebook())("It is not about money. The power cut hit us.")
        >>> theme_matches(doc)
        []
    """
    spans = [
        (sp.label_, sp.start, sp.end, sp.start_char, sp.end_char)
        for sp in doc.spans.get(SPANS_KEY, [])
    ]
    excluded: dict[str, list[tuple[int, int]]] = {}
    negations: list[int] = []
    for label, start, end, _, _ in spans:
        if label[0] == "!":
            excluded.setdefault(label[1:], []).append((start, end))
        elif label == NEGATION:
            negations.append(end)
    text = doc.text
    found = []
    for label, start, end, start_char, end_char in spans:
        if label[0] == "!" or label == NEGATION:
            continue
        if label in excluded and any(s < end and start < e for s, e in excluded[label]):
            continue
        if negations and any(
            0 <= start - neg <= _NEGATION_WINDOW and not any(t.is_punct for t in doc[neg:start])
            for neg in negations
        ):
            continue
        found.append(Match(label, start_char, end_char, text[start_char:end_char]))
    return sorted(found, key=lambda m: (m.start, m.end, m.theme))


def match_texts(
    texts: Iterable[str], codebook: Codebook, *, batch_size: int = 256
) -> Iterator[list[Match]]:
    """Yield the rule matches of each text, batching with ``nlp.pipe`` (one process)."""
    nlp = theme_nlp(codebook)
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=1):
        yield theme_matches(doc)


def rule_flags(all_matches: list[list[Match]], theme_ids: list[str]) -> np.ndarray:
    """Return a (texts × themes) 0/1 array: did any rule fire for the theme?

    Example:
        >>> from coprod_analysis.themes.rules import Match, rule_flags
        >>> rule_flags([[Match("power", 0, 3, "pen")], []], ["funding", "power"]).tolist()
        [[0.0, 1.0], [0.0, 0.0]]
    """
    import numpy as np

    flags = np.zeros((len(all_matches), len(theme_ids)), dtype="float32")
    index = {t: j for j, t in enumerate(theme_ids)}
    for i, matches in enumerate(all_matches):
        for m in matches:
            flags[i, index[m.theme]] = 1.0
    return flags
