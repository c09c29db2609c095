"""One pattern for many names, shaped as a tree, so its cost does not grow with their number.

A list of alternatives (``Morag Campbell|Mohammed|Morven|…``) is tried name by name at every
character of every text: with the thousands of names a long corpus yields, redaction grows
with texts times names. The same names as a tree (``Mo(?:hammed|r(?:ag Campbell|ven))``)
try at each character only the names that begin there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Letters that ``re.IGNORECASE`` takes for "i" but that neither fold nor lower to it alone.
_DOTTED = {"İ": "i", "ı": "i"}


def fold_char(char: str) -> str:
    """Return the one letter that stands for a character in any case, as ``re.I`` sees it.

    Two characters that ``re.IGNORECASE`` takes for each other fold alike ("K", "k" and the
    Kelvin sign; "ẞ" and "ß"; "İ", "ı", "I" and "i"), and each matches its fold under
    ``re.I``, so names that differ only in case share one branch of a tree.

    Args:
        char: one character.

    Returns:
        One character.

    Example:
        >>> from coprod_analysis.privacy.alternation import fold_char
        >>> [fold_char(c) for c in "MacẞK"]
        ['m', 'a', 'c', 'ß', 'k']
    """
    if char in _DOTTED:
        return _DOTTED[char]
    for folded in (char.casefold(), char.lower()):
        if len(folded) == 1:
            return folded
    return char


def alternation(names: Iterable[str], *, ignore_case: bool = False) -> str:
    """Return a pattern for any of the names, words apart by any space, the longest first.

    The names share their beginnings in one tree ("Ann", "Ann Lee" and "Anna" are ``Ann``
    then a choice), so at each character of a text only the names that begin there are
    tried, not every name in turn: the cost no longer grows with the number of names.

    Args:
        names: the names (any spaces between their words).
        ignore_case: the pattern is for ``re.IGNORECASE``: names that differ only in case
            share their branches (letters as :func:`fold_char` gives them), so the longest name
            is still tried first ("ANN LEE" does not stop "Ann Lee Smith").

    Returns:
        A pattern, with no anchors, that matches what a list of the names' alternatives
        does, longest first.

    Example:
        >>> from coprod_analysis.privacy.alternation import alternation
        >>> print(alternation(["Ann", "Ann Lee", "Anna"]))
        Ann(?:\\s+Lee|a|)
        >>> import re
        >>> re.findall(alternation(["Ann", "Ann Lee"]), "Ann  Lee and Ann")
        ['Ann  Lee', 'Ann']
        >>> print(alternation(["ANN LEE", "Ann Lee Smith"], ignore_case=True))
        ann\\s+lee(?:\\s+smith|)
    """
    tree: dict = {}
    for name in names:
        node = tree
        for part in " ".join(name.split()):
            node = node.setdefault(fold_char(part) if ignore_case else part, {})
        node[""] = {}  # a name ends here: tried after every longer one
    return _branches(tree)


def _branches(node: dict) -> str:
    choices = [
        (r"\s+" if part == " " else re.escape(part)) + _branches(node[part])
        for part in sorted(node)
        if part
    ]
    if "" in node:
        choices.append("")
    return choices[0] if len(choices) == 1 else "(?:" + "|".join(choices) + ")"
