"""One pattern for many names, shaped as a tree, so its cost does not grow with their number.

A list of alternatives (``Morag Campbell|Mohammed|Morven|…``) is tried name by name at every
character of every text: with the thousands of names a long corpus yields, redaction grows
with texts times names. The same names as a tree (``Mo(?:hammed|r(?:ag Campbell|ven))``)
try at each character only the names that begin there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(names: Iterable[str]) -> str:
    """Return a pattern for any of the names, words apart by any space, the longest first.

    The names share their beginnings in one tree ("Ann", "Ann Lee" and "Anna" are ``Ann``
    then a choice), so at each character of a text only the names that begin there are
    tried, not every name in turn: the cost no longer grows with the number of names.

    Args:
        names: the names (any spaces between their words).

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
    """
    tree: dict = {}
    for name in names:
        node = tree
        for part in " ".join(name.split()):
            node = node.setdefault(part, {})
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
