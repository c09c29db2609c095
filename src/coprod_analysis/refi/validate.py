"""Validate REFI-QDA XML against the schemas shipped with the package (no network)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SCHEMAS = Path(__file__).parent / "schemas"
SCHEMA_FILES = {"codebook": "Codebook-mrt2019.xsd", "project": "Project-mrt2019.xsd"}


@cache
def _schema(kind: str):
    import xmlschema

    return xmlschema.XMLSchema(SCHEMAS / SCHEMA_FILES[kind])


def schema_errors(xml: bytes | str, *, kind: str) -> list[str]:
    """Every way the XML breaks the REFI-QDA schema (``kind`` is ``codebook`` or ``project``).

    Returns:
        One line per error (empty when the XML is valid).

    Example:
        >>> from coprod_analysis.refi.validate import schema_errors
        >>> errors = schema_errors(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', kind="codebook")
        >>> "Codes' is not complete" in errors[0]
        True
    """
    if kind not in SCHEMA_FILES:
        raise ValueError(f"kind must be one of {sorted(SCHEMA_FILES)}, not {kind!r}")
    text = xml.decode("utf-8") if isinstance(xml, bytes) else xml
    return [" ".join(str(e.reason or e.message).split()) for e in _schema(kind).iter_errors(text)]


def require_valid(xml: bytes | str, *, kind: str) -> None:
    """Raise RuntimeError (a bug in the exporter, not bad input) if the XML breaks the schema."""
    errors = schema_errors(xml, kind=kind)
    if errors:
        raise RuntimeError(f"the exported {kind} breaks the REFI-QDA schema: {errors[0]}")
