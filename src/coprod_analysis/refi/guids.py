"""Stable GUIDs for REFI-QDA exports, and tolerant reading of other tools' GUIDs."""

from __future__ import annotations

import uuid

# All exported GUIDs are uuid5 under this namespace, so a re-export gives the same GUIDs.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/coprod-analysis/refi-qda")


def guid(kind: str, key: str) -> str:
    """A stable upper-case GUID for one thing of a kind (``theme``, ``source``, ``selection``…).

    Example:
        >>> from coprod_analysis.refi.guids import guid
        >>> guid("theme", "power") == guid("theme", "power") != guid("theme", "funding")
        True
        >>> len(guid("theme", "power"))
        36
    """
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}")).upper()


def norm_guid(value: str | None) -> str:
    """A GUID as written by any tool, in one form: no braces, upper case, no spaces.

    Example:
        >>> from coprod_analysis.refi.guids import norm_guid
        >>> norm_guid("{a182cd3a-d83c-4d8c-bc80-26d9103ec6d6}")
        'A182CD3A-D83C-4D8C-BC80-26D9103EC6D6'
    """
    return (value or "").strip().strip("{}").strip().upper()
