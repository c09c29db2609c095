"""Open the zip inside a ``.docx`` or ``.xlsx`` safely: refuse one that unpacks too large."""

from __future__ import annotations

import zipfile
from pathlib import Path

from coprod_analysis.config import FileLimits
from coprod_analysis.errors import InputError

_MB = 1024 * 1024


def _mb(size: int) -> str:
    return f"{size / _MB:,.0f}" if size >= 10 * _MB else f"{size / _MB:.1f}"


def check_zip(path: str | Path, *, display: str, limits: FileLimits = FileLimits()) -> None:
    """Refuse a zip-based file whose members would unpack beyond the limits.

    The sizes are read from the zip's directory, so nothing is unpacked to check them. A
    file that is not a zip at all passes: its reader names that problem itself.

    Args:
        path: the ``.docx`` or ``.xlsx`` file.
        display: the file's name in messages.
        limits: the largest unpacked size (MB) and member count allowed.

    Raises:
        InputError: the file unpacks to more than ``limits.max_unpacked_mb`` or holds more
            than ``limits.max_members`` members.

    Example:
        >>> from coprod_analysis.ingest.archive import FileLimits, check_zip
        >>> from coprod_analysis.ingest.archive import check_zip
        >>> import io, zipfile
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        ...     z.writestr("word/document.xml", "0" * 3 * 1024 * 1024)
        >>> check_zip(buf, display="big.docx", limits=FileLimits(max_unpacked_mb=2))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        coprod_analysis.errors.InputError: big.docx: unpacks to 3.0 MB, over the limit of 2 MB. Fix: ...
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return
    fix = (
        "check it is the right file; if it is, raise files.max_unpacked_mb and "
        "files.max_members in config/project.yml"
    )
    if len(infos) > limits.max_members:
        raise InputError(
            display,
            None,
            f"holds {len(infos):,} zip members, over the limit of {limits.max_members:,}",
            fix=fix,
        )
    size = sum(info.file_size for info in infos)
    if size > limits.max_unpacked_mb * _MB:
        raise InputError(
            display,
            None,
            f"unpacks to {_mb(size)} MB, over the limit of {limits.max_unpacked_mb:g} MB",
            fix=fix,
        )
