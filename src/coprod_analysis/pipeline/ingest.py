"""The ingest stage: data/raw into the sessions, segments and responses tables."""

from __future__ import annotations

import time

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
                "inputs": corpus.inputs,
                "counts": {name: len(df) for name, df in corpus.tables().items()},
                "warnings": corpus.warnings,
                "unmapped_columns": corpus.unmapped,
            },
        )
    )
    echo(summarise_ingest(corpus, seconds=seconds))
    return StageResult("ingest", outputs, seconds, corpus.warnings)
