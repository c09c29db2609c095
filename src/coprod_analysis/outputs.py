"""Write tables and ``run.json`` safely: atomic replacement, CSV cells that cannot run."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Callable, Set
from contextlib import suppress
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_VERSIONS = (
    "coprod-analysis",
    "pandas",
    "pyarrow",
    "spacy",
    "bertopic",
    "sentence-transformers",
    "torch",
    "plotly",
)


def formula_safe(value: object) -> object:
    """One value that cannot run as a spreadsheet formula (text only; numbers unchanged).

    Text starting with ``= + - @`` (or a tab or carriage return) gets a leading apostrophe,
    as OWASP advises.

    Example:
        >>> from coprod_analysis.outputs import formula_safe
        >>> formula_safe("=1+1"), formula_safe("ok"), formula_safe(-1)
        ("'=1+1", 'ok', -1)
    """
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot run as spreadsheet formulas.

    A text cell starting with ``= + - @`` (or a tab or carriage return) gets a leading
    apostrophe, as OWASP advises for CSV exports. Numbers are left alone.

    Example:
        >>> from coprod_analysis.outputs import csv_safe
        >>> import pandas as pd
        >>> csv_safe(pd.DataFrame({"t": ["=1+1", "ok"], "n": [-1, 2]}))["t"].tolist()
        ["'=1+1", 'ok']
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].map(formula_safe)
    return out


def _readable(path: str | Path) -> None:
    """Give a finished output the usual permissions (mkstemp makes it private to the owner)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def atomic_text(path: Path, text: str) -> None:
    """Write a text file (UTF-8) atomically: see :func:`atomic_write`."""
    atomic_write(path, lambda tmp: tmp.write_text(text, "utf-8"))


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write via a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        _readable(tmp)
        os.replace(tmp, path)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(tmp)


def write_tables(folder: str | Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write each table as ``<name>.parquet`` and ``<name>.csv``, each replaced atomically.

    Every file is written in full to a temporary file before any is renamed into place, so
    a failure while writing leaves the previous outputs as they were.

    Returns:
        The paths written.

    Example:
        >>> write_tables("data/processed", corpus.tables())  # doctest: +SKIP
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, df in tables.items():
            for suffix in ("parquet", "csv"):
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=f".{suffix}.tmp", dir=folder)
                os.close(fd)
                staged.append((tmp, folder / f"{name}.{suffix}"))
                if suffix == "parquet":
                    df.to_parquet(tmp, index=False)
                else:
                    csv_safe(df).to_csv(tmp, index=False, date_format="%Y-%m-%d")
        for tmp, target in staged:
            _readable(tmp)
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
    return [target for _, target in staged]


def file_hash(path: str | Path) -> str | None:
    """Return the SHA-256 of a file, or None when it does not exist."""
    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def tree_hash(*places: str | Path, skip: Set[str] = frozenset()) -> str:
    """Return one SHA-256 over files and folders: their relative names and contents.

    Folders are read whole, in name order; files and folders named in ``skip`` are left out
    (a record that changes every run, ``__pycache__``). A missing place counts as empty, so
    creating it changes the hash.

    Example:
        >>> import tempfile, pathlib
        >>> from coprod_analysis.outputs import tree_hash
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> before = tree_hash(folder)
        >>> _ = (folder / "a.csv").write_text("x")
        >>> before == tree_hash(folder), tree_hash(folder) == tree_hash(folder, skip={"a.csv"})
        (False, False)
    """
    digest = hashlib.sha256()
    for place in map(Path, places):
        files = sorted(place.rglob("*")) if place.is_dir() else [place]
        for path in files:
            if skip & set(path.relative_to(place).parts) or not path.is_file():
                continue
            digest.update(f"{path.relative_to(place.parent)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def joined_hash(*parts: str) -> str:
    """Return one SHA-256 over several strings (hashes, settings as JSON).

    Example:
        >>> from coprod_analysis.outputs import joined_hash
        >>> joined_hash("a", "bc") == joined_hash("ab", "c")
        False
    """
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def code_hash() -> str:
    """Return the hash of the package's own source, so a change to the code counts as a change.

    Example:
        >>> from coprod_analysis.outputs import code_hash
        >>> len(code_hash())
        64
    """
    return tree_hash(Path(__file__).parent, skip={"__pycache__"})


def versions() -> dict[str, str]:
    """Return the versions of Python and the packages that shape the results."""
    found = {"python": platform.python_version()}
    for name in _VERSIONS:
        with suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def update_run_json(folder: str | Path, stage: str, info: dict) -> Path:
    """Record what produced a stage's outputs in ``run.json``, keeping other stages' records.

    Returns:
        The path of ``run.json``.

    Example:
        >>> update_run_json("data/processed", "ingest", {"segments": 412})  # doctest: +SKIP
    """
    path = Path(folder) / "run.json"
    record: dict = {}
    if path.is_file():
        with suppress(ValueError):
            record = json.loads(path.read_text(encoding="utf-8"))
    record.setdefault("stages", {})[stage] = {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        **info,
    }
    record["versions"] = versions()
    record["updated"] = datetime.now(UTC).isoformat(timespec="seconds")
    atomic_write(
        path, lambda tmp: tmp.write_text(json.dumps(record, indent=2, default=str) + "\n", "utf-8")
    )
    return path
