"""Find a session's files and read each with the reader for its type."""

from __future__ import annotations

from pathlib import Path

from coprod_analysis.config import Project
from coprod_analysis.errors import Problems
from coprod_analysis.ingest.docx import read_docx
from coprod_analysis.ingest.notes import SpeakerRule, read_notes
from coprod_analysis.ingest.source import Source
from coprod_analysis.ingest.surveys import read_survey
from coprod_analysis.ingest.transcripts import read_transcript

NOTES = {".txt", ".md", ".markdown"}
WORD = {".docx"}
TRANSCRIPTS = {".vtt", ".srt"}
SURVEYS = {".csv", ".xlsx"}
SUPPORTED = NOTES | WORD | TRANSCRIPTS | SURVEYS
_SAVE_AS = {".doc": ".docx", ".xls": ".xlsx", ".odt": ".docx", ".ods": ".xlsx", ".rtf": ".docx"}


def session_files(folder: Path) -> list[Path]:
    """Return a session folder's files (subfolders too), sorted, without hidden or lock files.

    Example:
        >>> session_files(Path("data/raw/s1-what-is-coproduction"))  # doctest: +SKIP
    """
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(p.startswith((".", "~$", "__")) for p in parts):
            found.append(path)
    return found


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
        source = read_docx(path, display=display, rule=rule)
    elif suffix in TRANSCRIPTS:
        source = read_transcript(path, display=display, rule=rule)
    else:
        source = read_survey(path, display=display, project=project, problems=problems)
    if not source.units and not source.answers:
        problems.warn(display, None, "holds no text; skipped", fix="check it is the right file")
        return None
    return source
