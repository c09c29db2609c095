"""WordprocessingML: a ``.docx`` body's paragraphs and table cells, in document order.

The main document part (``word/document.xml``) is parsed as a stream with lxml, one
top-level element at a time, so a long document costs time in proportion to its size and
little memory. Only the body is read: headers, footers, comments, footnotes and endnotes
live in other parts and never reach the text. Tracked insertions are read and deletions
are not; content controls and text boxes are read (a text box that Word stores twice, as
a drawing and as its VML fallback, once).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from coprod_analysis.errors import InputError

_SHORT = 6  # words: a header row or a row-label column holds labels, not talk

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _w(names: str) -> list[str]:
    return [_W + name for name in names.split()]


_DOCUMENT, _BODY, _P, _TBL, _TR, _TC, _R, _T, _VAL = _w("document body p tbl tr tc r t val")
_PPR, _PSTYLE, _OUTLINE, _TRPR, _TCPR = _w("pPr pStyle outlineLvl trPr tcPr")
_SPAN, _VMERGE, _BEFORE, _DEL = _w("gridSpan vMerge gridBefore del")
_SDT, _SDTPR, _PLACEHOLDER, _TXBX = _w("sdt sdtPr showingPlcHdr txbxContent")
_ALT, _CHOICE, _FALLBACK = (_MC + t for t in ("AlternateContent", "Choice", "Fallback"))
# Read through these to the paragraphs, rows, cells (or, the second set, runs) they hold.
# w:del and w:moveFrom (tracked deletions) are not among them, so what they hold is dropped.
_BLOCK_WRAPPERS = frozenset([*_w("sdt sdtContent customXml ins moveTo"), _ALT])
_RUN_WRAPPERS = _BLOCK_WRAPPERS | set(_w("hyperlink smartTag fldSimple dir bdo"))
# Run content with a text equivalent besides w:t; w:instrText and w:delText are not text.
_CHARS = dict(zip(_w("tab ptab br cr noBreakHyphen"), "\t\t\n\n-", strict=True))
_FLOWS = frozenset({_P, _TBL})
_SHAPES = frozenset(_w("drawing pict"))
_TOP = (_P, _TBL, _SDT, _W + "customXml", _ALT)  # body children worth a parse event
_SAFE = {"resolve_entities": False, "no_network": True}  # lxml: no entities, no network
_HEADING_NAME = re.compile(r"heading\s*[1-9]|title")
# RuntimeError: an encrypted member, a compression method zipfile lacks (NotImplementedError),
# nesting too deep to follow (RecursionError).
_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, RuntimeError)


class Block(NamedTuple):
    """A heading, a paragraph or a table cell, with the context of a cell."""

    kind: str  # "heading", "para" or "cell"
    text: str
    context: str | None


class _Cell(NamedTuple):
    text: str
    col: int  # first layout-grid column
    span: int
    origin: bool  # False for the continuation of a vertical merge: its text is the one above


def _kids(parent: Iterable[Any], wanted: frozenset[str]) -> Iterator[Any]:
    """Yield the ``wanted`` elements under ``parent``, through content controls and the like."""
    for child in parent:
        if child.tag in wanted:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _kids(_inside(child), wanted)


def _inside(wrapper: Any) -> Any:
    """What to read inside a wrapper element; ``()`` for nothing.

    Of ``mc:AlternateContent``, the first Choice (else the Fallback), never both; of a
    content control still showing its prompt ("Click here to enter text"), nothing.
    """
    if wrapper.tag == _ALT:
        branches = [b for b in (wrapper.find(_CHOICE), wrapper.find(_FALLBACK)) if b is not None]
        return branches[0] if branches else ()
    props = wrapper.find(_SDTPR) if wrapper.tag == _SDT else None
    return () if props is not None and props.find(_PLACEHOLDER) is not None else wrapper


def _inline(parent: Any, out: list[str], boxes: list[Any]) -> None:
    """Append the text of the runs under ``parent`` to ``out``, and text boxes to ``boxes``."""
    for child in parent:
        if child.tag == _R:
            _run(child, out, boxes)
        elif child.tag in _RUN_WRAPPERS:
            _inline(_inside(child), out, boxes)


def _run(run: Any, out: list[str], boxes: list[Any]) -> None:
    for child in run:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag in _CHARS:
            out.append(_CHARS[tag])
        elif tag in _SHAPES:
            _find_boxes(child, boxes)
        elif tag == _ALT:
            _run(_inside(child), out, boxes)


def _find_boxes(parent: Any, boxes: list[Any]) -> None:
    for child in parent:
        if child.tag == _TXBX:
            boxes.append(child)
        elif len(child):
            _find_boxes(_inside(child) if child.tag == _ALT else child, boxes)


def _paragraph(p: Any) -> tuple[str, list[Any]]:
    """Return a paragraph's text and the text boxes anchored in it."""
    out: list[str] = []
    boxes: list[Any] = []
    _inline(p, out, boxes)
    return "".join(out), boxes


