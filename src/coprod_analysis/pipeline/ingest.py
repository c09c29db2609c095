"""The ingest stage: data/raw into the sessions, segments and responses tables."""

from __future__ import annotations

import json
import time
from pathlib import Path

from coprod_analysis.config import Paths, load_project
from coprod_analysis.corpus import Corpus
from coprod_analysis.outputs import file_hash, update_run_json, write_tables
from coprod_analysis.pipeline.base import Echo, StageResult


def summarise_ingest(corpus: Corpus, *, seconds: float) -> str:
    """Return the ingest summary: per-session counts, totals, warnings and unmapped columns.

    Example:
        >>> print(summarise_ingest(corpus, seconds=0.4))  # doctest: +SKIP
    """
    counts = corpus.counts()
    row = "{:<28} {:<10} {:>6} {:>10} {:>7} {:>11}"
    lines = [row.format("session", "date", "notes", "transcript", "survey", "respondents")]
    for r in counts.itertuples():
        when = f"{r.date:%Y-%m-%d}"
        lines.append(row.format(r.session_id, when, r.notes, r.transcript, r.survey, r.respondents))
    kinds = corpus.segments["source_kind"].value_counts()
    people = set(corpus.responses["respondent"].dropna()) | set(
        corpus.segments.loc[corpus.segments.source_kind == "survey", "speaker"].dropna()
    )
    lines.append(
        f"{len(corpus.sessions)} sessions, {len(corpus.segments)} segments "
        f"(notes {kinds.get('notes', 0)}, transcript {kinds.get('transcript', 0)}, "
        f"survey {kinds.get('survey', 0)}), {len(corpus.responses)} closed answers, "
        f"{len(people)} respondents, in {seconds:.1f} s"
    )
    if corpus.unmapped:
        lines.append("Survey columns not used:")
        lines += [f"  {path}: {'; '.join(cols)}" for path, cols in corpus.unmapped.items()]
    else:
        lines.append("Survey columns not used: none")
    lines.append(f"Warnings ({len(corpus.warnings)}):" if corpus.warnings else "Warnings: none")
    lines += [f"  - {w}" for w in corpus.warnings]
    return "\n".join(lines)


def run_ingest(where: Paths, *, echo: Echo) -> StageResult:
    """Ingest the raw folder and write the tables and ``run.json`` to the processed folder.

    Nothing is written when the input has a fatal problem (an :class:`InputError` is raised
    before any output is touched).

    Example:
        >>> run_ingest(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.ingest import ingest

    start = time.perf_counter()
    project = load_project(where.config)
    fingerprint = ingest_fingerprint(where, project)
    last = _standing(where.processed, fingerprint)
    if last is not None:
        seconds = time.perf_counter() - start
        echo(
            "  data/raw, the settings and the pseudonym key are unchanged since the last ingest; "
            "its tables stand"
        )
        warnings = last.get("warnings", [])
        for warning in warnings:  # the last ingest's warnings still hold
            echo(f"  - {warning}")
        stood = [where.processed / name for name in last["tables_sha256"]]
        record = {**last, "seconds": round(seconds, 3), "reused": True}
        stood.append(update_run_json(where.processed, "ingest", record))
        return StageResult("ingest", stood, seconds, warnings, reused="reused")
    corpus = ingest(
        where.raw, config=where.config, project=project, progress=lambda m: echo(f"  reading {m}")
    )
    for notice in corpus.notices:
        echo(notice)
    outputs = write_tables(where.processed, corpus.tables())
    seconds = time.perf_counter() - start
    outputs.append(
        update_run_json(
            where.processed,
            "ingest",
            {
                "seconds": round(seconds, 3),
                "raw": str(where.raw),
                "config_sha256": {
                    name: file_hash(where.config / name) for name in ("project.yml", "codebook.yml")
                },
                "fingerprint": fingerprint,
                "reused": False,
                "tables_sha256": {path.name: file_hash(path) for path in outputs},
                "inputs": corpus.inputs,
                "counts": {name: len(df) for name, df in corpus.tables().items()},
                "warnings": corpus.warnings,
                "unmapped_columns": corpus.unmapped,
            },
        )
    )
    echo(summarise_ingest(corpus, seconds=seconds))
    return StageResult("ingest", outputs, seconds, corpus.warnings)


def ingest_fingerprint(where: Paths, project) -> str | None:
    """One hash of everything ingest reads: data/raw, the settings, the key and the code.

    The pseudonym key enters only through a hash of a hash, so the fingerprint tells nothing
    about it. None when there is no key yet (the first run makes one).

    Example:
        >>> ingest_fingerprint(paths(), load_project("config"))  # doctest: +SKIP
    """
    import hashlib

    from coprod_analysis.errors import InputError
    from coprod_analysis.outputs import code_hash, joined_hash, tree_hash, versions
    from coprod_analysis.privacy.pseudonyms import load_key

    try:
        key, _ = load_key(where.config / project.privacy.key_file, create=False)
        parts = [
            tree_hash(where.raw),
            tree_hash(where.config, skip={project.privacy.key_file}),
            hashlib.sha256(key).hexdigest(),
            code_hash(),
            json.dumps(versions(), sort_keys=True),
        ]
    except (InputError, OSError):  # no key yet, or an unreadable file: ingest says which
        return None
    return joined_hash(*parts)


def _standing(processed: Path, fingerprint: str | None) -> dict | None:
    """The last ingest's run.json record, if it had this fingerprint and no table changed since."""
    if fingerprint is None:
        return None
    try:
        record = json.loads((processed / "run.json").read_text("utf-8"))["stages"]["ingest"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if record.get("fingerprint") != fingerprint or not record.get("tables_sha256"):
        return None
    tables = {processed / name: digest for name, digest in record["tables_sha256"].items()}
    if any(file_hash(path) != digest for path, digest in tables.items()):
        return None  # a table was changed or removed by hand: ingest again
    return record
