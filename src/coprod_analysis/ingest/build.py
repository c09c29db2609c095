"""Turn read sources into the public tables: pseudonymise people, redact text, give ids."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from coprod_analysis.corpus import frame
from coprod_analysis.ingest.manifest import SessionRow
from coprod_analysis.ingest.source import Source
from coprod_analysis.privacy.entities import ordinary_words, redact_people
from coprod_analysis.privacy.gazetteer import Gazetteer
from coprod_analysis.privacy.people import People
from coprod_analysis.privacy.redact import Redactor

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language


def segment_id(session_id: str, source_file: str, start: int, end: int) -> str:
    """Return a segment's stable id: the same file and offsets give the same id every run.

    Example:
        >>> from coprod_analysis.ingest.build import segment_id
        >>> segment_id("s1", "s1/notes.md", 0, 42)
        's1-80675b7e8ed7'
    """
    digest = hashlib.blake2b(f"{source_file}\x1f{start}\x1f{end}".encode(), digest_size=6)
    return f"{session_id}-{digest.hexdigest()}"


def _redact_mentions(
    segments: list[dict],
    recogniser: Language,
    *,
    not_names: Iterable[str],
    names: Gazetteer | None,
) -> None:
    """Redact names the recogniser finds in segment texts and contexts, in place."""
    texts = [s["text"] for s in segments]
    contexts = sorted({s["context"] for s in segments if s["context"]})
    done = redact_people(
        texts + contexts,
        nlp=recogniser,
        ordinary=ordinary_words(texts),
        not_names=not_names,
        names=names,
    )
    context_map = dict(zip(contexts, done[len(texts) :], strict=True))
    for segment, text in zip(segments, done, strict=False):
        segment["text"] = text
        segment["n_words"] = len(text.split())
        if segment["context"]:
            segment["context"] = context_map[segment["context"]]


def people_of(rows: list[SessionRow], sources: dict[str, list[Source]], people: People) -> People:
    """Record every facilitator, speaker and respondent name the corpus uses."""
    for row in rows:
        people.add_facilitators(row.facilitators)
    for found in sources.values():
        for source in found:
            for unit in source.units:
                people.add(unit.speaker)
            for answer in source.answers:
                people.add(answer.respondent)
            for name in source.people:
                people.add(name)
    return people


def build_tables(
    rows: list[SessionRow],
    sources: dict[str, list[Source]],
    *,
    people: People,
    key: bytes,
    recogniser: Language | None = None,
    not_names: Iterable[str] = (),
    names: Gazetteer | None = None,
    redact: Redactor | None = None,
) -> dict[str, pd.DataFrame]:
    """Build the sessions, segments and responses tables from read sources.

    Every speaker and respondent becomes ``Facilitator`` or a pseudonym; segment text,
    answers and the manifest's extra columns are redacted with every name the corpus uses.

    Args:
        rows: the manifest rows.
        sources: each session's read sources, by session id.
        people: the names in the corpus (see :func:`people_of`).
        key: the pseudonym key.
        recogniser: a spaCy pipeline whose PERSON entities are redacted too, for names of
            people who never speak (see :func:`~coprod_analysis.privacy.entities.load_recogniser`).
        not_names: what the recogniser may take for a person but is not ("Zoom").
        names: lists of first names and surnames to find names the recogniser misses.
        redact: the redactor for the corpus's known names (default: made from ``people``).

    Returns:
        The three tables by name.

    Example:
        >>> tables = build_tables(rows, sources, people=people, key=key)  # doctest: +SKIP
    """
    redact = redact or Redactor.for_names(people.all_names())
    ordered = sorted(rows, key=lambda r: (r.date, r.line))
    sessions = [
        {
            "session_id": r.session_id,
            "date": r.date,
            "order": i,
            "title": redact(r.title),
            **{k: redact(v) for k, v in r.extra.items()},
        }
        for i, r in enumerate(ordered, start=1)
    ]
    segments, responses = [], []
    labels: dict[tuple[str | None, str], str | None] = {}  # a pseudonym once per speaker
    for row in ordered:
        for source in sources.get(row.session_id, []):
            source_file = redact.path(source.path)
            for unit in source.units:
                text = redact(source.unit_text(unit))
                if (unit.speaker, source.path) not in labels:
                    labels[unit.speaker, source.path] = people.label(
                        unit.speaker, key, source=source.path
                    )
                segments.append(
                    {
                        "segment_id": segment_id(row.session_id, source.path, unit.start, unit.end),
                        "session_id": row.session_id,
                        "source_file": source_file,
                        "source_kind": source.kind,
                        "speaker": labels[unit.speaker, source.path],
                        "question": unit.question,
                        "text": text,
                        "char_start": unit.start,
                        "char_end": unit.end,
                        "n_words": len(text.split()),
                        "context": redact(unit.context) if unit.context else None,
                        "start_time": unit.start_time,
                        "timing": unit.timing,
                    }
                )
            for answer in source.answers:
                responses.append(
                    {
                        "session_id": row.session_id,
                        "respondent": people.label(answer.respondent, key, source=source.path),
                        "question": answer.question,
                        "answer": redact(answer.answer),
                        "value": answer.value,
                        "timing": answer.timing,
                    }
                )
    if recogniser is not None:
        _redact_mentions(segments, recogniser, not_names=not_names, names=names)
    return {
        "sessions": frame("sessions", sessions),
        "segments": frame("segments", segments),
        "responses": frame("responses", responses),
    }