def _number(element: Any, default: int) -> int:
    try:
        return int(element.get(_VAL)) if element is not None else default
    except (TypeError, ValueError):
        return default


def _grid(tbl: Any) -> list[list[_Cell]]:
    """Return a table's rows of cells; a merged cell appears once, where it starts."""
    rows: list[list[_Cell]] = []
    above: dict[int, str] = {}  # grid column -> text of the cell last started there
    for tr in _kids(tbl, frozenset({_TR})):
        props = tr.find(_TRPR)
        if props is not None and props.find(_DEL) is not None:
            continue  # a row deleted with tracked changes on
        col = _number(props.find(_BEFORE) if props is not None else None, 0)
        row = []
        for tc in _kids(tr, frozenset({_TC})):
            props = tc.find(_TCPR)
            span = max(1, _number(props.find(_SPAN) if props is not None else None, 1))
            merge = props.find(_VMERGE) if props is not None else None
            origin = merge is None or merge.get(_VAL, "continue") != "continue"
            text = _cell_text(tc) if origin else above.get(col, "")
            above[col] = text
            row.append(_Cell(text, col, span, origin))
            col += span
        rows.append(row)
    return rows


def _cell_text(container: Any) -> str:
    """A cell's paragraphs, a line each; a nested table's cells and text boxes set apart."""
    groups: list[list[str]] = [[]]
    for item in _kids(container, _FLOWS):
        if item.tag == _P:
            text, boxes = _paragraph(item)
            groups[-1].append(text)
            chunks = [_cell_text(box) for box in boxes]
        else:
            chunks = [cell.text for row in _grid(item) for cell in row if cell.origin]
        chunks = [chunk for chunk in chunks if chunk.strip()]
        if chunks:
            groups.extend([chunk] for chunk in chunks)
            groups.append([])
    texts = ["\n".join(group) for group in groups]
    kept = [text for text in texts if text.strip()]
    return "\n\n".join(kept) if kept else texts[0]


def _table_blocks(grid: list[list[_Cell]], heading: str | None) -> list[Block]:
    """Cells as blocks; the header row and a row-label column become their context."""
    if not grid:
        return []

    def short(cell: _Cell) -> bool:
        return len(cell.text.split()) <= _SHORT

    first = grid[0]
    header = first if len(grid) > 1 and len(first) > 1 and all(map(short, first)) else None
    body = grid[1:] if header else grid
    label_col = bool(body) and all(len(r) > 1 and short(r[0]) for r in body)
    names = {c: h.text.strip() for h in header or () for c in range(h.col, h.col + h.span)}
    blocks = []
    for row in body:
        label = row[0].text.strip() if label_col else None
        for j, cell in enumerate(row):
            if (label_col and j == 0) or not cell.origin:
                continue
            parts = (heading, label, names.get(cell.col))
            blocks.append(Block("cell", cell.text, " › ".join(p for p in parts if p) or None))
    return blocks


