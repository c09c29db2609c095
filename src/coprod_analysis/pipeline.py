"""The stages the command line runs: each reads its inputs, writes its outputs, says what it did."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coprod_analysis.config import Paths, load_project
from coprod_analysis.corpus import Corpus
from coprod_analysis.outputs import file_hash, update_run_json, write_tables

Echo = Callable[[str], None]


@dataclass
class StageResult:
    """What one stage wrote and how long it took."""

    name: str
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


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


def theme_counts(segments, themes, order: list[str]):
    """Return segments per theme per session (themes in codebook order), with segment counts.

    Example:
        >>> theme_counts(corpus.segments, tags, codebook.ids)  # doctest: +SKIP
    """
    import pandas as pd

    found = (
        themes[["segment_id", "theme"]]
        .drop_duplicates()
        .merge(segments[["segment_id", "session_id"]], on="segment_id")
    )
    table = pd.crosstab(found["session_id"], found["theme"])
    table = table.reindex(index=segments["session_id"].unique(), columns=order, fill_value=0)
    table.insert(0, "segments", segments.groupby("session_id").size())
    return table


def training_data(
    where: Paths, project, codebook, *, segments=None, exclude=None, echo: Echo = lambda m: None
):
    """Collect labelled text for the learned classifier: training statements, plus hand codes.

    Args:
        where: the folders.
        project: the project settings (``themes.training_statements``, ``themes.human_codes``).
        codebook: the codebook (theme ids are checked).
        segments: the project's segments; when given, its hand-coded ones are included.
        exclude: a statement file to leave out (the one being scored).
        echo: where to report what was found.

    Returns:
        ``(texts, codes, warnings)``: a table of ``segment_id, text``, the codes, and warnings.
    """
    import pandas as pd

    from coprod_analysis.themes import read_human_codes, read_statements

    texts, codes, warnings = [], [], []
    for name in project.themes.training_statements:
        path = where.root / name
        if exclude is not None and path.resolve() == Path(exclude).resolve():
            echo(f"  training statements: left out {name} (it is being scored)")
            continue
        if path.is_file():
            seg, code = read_statements(path, themes=codebook.ids)
            texts.append(seg)
            codes.append(code)
            echo(f"  training statements: {len(seg)} from {name}")
        else:
            warnings.append(
                f"{path}: training statements not found; skipped. Fix: correct themes.training_statements"
            )
    codes_path = where.raw / project.themes.human_codes
    if segments is not None and codes_path.is_file():
        human = read_human_codes(codes_path, themes=codebook.ids)
        matched = human["segment_id"].isin(set(segments["segment_id"]))
        if not matched.all():
            warnings.append(
                f"{codes_path.name}: {human.loc[~matched, 'segment_id'].nunique()} coded segment id(s) are not in "
                "the current segments and were ignored. Fix: re-code them from data/processed/segments.csv"
            )
        coded = human.loc[matched]
        texts.append(
            segments.loc[
                segments["segment_id"].isin(set(coded["segment_id"])), ["segment_id", "text"]
            ]
        )
        codes.append(coded[["segment_id", "theme"]])
        echo(f"  hand-coded segments: {coded['segment_id'].nunique()} from {codes_path.name}")
    if not texts:
        return None, None, warnings
    return pd.concat(texts, ignore_index=True), pd.concat(codes, ignore_index=True), warnings


def run_tag(where: Paths, *, echo: Echo) -> StageResult:
    """Tag the ingested segments with the codebook's themes and write the ``themes`` table.

    A classifier learns from the training statements beside the codebook and the hand-coding
    in the raw folder (``human_codes.csv``), and tags the themes where it beats rules plus
    similarity in cross-validation.

    Example:
        >>> run_tag(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.themes import learn_themes, load_codebook, tag_themes

    start = time.perf_counter()
    project = load_project(where.config)
    corpus = read_corpus(where.processed)
    codebook = load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    cache = EmbeddingCache(where.processed, model)
    texts, codes, warnings = training_data(
        where, project, codebook, segments=corpus.segments, echo=echo
    )
    learned = learned_info = None
    if texts is not None:
        learned = learn_themes(texts, codes, codebook, model=model, cache=cache)
        learned_info = learned.report.round(4).to_dict(orient="records")
        echo(
            f"  classifier beat rules + similarity in cross-validation for: {', '.join(learned.used) or 'none'}"
        )
    themes = tag_themes(
        corpus.segments,
        codebook,
        learned=learned,
        model=model,
        cache=cache,
        progress=lambda m: echo(f"  {m}"),
    )
    cache.save()
    outputs = write_tables(where.processed, {"themes": themes})
    seconds = time.perf_counter() - start
    outputs.append(
        update_run_json(
            where.processed,
            "tag",
            {
                "seconds": round(seconds, 3),
                "codebook_sha256": codebook.sha256,
                "thresholds": {t: codebook.threshold(t) for t in codebook.ids},
                "embedding_model": model,
                "rows": len(themes),
                "by_method": themes["method"].value_counts().to_dict(),
                "learned": learned_info,
                "warnings": warnings,
            },
        )
    )
    for line in warnings:
        echo(f"warning: {line}")
    echo("Segments per theme per session:")
    echo(theme_counts(corpus.segments, themes, codebook.ids).to_string())
    methods = ", ".join(f"{k} {v}" for k, v in themes["method"].value_counts().items())
    echo(f"{len(themes)} theme tags ({methods}) in {seconds:.1f} s")
    return StageResult("tag", outputs, seconds, warnings)


TOPIC_FIT = "topic_fit.json"


def _fit_key(project, codebook) -> dict:
    """The settings a topic fit depends on; a change to any of them forces a refit."""
    from coprod_analysis.embeddings import model_id

    return {
        "model": model_id(project.embeddings.model),
        "seed": project.topics.seed,
        "emergent_below": project.topics.emergent_below,
        "codebook_sha256": codebook.sha256,
    }


def _previous_topics(where: Paths, project, codebook, segments):
    """Return ``(previous result, reason)``: the last topics if they can be extended, else why not."""
    import json

    import pandas as pd

    from coprod_analysis.embeddings import text_key
    from coprod_analysis.topics import TopicResult, needs_refit

    state_path = where.processed / TOPIC_FIT
    tables = [where.processed / f"{name}.parquet" for name in ("topics", "topic_info")]
    if not state_path.is_file() or not all(p.is_file() for p in tables):
        return None, "no earlier topics"
    state = json.loads(state_path.read_text("utf-8"))
    for key, value in _fit_key(project, codebook).items():
        if state["settings"].get(key) != value:
            return None, f"{key} changed"
    current = dict(zip(segments["segment_id"], map(text_key, segments["text"]), strict=True))
    if any(current.get(s) != k for s, k in state["segments"].items()):
        return None, "segments modelled earlier are gone or changed"
    topics, info = (pd.read_parquet(p) for p in tables)
    reason = needs_refit(topics, segments, fitted=len(state["segments"]))
    return (None, reason) if reason else (TopicResult(topics, info, pd.DataFrame()), None)


def _write_fit_state(where: Paths, project, codebook, segments) -> Path:
    import json

    from coprod_analysis.embeddings import text_key
    from coprod_analysis.outputs import atomic_write

    state = {
        "settings": _fit_key(project, codebook),
        "segments": dict(zip(segments["segment_id"], map(text_key, segments["text"]), strict=True)),
    }
    path = where.processed / TOPIC_FIT
    atomic_write(path, lambda tmp: tmp.write_text(json.dumps(state), "utf-8"))
    return path


def run_topics(where: Paths, *, echo: Echo, refit: bool = False) -> StageResult:
    """Fit topics on the ingested segments; write ``topics``, ``topic_info``, shares and the model.

    After a roundtable, when the segments modelled before are unchanged and the new ones are
    at most a quarter as many, the new segments join their nearest existing topics without a
    refit (seconds instead of minutes at scale); ``refit=True`` always refits.

    Example:
        >>> run_topics(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.themes import load_codebook
    from coprod_analysis.topics import extend_topics, fit_topics, save_topic_model

    start = time.perf_counter()
    project = load_project(where.config)
    corpus = read_corpus(where.processed)
    codebook = load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    cache = EmbeddingCache(where.processed, model)
    previous, reason = (
        (None, "--refit") if refit else _previous_topics(where, project, codebook, corpus.segments)
    )
    if previous is not None:
        echo("  the modelled segments are unchanged: adding the new ones to the existing topics")
        result = extend_topics(
            previous, corpus.segments, sessions=corpus.sessions, model=model, cache=cache
        )
    else:
        echo(f"  fitting topics from scratch ({reason})")
        result = fit_topics(
            corpus.segments,
            codebook=codebook,
            sessions=corpus.sessions,
            model=model,
            cache=cache,
            seed=project.topics.seed,
            emergent_below=project.topics.emergent_below,
            progress=lambda m: echo(f"  {m}"),
        )
    cache.save()
    warnings = [result.message] if result.message else []
    info = result.topic_info.copy()
    if len(info) and not isinstance(info["representative"].iloc[0], str):
        info["representative"] = info["representative"].map(lambda docs: " | ".join(docs))
    outputs = write_tables(
        where.processed,
        {"topics": result.topics, "topic_info": info, "topic_shares": result.shares},
    )
    if result and result.model is not None:
        outputs.append(save_topic_model(result.model, where.processed / "topic_model", model=model))
        outputs.append(_write_fit_state(where, project, codebook, corpus.segments))
    seconds = time.perf_counter() - start
    emergent = info[info["emergent"]] if "emergent" in info else info.iloc[0:0]
    n_topics = int((info["topic"] != -1).sum()) if len(info) else 0
    outputs.append(
        update_run_json(
            where.processed,
            "topics",
            {
                "seconds": round(seconds, 3),
                "mode": "extended" if previous is not None else "fitted",
                "segments": len(result.topics),
                "topics": n_topics,
                "outliers_reduced": result.outliers_reduced,
                "emergent": emergent["topic"].tolist(),
                "refit_reason": reason,
                "warnings": warnings,
            },
        )
    )
    for line in warnings:
        echo(f"warning: {line}")
    if result:
        echo(
            f"{n_topics} topics over {len(result.topics)} segments "
            f"({result.outliers_reduced} outliers moved to their nearest topic) in {seconds:.1f} s"
        )
        shown = info[
            ["topic", "size", "nearest_theme", "theme_similarity", "emergent", "top_words"]
        ]
        echo(shown.to_string(index=False, max_colwidth=60))
        for row in emergent.itertuples():
            echo(
                f"  emergent topic {row.topic}: suggested codebook keywords: {row.suggested_keywords}"
            )
    return StageResult("topics", outputs, seconds, warnings)


STAGES: dict[str, Callable[..., StageResult]] = {
    "ingest": run_ingest,
    "tag": run_tag,
    "topics": run_topics,
}
