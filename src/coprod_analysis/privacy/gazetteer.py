"""First names and surnames from many countries, to recognise names a model does not know.

The lists come from Faker's person providers (MIT licence; installed from PyPI, nothing is
downloaded): about 20,000 first names and 20,000 surnames in Latin script, from British,
Irish, Gaelic, Indian, Pakistani, Nigerian, Ghanaian, Kenyan, Polish, Turkish, Baltic,
Nordic, Iberian and other locales, plus ``first_names.txt`` beside this module: Scots,
Gaelic, Welsh, Irish and other names common in Scotland that Faker lacks. A name in the
lists that is also an ordinary word ("Will", "Hope") is only taken where the corpus never
uses it in lower case.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from coprod_analysis.privacy.pseudonyms import normalise_name as fold

# Capitalised words that are in the lists but are almost never people in roundtable notes.
_NOT_PEOPLE = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "christmas", "easter",
    }
)  # fmt: skip


# English log-probabilities (spacy-lookups-data's lexeme_prob): above EVERYDAY a word is too
# common to take for a name when capitalised ("Chance", "Baby"); below RARE a lower-case word
# is no everyday English ("tariq", "marcia"), so a first name in lower case is a name.
EVERYDAY = -10.0
RARE = -14.0
# Below UNKNOWN a word is as good as unknown to English ("savchuk"; "notetakers" is above).
UNKNOWN = -19.0
# Endings that make an English word of an English stem ("tokenised", "literacies").
_ENDING = re.compile(r"(?:is|iz)(?:ed|ing|es|ation)$|(?:ies|ment|ness|ing|ed|ly|ers?|ees?)$")


@dataclass(frozen=True)
class Gazetteer:
    """Folded first names and surnames, and which words are English (as spaCy string ids)."""

    first: frozenset[str]
    last: frozenset[str]
    english: frozenset[int] = frozenset()  # ids of words more common than RARE
    everyday_ids: frozenset[int] = frozenset()  # ids of words more common than EVERYDAY
    vocabulary: frozenset[int] = frozenset()  # ids of words more common than UNKNOWN

    def everyday(self, word: str) -> bool:
        """Tell whether a word is a common English word ("chance"), whatever its case.

        Example:
            >>> from spacy.strings import get_string_id
            >>> names = Gazetteer(frozenset(), frozenset(), everyday_ids=frozenset({get_string_id("chance")}))
            >>> names.everyday("Chance"), names.everyday("Tariq")
            (True, False)
        """
        return _id(word) in self.everyday_ids

    def rare(self, word: str) -> bool:
        """Tell whether a word is no English word ("tariq"), or too rare to count as one.

        A plural of an English word ("scribes") is English.
        """
        return self._outside(word, self.english)

    def unknown(self, word: str) -> bool:
        """Tell whether a word is as good as unknown to English ("savchuk")."""
        return self._outside(word, self.vocabulary)

    def strange(self, word: str) -> bool:
        """Tell whether a word is unknown to English and not made of English parts.

        "Tsvetelina" is strange; "flipchart" (flip + chart), "onerror" (on + error) and
        "minoritised" (an English ending) are not, though all three are unknown.

        Example:
            >>> from spacy.strings import get_string_id
            >>> known = frozenset(get_string_id(w) for w in ("flip", "chart"))
            >>> names = Gazetteer(frozenset(), frozenset(), english=known, vocabulary=known)
            >>> names.strange("Tsvetelina"), names.strange("flipchart"), names.strange("minoritised")
            (True, False, False)
        """
        core = fold(word).split("-")[0]
        if len(core) < 3 or not self.unknown(core) or _ENDING.search(core):
            return False
        # Two English words run together: "flip" + "chart", "on" + "error" (a short first
        # word only before a longer second one, so "ruba" is not "ru" + "ba").
        return not any(
            not self.rare(core[:i]) and not self.rare(core[i:])
            for i in range(2, len(core) - 2)
            if i >= 3 or len(core) - i >= 4
        )

    def _outside(self, word: str, ids: frozenset[int]) -> bool:
        forms = [word, word[:-1], word[:-2]] if word.endswith("s") else [word]
        return all(_id(form) not in ids for form in forms if form)

    def is_first(self, word: str) -> bool:
        """Tell whether a word is a known first name (any case, accents or none).

        Example:
            >>> names = Gazetteer(frozenset({"eilidh", "sean"}), frozenset({"ross"}))
            >>> names.is_first("Eilidh"), names.is_first("Seán"), names.is_first("April")
            (True, True, False)
        """
        folded = fold(word)
        return folded in self.first and folded not in _NOT_PEOPLE

    def is_last(self, word: str) -> bool:
        """Tell whether a word is a known surname (any case, accents or none)."""
        folded = fold(word)
        return folded in self.last and folded not in _NOT_PEOPLE


def _id(word: str) -> int:
    from spacy.strings import get_string_id

    return get_string_id(fold(word))


def _latin(name: object) -> bool:
    return isinstance(name, str) and len(name) > 1 and all(ord(c) < 0x250 for c in name)


def _names(value: object) -> list[str]:
    return [n for n in value if _latin(n)] if isinstance(value, dict | list | tuple) else []


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the first names and surnames of every Faker locale in Latin script, once.

    Each name's English log-probability comes from spacy-lookups-data, to tell names that
    are also everyday words ("Chance") from names that are not ("Tariq").

    Example:
        >>> names = gazetteer()
        >>> names.is_first("Kwame"), names.is_last("Murphy"), names.is_first("Table")
        (True, True, False)
    """
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(
            importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None
        )
        attrs = vars(provider) if provider is not None else {}
        for key in ("first_names", "first_names_male", "first_names_female"):
            first.update(map(fold, _names(attrs.get(key))))
        last.update(map(fold, _names(attrs.get("last_names"))))
    shipped = files("coprod_analysis.privacy").joinpath("first_names.txt").read_text("utf-8")
    for line in shipped.splitlines():
        if not line.startswith("#"):
            first.update(map(fold, line.split()))
    from spacy.strings import get_string_id
    from spacy.util import load_language_data, registry

    # The table's words as spaCy's lookups would key them, without building its Table of a
    # million entries (seconds): only words above UNKNOWN are ever asked about.
    path = registry.lookups.get("en")["lexeme_prob"]
    table: dict[str, float] = load_language_data(path)  # type: ignore[assignment]
    probs = {get_string_id(word): prob for word, prob in table.items() if prob > UNKNOWN}
    english = frozenset(key for key, prob in probs.items() if prob > RARE)
    everyday = frozenset(key for key, prob in probs.items() if prob > EVERYDAY)
    return Gazetteer(frozenset(first), frozenset(last), english, everyday, frozenset(probs))