def _heading_styles(xml: bytes | None) -> tuple[dict[str, bool], bool]:
    """Map each style id to whether it makes a heading; also tell whether the default does.

    A heading style is named Heading 1-9 or Title, or has an outline level of 0-8 (its own
    or, if it has none, its base style's).
    """
    from lxml import etree

    root = etree.fromstring(xml, etree.XMLParser(**_SAFE)) if xml else etree.Element("none")
    ns = {"w": _W[1:-1]}
    names, levels, bases, default = {}, {}, {}, ""
    for style in root.iter(_W + "style"):
        sid = style.get(_W + "styleId") or ""
        names[sid] = " ".join(
            style.xpath("string(w:name/@w:val)", namespaces=ns).casefold().split()
        )
        levels[sid] = style.xpath("string(w:pPr/w:outlineLvl/@w:val)", namespaces=ns)
        bases[sid] = style.xpath("string(w:basedOn/@w:val)", namespaces=ns)
        if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
            default = sid

    def level(sid: str) -> int:
        for _ in range(len(names) + 1):  # bounded: a chain of bases may loop
            own = levels.get(sid, "")
            if own or not bases.get(sid):
                return int(own) if own.isdigit() else 9
            sid = bases[sid]
        return 9

    heads = {sid: bool(_HEADING_NAME.fullmatch(names[sid])) or level(sid) < 9 for sid in names}
    return heads, heads.get(default, False)


class _Reader:
    """Turns body elements into blocks, remembering the heading above."""

    def __init__(self, styles: dict[str, bool], default_heading: bool) -> None:
        self.styles = styles
        self.default_heading = default_heading
        self.heading: str | None = None
        self.blocks: list[Block] = []

    def flow(self, parent: Iterable[Any]) -> None:
        for item in _kids(parent, _FLOWS):
            if item.tag == _P:
                self.paragraph(item)
            else:
                self.blocks.extend(_table_blocks(_grid(item), self.heading))

    def paragraph(self, p: Any) -> None:
        text, boxes = _paragraph(p)
        if text.strip() and self.is_heading(p):
            self.heading = " ".join(text.split())
            self.blocks.append(Block("heading", text, None))
        else:
            self.blocks.append(Block("para", text, None))
        for box in boxes:
            self.flow(box)

    def is_heading(self, p: Any) -> bool:
        # w:pPr comes first; looping beats find() here, which is called for every paragraph
        style = None
        for child in p[0] if len(p) and p[0].tag == _PPR else ():
            if child.tag == _OUTLINE:
                return _number(child, 9) < 9
            if child.tag == _PSTYLE:
                style = child.get(_VAL) or ""
        return self.styles.get(style, self.default_heading) if style else self.default_heading


def _target(archive: zipfile.ZipFile, rels: str, kind: str, base: str) -> str | None:
    """Where a part's relationship of this kind points, or None."""
    from lxml import etree

    try:
        xml = archive.read(rels)
    except KeyError:
        return None
    for rel in etree.fromstring(xml, etree.XMLParser(**_SAFE)):
        if str(rel.get("Type", "")).endswith("/" + kind) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(base, target)
            return posixpath.normpath(path)
    return None


def _stream(stream: Any, reader: _Reader) -> Any:
    """Feed each child of the body to the reader as it is parsed, then drop it; return the root."""
    from lxml import etree

    events = etree.iterparse(stream, events=("end",), tag=_TOP, remove_comments=True, **_SAFE)
    for _, element in events:
        parent = element.getparent()
        if parent is None or parent.tag != _BODY:
            continue  # nested: read with the body child that holds it
        reader.flow((element,))
        element.clear()
        while element.getprevious() is not None:
            del parent[0]
    return events.root


def read_blocks(path: Path, display: str) -> list[Block]:
    """Return the body's blocks in document order.

    Raises:
        InputError: the file is corrupt, truncated or not a Word document.

    Example:
        >>> read_blocks(Path("data/raw/s1-what-is-coproduction/table-notes.docx"),
        ...             "s1/table-notes.docx")[0].kind  # doctest: +SKIP
        'heading'
    """
    from lxml import etree

    root = None
    try:
        with zipfile.ZipFile(path) as archive:
            main = _target(archive, "_rels/.rels", "officeDocument", "") or "word/document.xml"
            folder, name = posixpath.split(main)
            rels = posixpath.join(folder, "_rels", name + ".rels")
            styles = _target(archive, rels, "styles", folder)
            reader = _Reader(*_heading_styles(archive.read(styles) if styles else None))
            with archive.open(main) as stream:
                root = _stream(stream, reader)
    except (*_UNREADABLE, etree.LxmlError):
        root = None
    if root is None or root.tag != _DOCUMENT:
        raise InputError(
            display,
            None,
            "is not a readable Word document (corrupt, truncated or not a .docx)",
            fix="open it in Word and save it again as .docx",
        )
    return reader.blocks
