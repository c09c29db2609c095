"""The topics stage: fit (or extend) topic models and save them."""

from __future__ import annotations

import time
from pathlib import Path

from coprod_analysis.config import Paths
from coprod_analysis.errors import Problems
from coprod_analysis.outputs import update_run_json, write_tables
from coprod_analysis.pipeline.base import Context, Echo, StageResult, context, echo_problems

TOPIC_FIT = "topic_fit.json"


def _fit_key(project, codebook) -> dict:
    """The settings a topic fit depends on; a change to any of them forces a refit."""
    from coprod_analysis.embeddings import model_id
    from coprod_analysis.topics.fit import LABELS_VERSION

    return {
        "labels": LABELS_VERSION,  # how topics are labelled: a new way relabels by refitting
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
    kept = TopicResult(topics=topics, topic_info=info, shares=pd.DataFrame())
    return (None, reason) if reason else (kept, None)


def _write_fit_state(where: Paths, project, codebook, segments) -> Path:
    import json

    from coprod_analysis.embeddings import text_key
    from coprod_analysis.outputs import atomic_text

    state = {
        "settings": _fit_key(project, codebook),
        "segments": dict(zip(segments["segment_id"], map(text_key, segments["text"]), strict=True)),
    }
    path = where.processed / TOPIC_FIT
    atomic_text(path, json.dumps(state))
    return path


def fit_project_topics(ctx: Context, *, progress: Echo | None = None):
    """Fit topics from scratch on the project's segments, with its topic settings.

    Example:
        >>> result = fit_project_topics(context(paths()))  # doctest: +SKIP
    """
    from coprod_analysis.topics import fit_topics

    return fit_topics(
        ctx.corpus.segments,
        codebook=ctx.codebook,
        sessions=ctx.corpus.sessions,
        model=ctx.model,
        cache=ctx.cache,
        seed=ctx.project.topics.seed,
        emergent_below=ctx.project.topics.emergent_below,
        progress=progress,
    )


def run_topics(where: Paths, *, echo: Echo, refit: bool = False) -> StageResult:
    """Fit topics on the ingested segments; write ``topics``, ``topic_info``, shares and the model.

    After a roundtable, when the segments modelled before are unchanged and the new ones are
    at most a quarter as many, the new segments join their nearest existing topics without a
    refit (seconds instead of minutes at scale); ``refit=True`` always refits.

    Example:
        >>> run_topics(paths(), echo=print)  # doctest: +SKIP
    """
    # Long because a stage: read, refit or extend, write, record in run.json and say what it did; most lines are the report.
    from coprod_analysis.topics import extend_topics, save_topic_model

    start = time.perf_counter()
    project, corpus, codebook, model, cache = context(where)
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
        result = fit_project_topics(
            Context(project, corpus, codebook, model, cache), progress=lambda m: echo(f"  {m}")
        )
    cache.save()
    problems = Problems()
    if result.message:
        problems.warn(
            where.processed / "segments.csv",
            None,
            result.message,
            fix="run coprod report again after more sessions; the other outputs do not need topics",
        )
    warnings = echo_problems(problems, echo)
    info = result.topic_info.copy()
    if len(info) and not isinstance(info["representative"].iloc[0], str):
        info["representative"] = info["representative"].map(lambda docs: " | ".join(docs))
    outputs = write_tables(
        where.processed,
        {"topics": result.topics, "topic_info": info, "topic_shares": result.shares},
    )
    if result and result.topic_model is not None:
        outputs.append(
            save_topic_model(result.topic_model, where.processed / "topic_model", model=model)
        )
        outputs.append(_write_fit_state(where, project, codebook, corpus.segments))
    seconds = time.perf_counter() - start
    from coprod_analysis.topics import emergent_topics

    emergent = emergent_topics(info)
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
    if result:
        echo(
            f"{n_topics} topics over {len(result.topics)} segments "
            f"({result.outliers_reduced} outliers moved to their nearest topic) in {seconds:.1f} s"
        )
        shown = info[
            ["topic", "size", "label", "nearest_theme", "emergent", "facilitation", "top_words"]
        ]
        echo(shown.to_string(index=False, max_colwidth=60))
        for row in emergent.itertuples():
            echo(
                f"  emergent topic {row.topic}: suggested codebook keywords: {row.suggested_keywords}"
            )
    reused = ""
    if previous is not None:  # extended: by nothing when no segment is new
        same = set(result.topics["segment_id"]) == set(previous.topics["segment_id"])
        reused = "reused" if same else "extended"
    return StageResult("topics", outputs, seconds, warnings, reused=reused)
