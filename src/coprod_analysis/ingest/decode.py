"""Turn a text file's bytes into text: UTF-8 (with or without BOM), UTF-16, Windows-1252."""

from __future__ import annotations

from pathlib import Path

from coprod_analysis.errors import InputError

_CONTROL = set(range(32)) - {9, 10, 12, 13}


def looks_binary(data: bytes) -> bool:
    """Tell whether bytes are a binary file rather than text.

    A NUL byte, or more than 5% control characters in the first 8 KiB, means binary
    (UTF-16 text, which carries NULs, is recognised by its byte-order mark first).

    Example:
        >>> from coprod_analysis.ingest.decode import looks_binary
        >>> looks_binary(b"PK\\x03\\x04\\x00\\x00"), looks_binary(b"Hello, world")
        (True, False)
    """
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return bool(head) and controls / len(head) > 0.05


def decode_text(data: bytes, *, path: str | Path = "") -> str:
    """Decode a text file's bytes and normalise line endings to ``\\n``.

    UTF-8 is tried first (a byte-order mark is dropped), then UTF-16 when it has a BOM,
    then Windows-1252, which is what Excel on Windows writes.

    Args:
        data: the file's bytes.
        path: the file's name, for the error message.

    Returns:
        The text, with ``\\r\\n`` and ``\\r`` turned into ``\\n``.

    Raises:
        InputError: the bytes are a binary file, not text.

    Example:
        >>> from coprod_analysis.ingest.decode import decode_text
        >>> decode_text("café".encode("cp1252"))
        'café'
    """
    if looks_binary(data):
        raise InputError(
            path,
            None,
            "is a binary file, not text",
            fix="export it as plain text (UTF-8) or give it the right extension",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path, *, display: str | Path | None = None) -> str:
    """Read a text file as :func:`decode_text` does.

    Example:
        >>> read_text("data/raw/sessions.csv").startswith("session_id")  # doctest: +SKIP
        True
    """
    return decode_text(Path(path).read_bytes(), path=display or path)
