"""Find a session's files and read each with the reader for its type."""

from __future__ import annotations

import os
from pathlib import Path

from coprod_analysis.config import Project
from coprod_analysis.errors import InputError, Problems
from coprod_analysis.ingest.docx import read_docx
from coprod_analysis.ingest.notes import SpeakerRule, listed_people, read_notes
from coprod_analysis.ingest.source import Source
from coprod_analysis.ingest.surveys import read_survey
from coprod_analysis.ingest.transcripts import read_transcript

NOTES = {".txt", ".md", ".markdown"}
WORD = {".docx"}
TRANSCRIPTS = {".vtt", ".srt"}
SURVEYS = {".csv", ".xlsx"}
SUPPORTED = NOTES | WORD | TRANSCRIPTS | SURVEYS
_SAVE_AS = {".doc": ".docx", ".xls": ".xlsx", ".odt": ".docx", ".ods": ".xlsx", ".rtf": ".docx"}


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$", "__"))


def unreadable(path: Path, display: str, exc: OSError) -> InputError:
    """Return the one-line error for a file or folder the operating system will not open.

    Example:
        >>> from pathlib import Path
        >>> from coprod_analysis.ingest.readers import unreadable
        >>> print(unreadable(Path("x"), "s1/notes.md", PermissionError(13, "Permission denied")))
        s1/notes.md: cannot be read (Permission denied). Fix: give your user access to it (chmod u+r), or move it out of the raw folder
    """
    reason = exc.strerror or type(exc).__name__
    mode = "u+rx" if path.is_dir() else "u+r"
    return InputError(
        display,
        None,
        f"cannot be read ({reason})",
        fix=f"give your user access to it (chmod {mode}), or move it out of the raw folder",
    )


def session_files(folder: Path, *, raw: Path, problems: Problems) -> list[Path]:
    """Return a session folder's files (subfolders too), sorted, without hidden or lock files.

    A link that leads outside the raw folder is not followed: it is skipped with a warning,
    as is anything that is neither a file nor a folder.

    Args:
        folder: the session folder.
        raw: the raw folder, which links must not leave.
        problems: where warnings go.

    Raises:
        InputError: a folder cannot be listed (no permission).

    Example:
        >>> session_files(Path("data/raw/s1-what-is-coproduction"), raw=Path("data/raw"),
        ...               problems=Problems())  # doctest: +SKIP
    """
    inside = raw.resolve()
    found: list[Path] = []
    pending = [folder]
    seen = {folder.resolve()}  # a link back to a folder already read is not read again
    while pending:
        current = pending.pop()
        display = current.relative_to(raw).as_posix()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            raise unreadable(current, display, exc) from None
        for entry in entries:
            if _hidden(entry.name):
                continue
            path = Path(entry.path)
            shown = path.relative_to(raw).as_posix()
            try:
                target = path.resolve(strict=entry.is_symlink())
            except (OSError, RuntimeError):  # a broken link or a loop of links
                problems.warn(shown, None, "is a broken link; skipped", fix="remove it")
                continue
            if entry.is_symlink() and not target.is_relative_to(inside):
                problems.warn(
                    shown,
                    None,
                    "is a link to a place outside the raw folder; not followed, so skipped",
                    fix="copy the file into the session folder instead of linking to it",
                )
            elif entry.is_dir():
                if target in seen:
                    problems.warn(
                        shown,
                        None,
                        "is a link to a folder already read; not read twice",
                        fix="remove the link",
                    )
                    continue
                seen.add(target)
                pending.append(path)
            elif entry.is_file():
                found.append(path)
            else:
                problems.warn(
                    shown, None, "is not a regular file; skipped", fix="remove it or copy the file"
                )
    return sorted(found)


def speaker_rule(project: Project) -> SpeakerRule:
    """Build the speaker-label rule from the project settings."""
    return SpeakerRule.make(
        not_speakers=project.notes.not_speakers,
        facilitator_labels=project.privacy.facilitator_labels,
    )


def read_source(path: Path, *, display: str, project: Project, problems: Problems) -> Source | None:
    """Read one file with the reader for its extension.

    Returns:
        The source, or None when the file is skipped (empty, unsupported type, no text),
        in which case a warning is recorded.

    Raises:
        InputError: the file cannot be read (corrupt, binary, a bad ladder answer).

    Example:
        >>> read_source(Path("data/raw/s1/notes.md"), display="s1/notes.md",
        ...             project=load_project(), problems=Problems())  # doctest: +SKIP
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        better = _SAVE_AS.get(suffix)
        fix = f"save it as {better}" if better else f"use one of {', '.join(sorted(SUPPORTED))}"
        problems.warn(
            display, None, f"file type {suffix or '(none)'} is not supported; skipped", fix=fix
        )
        return None
    if path.stat().st_size == 0:
        problems.warn(display, None, "is empty; skipped", fix="remove it or export it again")
        return None
    rule = speaker_rule(project)
    if suffix in NOTES:
        source = read_notes(path, display=display, rule=rule)
    elif suffix in WORD:
        source = read_docx(path, display=display, rule=rule, limits=project.files)
    elif suffix in TRANSCRIPTS:
        source = read_transcript(path, display=display, rule=rule)
    else:
        source = read_survey(path, display=display, project=project, problems=problems)
    if source.kind == "notes":
        source.people = listed_people(source.plain_text, rule=rule)
    if not source.units and not source.answers:
        problems.warn(display, None, "holds no text; skipped", fix="check it is the right file")
        return None
    return source
