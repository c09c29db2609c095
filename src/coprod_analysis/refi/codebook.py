"""REFI-QDA codebooks (.qdc): the codebook's themes as codes, out and back in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from coprod_analysis.errors import InputError, Problems
from coprod_analysis.refi.guids import guid
from coprod_analysis.refi.xml import CODEBOOK_NS, child, children, local, parse, to_bytes

if TYPE_CHECKING:
    from coprod_analysis.themes.codebook import Codebook, Theme

# Colours for imported codes that have none (Paul Tol's "muted", colour-blind safe).
_FALLBACK = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
]


def add_codes(parent: ET.Element, codebook: Codebook, *, ns: str) -> None:
    """Add a ``<Codes>`` element with one codable ``<Code>`` per theme (GUIDs from theme ids)."""
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    for theme in codebook.themes:
        code = ET.SubElement(
            codes,
            f"{{{ns}}}Code",
            guid=guid("theme", theme.id),
            name=theme.label,
            isCodable="true",
            color=theme.colour.upper(),
        )
        if theme.description.strip():
            ET.SubElement(code, f"{{{ns}}}Description").text = theme.description.strip()


def codebook_qdc(codebook: Codebook, *, origin: str = "coprod-analysis") -> bytes:
    """The codebook as a REFI-QDA codebook file (``.qdc``), valid against Codebook-mrt2019.xsd.

    Each theme becomes a codable code with its label as the name, its description and its
    colour. GUIDs are uuid5 of the theme id, so a re-export matches the last one. No
    ``<Sets>`` element is written (the schema needs at least one Set inside it).

    Example:
        >>> from coprod_analysis.refi.codebook import codebook_qdc
        >>> from coprod_analysis.codebooks import load_codebook
        >>> xml = codebook_qdc(load_codebook())
        >>> xml.startswith(b"<?xml") and b'name="Power and enabling spaces"' in xml
        True
    """
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=origin)
    add_codes(root, codebook, ns=CODEBOOK_NS)
    return to_bytes(root)


def write_qdc(path: str | Path, codebook: Codebook, *, origin: str) -> Path:
    """Write the codebook as a ``.qdc`` file, atomically, after checking it against the schema.

    Example:
        >>> write_qdc("reports/codebook.qdc", load_codebook(), origin="coprod-analysis")  # doctest: +SKIP
    """
    from coprod_analysis.outputs import atomic_write
    from coprod_analysis.refi.validate import require_valid

    xml = codebook_qdc(codebook, origin=origin)
    require_valid(xml, kind="codebook")
    path = Path(path)
    atomic_write(path, lambda tmp: tmp.write_bytes(xml))
    return path


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "code"
    if not base[0].isalpha():
        base = f"code_{base}"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def _colour(value: str | None, i: int) -> str:
    value = (value or "").strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return value.upper()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:]).upper()
    return _FALLBACK[i % len(_FALLBACK)]


def walk_codes(
    codes_element: ET.Element, parents: tuple[str, ...] = ()
) -> Iterator[tuple[ET.Element, tuple[str, ...]]]:
    """Yield ``(code element, names of the categories above it)`` for every nested code."""
    for code in children(codes_element, "Code"):
        yield code, parents
        yield from walk_codes(code, (*parents, code.get("name", "")))


def codebook_from_qdc(path: str | Path, *, problems: Problems | None = None) -> Codebook:
    """Build a codebook from a REFI-QDA codebook (``.qdc``), as NVivo, ATLAS.ti, MAXQDA write it.

    Call it through :func:`coprod_analysis.load_codebook`, which also reads the thresholds
    beside the file and records its path and hash.

    Every codable code becomes a theme: its name is the label, its description (or else its
    name) is what semantic matching compares text with, and its colour is kept. The theme id
    is the name in lower case with ``_`` between words. Imported themes have no patterns, so
    they rely on semantic matching; a problem says so, recorded in ``problems`` or shown as a
    :class:`~coprod_analysis.errors.CoprodWarning` when none is given.

    Raises:
        InputError: the file is not XML, not a codebook, or has no codable code.
    """
    from coprod_analysis.themes.codebook import Codebook, Theme

    path = Path(path)
    root = parse(path.read_bytes(), path=path, what="the codebook")
    if local(root.tag) == "Project":  # a project file: use its codebook
        root = child(root, "CodeBook") if child(root, "CodeBook") is not None else root
    codes = child(root, "Codes") if local(root.tag) == "CodeBook" else None
    if codes is None:
        raise InputError(
            path,
            None,
            "has no <CodeBook><Codes> element",
            fix="export the codebook as REFI-QDA (.qdc)",
        )
    taken: set[str] = set()
    themes: list[Theme] = []
    for code, _parents in walk_codes(codes):
        if code.get("isCodable", "true").strip().lower() not in ("true", "1"):
            continue
        name = " ".join((code.get("name") or "").split())
        if not name:
            continue
        description = child(code, "Description")
        text = " ".join((description.text or "").split()) if description is not None else ""
        themes.append(
            Theme(
                id=_slug(name, taken),
                label=name,
                description=text or name,
                colour=_colour(code.get("color"), len(themes)),
            )
        )
    if not themes:
        raise InputError(
            path, None, "has no codable code", fix="export a codebook with at least one code"
        )
    found = Problems()
    found.warn(
        path.name,
        None,
        f"{len(themes)} theme(s) have no patterns ({', '.join(t.id for t in themes[:5])}"
        f"{', …' if len(themes) > 5 else ''}); they rely on semantic matching of their description",
        fix="add phrases in a codebook.yml to match words too",
    )
    found.deliver(problems)
    return Codebook(themes=themes)
