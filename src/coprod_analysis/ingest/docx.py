"""Word ``.docx`` notes: paragraphs and table cells, in document order."""

from __future__ import annotations

from pathlib import Path

from coprod_analysis.errors import InputError
from coprod_analysis.ingest.notes import Line, SpeakerRule, units_from_lines
from coprod_analysis.ingest.source import Source

_SHORT = 6  # words: a header row or a row-label column holds labels, not talk


def _blocks(path: Path, display: str) -> list[tuple[str, str, str | None]]:
    """Return (kind, text, context) blocks; kind is 'heading', 'para' or 'cell'."""
    import docx  # python-docx; imported here so `import coprod_analysis` stays light
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        items = list(document.iter_inner_content())
    except Exception:
        raise InputError(
            display,
            None,
            "is not a readable Word document (corrupt, truncated or not a .docx)",
            fix="open it in Word and save it again as .docx",
        ) from None
    blocks: list[tuple[str, str, str | None]] = []
    heading: str | None = None
    for item in items:
        if isinstance(item, Table):
            blocks.extend(_table_blocks(item, heading))
            continue
        text = item.text
        style = (item.style.name if item.style is not None else "") or ""
        if style.startswith(("Heading", "Title")) and text.strip():
            heading = " ".join(text.split())
            blocks.append(("heading", text, None))
        else:
            blocks.append(("para", text, None))
    return blocks


def _table_blocks(table, heading: str | None) -> list[tuple[str, str, str | None]]:
    grid: list[list[str]] = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:  # merged cells repeat: keep each once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
        grid.append(cells)
    if not grid:
        return []

    def short(cell: str) -> bool:
        return len(cell.split()) <= _SHORT

    header = grid[0] if len(grid) > 1 and len(grid[0]) > 1 and all(map(short, grid[0])) else None
    body = grid[1:] if header else grid
    label_col = bool(body) and all(len(r) > 1 and short(r[0]) for r in body)
    blocks = []
    for row in body:
        for j, cell in enumerate(row):
            if label_col and j == 0:
                continue
            parts = [heading, row[0].strip() if label_col else None]
            if header and j < len(header):
                parts.append(header[j].strip())
            context = " › ".join(p for p in parts if p) or None
            blocks.append(("cell", cell, context))
    return blocks


def read_docx(path: str | Path, *, display: str, rule: SpeakerRule) -> Source:
    """Read a Word document into a :class:`Source` of kind ``notes``.

    The plain text is each paragraph and table cell in document order, separated by a
    blank line. Heading paragraphs become the context of what follows; a table cell's
    context is the heading, its row label and its column header. Speaker turns
    (``Name: words``) inside paragraphs are split as in text notes.

    Raises:
        InputError: the file is corrupt, truncated or not a Word document.

    Example:
        >>> read_docx("data/raw/s1/table-notes.docx", display="s1/table-notes.docx",
        ...           rule=SpeakerRule())  # doctest: +SKIP
    """
    pieces: list[str] = []
    lines: list[Line] = []
    pos = 0
    for kind, text, context in _blocks(Path(path), display):
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
        offset = pos
        for raw in text.split("\n"):
            end = offset + len(raw)
            if kind == "heading":
                lines.append(Line(offset, end, "heading"))
            else:
                lines.append(Line(offset, end, "text" if raw.strip() else "blank", context))
            offset = end + 1
        lines.append(Line(offset, offset, "blank"))
        pieces.append(text)
        pos += len(text) + 2
    plain = "\n\n".join(pieces)
    return Source(display, "notes", plain, units_from_lines(plain, lines, rule=rule))
