"""Ingest: read ``data/raw``, validate it, and build the pseudonymised, redacted tables."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from coprod_analysis.config import Project, load_project, paths
from coprod_analysis.corpus import Corpus
from coprod_analysis.errors import Problems
from coprod_analysis.ingest.build import build_tables, people_of
from coprod_analysis.ingest.manifest import MANIFEST, read_manifest
from coprod_analysis.ingest.readers import read_source, session_files, speaker_rule, unreadable
from coprod_analysis.ingest.source import Source
from coprod_analysis.privacy.entities import load_recogniser
from coprod_analysis.privacy.gazetteer import gazetteer
from coprod_analysis.privacy.people import People
from coprod_analysis.privacy.pseudonyms import load_key
from coprod_analysis.privacy.redact import Redactor

__all__ = ["ingest"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def _reporting(
    display: str, progress: Callable[[str], None] | None, *, after: float
) -> Iterator[None]:
    """Say so when a file takes longer than ``after`` seconds, while and once it is read."""
    if progress is None:
        yield
        return
    start = time.perf_counter()
    timer = threading.Timer(after, progress, args=[f"{display}: still reading…"])
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    if seconds > after:
        progress(f"{display}: read in {seconds:.1f} s")


def ingest(
    raw: str | Path | None = None,
    *,
    config: str | Path | None = None,
    project: Project | None = None,
    key: bytes | None = None,
    progress: Callable[[str], None] | None = None,
) -> Corpus:
    """Read every session in the raw folder into a :class:`~coprod_analysis.corpus.Corpus`.

    Reads ``sessions.csv`` and each ``<session_id>/`` folder (notes ``.md``/``.txt``, Word
    ``.docx``, transcripts ``.vtt``/``.srt``, surveys ``.csv``/``.xlsx``), then pseudonymises
    speakers and respondents and redacts names (known people, and PERSON entities found by
    the ``privacy.names_model`` recogniser), emails, UK phone, NHS and CHI numbers and
    postcodes. Nothing is written except, on the very first run, the pseudonym key.

    Args:
        raw: the raw folder (default ``data/raw`` under the project root).
        config: the config folder (default ``config``), for ``project.yml`` and the key.
        project: settings to use instead of reading ``project.yml``.
        key: the pseudonym key to use instead of the key file.
        progress: called with a short message as each session is read.

    Returns:
        The corpus: ``sessions``, ``segments`` and ``responses`` plus warnings and notices.

    Raises:
        InputError: a fatal problem in the input, named in one line with its fix.

    Example:
        >>> corpus = ingest("data/raw")  # doctest: +SKIP
        >>> corpus.segments.groupby("source_kind").size()  # doctest: +SKIP
    """
    # Long because the one loop over the session folders that keeps the progress, the problems and the hashes together; each reader is its own module.
    where = paths(raw=raw, config=config)
    project = project or load_project(where.config)
    problems = Problems()
    rows = read_manifest(where.raw)
    listed = {r.session_id for r in rows}
    for folder in sorted(
        p for p in where.raw.iterdir() if p.is_dir() and not p.name.startswith(".")
    ):
        if folder.name not in listed:
            problems.warn(
                f"{where.raw.name}/{folder.name}",
                None,
                "this folder is not in sessions.csv, so its files were skipped",
                fix="add a row for it to sessions.csv",
            )
    inputs = {MANIFEST: _sha256(where.raw / MANIFEST)}
    sources: dict[str, list[Source]] = {}
    for row in rows:
        folder = where.raw / row.session_id
        if folder.is_symlink() and not folder.resolve().is_relative_to(where.raw.resolve()):
            problems.warn(
                f"{where.raw.name}/{row.session_id}",
                None,
                "is a link to a folder outside the raw folder; not followed, so its files "
                "were skipped",
                fix="copy the session's files into the raw folder instead of linking to them",
            )
            continue
        if not folder.is_dir():
            problems.warn(
                MANIFEST,
                f"line {row.line}",
                f"session {row.session_id!r} has no folder {where.raw.name}/{row.session_id}/",
                fix="create the folder with the session's files, or remove the row",
            )
            continue
        files = session_files(folder, raw=where.raw, problems=problems)
        if progress:
            progress(f"{row.session_id}: {len(files)} file(s)")
        if not files:
            problems.warn(
                f"{where.raw.name}/{row.session_id}",
                None,
                "the session folder holds no files, so the session has no segments",
                fix="add the session's notes, transcripts or surveys to the folder",
            )
        found = []
        for path in files:
            display = path.relative_to(where.raw).as_posix()
            with _reporting(display, progress, after=project.files.progress_after_seconds):
                try:
                    inputs[display] = _sha256(path)
                    source = read_source(path, display=display, project=project, problems=problems)
                except OSError as exc:
                    raise unreadable(path, display, exc) from None
            if source is not None:
                found.append(source)
        sources[row.session_id] = found
    people = people_of(rows, sources, People(speaker_rule(project).facilitator_labels))
    notices = []
    if key is None:
        key_path = where.config / project.privacy.key_file
        key, created = load_key(key_path)
        if created:
            notices.append(
                f"Created a new pseudonym key at {key_path}: keep it private and back it up; "
                "without it the same people get new pseudonyms."
            )
    if progress:
        progress("redacting names")
    recogniser = load_recogniser(project.privacy.names_model)
    redact = Redactor.for_names(people.all_names())
    tables = build_tables(
        rows,
        sources,
        people=people,
        key=key,
        recogniser=recogniser,
        not_names=project.privacy.not_names,
        names=gazetteer() if recogniser is not None and project.privacy.name_lists else None,
        redact=redact,
    )
    # Warnings quote sheet names, headers and file names, which can name people too.
    unmapped = {
        redact.path(s.path): [redact(c) for c in s.unmapped]
        for found in sources.values()
        for s in found
        if s.unmapped
    }
    inputs = {redact.path(path): digest for path, digest in inputs.items()}
    return Corpus(
        **tables,
        warnings=[redact(w) for w in problems.lines()],
        notices=notices,
        unmapped=unmapped,
        inputs=inputs,
    )
