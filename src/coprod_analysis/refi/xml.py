"""Small XML helpers shared by the REFI-QDA readers and writers (namespace-agnostic reading)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from coprod_analysis.errors import InputError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def local(tag: str) -> str:
    """An element's name without its namespace (``{urn:…}Code`` → ``Code``)."""
    return tag.rsplit("}", 1)[-1]


def children(element, name: str) -> list:
    """Direct children called ``name``, in any namespace."""
    return [c for c in element if local(c.tag) == name]


def child(element, name: str):
    """The first direct child called ``name`` in any namespace, or None."""
    return next((c for c in element if local(c.tag) == name), None)


def parse(data: bytes, *, path: str | Path, what: str):
    """Parse XML bytes, or raise a one-line InputError naming the file and the line."""
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(
            path,
            f"line {line}" if line else None,
            f"{what} is not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc})",
            fix="export it again from your QDA tool (REFI-QDA format)",
        ) from None


def to_bytes(root) -> bytes:
    """Serialise an element tree with an XML declaration, indented, as UTF-8."""
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
