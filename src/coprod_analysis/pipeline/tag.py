"""The tag stage: themes for every segment, with the classifier of :mod:`.training`."""

from __future__ import annotations

import time
from pathlib import Path

from coprod_analysis.config import Paths
from coprod_analysis.errors import Problems
from coprod_analysis.outputs import update_run_json, write_tables
from coprod_analysis.pipeline.base import (
    Echo,
    StageResult,
    context,
    echo_problems,
    embedding_cache,
)
from coprod_analysis.pipeline.training import trained_classifier

METHODS = ("trained", "similarity", "rules")


def checked_table(where: Paths, project, codebook, segments):
    """The project's ``checked`` table and the segments to settle, from every hand-coding file.

    Reads ``data/raw/human_codes.csv``, the coders' files and ``settled.csv`` in
    ``data/coding``, and the audit plan there (:func:`~coprod_analysis.themes.checked.checked_codes`).

    Example:
        >>> checked, to_settle = checked_table(paths(), project, codebook, corpus.segments)  # doctest: +SKIP
    """
    from coprod_analysis.themes.audit import plan_path, read_plan
    from coprod_analysis.themes.checked import checked_codes
    from coprod_analysis.themes.coding import hand_codes

    codes = hand_codes(where.raw / project.themes.human_codes, where.coding, theme_ids=codebook.ids)
    return checked_codes(codes, segments=segments, plan=read_plan(plan_path(where.coding)))


def tag_themes(
    segments,
    codebook=None,
    *,
    method: str = "trained",
    where: Paths | None = None,
    echo: Echo | None = None,
):
    """Find the codebook's themes in any table of text, as ``coprod tag`` does.

    With the default ``method="trained"`` this applies the same tagger as ``coprod tag``: the
    classifier the last run trained (data/processed/learned-<model>.npz), or, when the
    training data or codebook changed since, one trained now and saved for next time; and, as
    ``coprod tag`` does, the codes people checked replace the tagger's for those segments
    (``method`` ``checked``). So a notebook and the command give the same tags for the same
    segments.

    Args:
        segments: a DataFrame with ``segment_id`` and ``text``.
        codebook: the themes (default: the project's ``config/codebook.yml``); an edited
            codebook retrains the classifier.
        method: ``"trained"`` (rules, similarity and the classifier, as ``coprod tag``),
            ``"similarity"`` (rules and similarity only) or ``"rules"`` (rules only). The
            ``method`` column of the result says which step tagged each row.
        where: the project's folders (default: :func:`~coprod_analysis.config.paths`).
        echo: where to report progress (default: nowhere).

    Returns:
        The ``themes`` table: ``segment_id, theme, method, score, evidence`` (and ``coder``
        for the trained method).

    Raises:
        ValueError: ``method`` is not one of the three.

    Example:
        >>> from coprod_analysis.pipeline.tag import tag_themes
        >>> import pandas as pd
        >>> seg = pd.DataFrame({"segment_id": ["a"], "text": ["Funders hold the purse strings."]})
        >>> tag_themes(seg, method="rules")[["theme", "method"]].values.tolist()
        [['power', 'rule'], ['funding', 'rule']]
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project, paths
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.errors import InputError
    from coprod_analysis.themes import tag_segments

    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    where = where or paths()
    given, echo = echo, echo or (lambda message: None)
    project = load_project(where.config)
    codebook = codebook or load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    cache = embedding_cache(where, model) if method != "rules" else None
    learned = None
    if method == "trained":
        try:  # the hand-coded segments are matched against the project's, as coprod tag does
            project_segments = read_corpus(where.processed).segments
        except InputError:
            project_segments = segments
        learned = trained_classifier(
            where,
            project,
            codebook,
            segments=project_segments,
            model=model,
            cache=cache,
            echo=given,
        )
    tags = tag_segments(
        segments,
        codebook,
        semantic=method != "rules",
        learned=learned,
        model=model,
        cache=cache,
        progress=echo,
    )
    if cache is not None:
        cache.save()  # the next call, or coprod tag, reuses these embeddings
    if method == "trained":  # as coprod tag: what people checked replaces the tagger's codes
        from coprod_analysis.themes.checked import count_checked

        tags = count_checked(tags, checked_table(where, project, codebook, segments)[0])
    return tags


def reliability_card(path: Path, codebook, *, learned, model: str, cache, semantic: bool = True):
    """Measure the tagger on a labelled statement file: its reliability card.

    The file's ``themes`` are the settled codes; when it has ``coder_a`` and ``coder_b`` (each
    coder's own codes before adjudication), their κ is given beside the tagger's.

    Example:
        >>> reliability_card(Path("data/labelled/test.csv"), codebook, learned=None,
        ...                  model="default", cache=None)  # doctest: +SKIP
    """
    import pandas as pd

    from coprod_analysis.reliability import reliability
    from coprod_analysis.themes import read_statements, tag_segments

    segments, human = read_statements(path, theme_ids=codebook.ids)
    columns = pd.read_csv(path, nrows=0).columns
    coders = {}
    if {"coder_a", "coder_b"} <= set(columns):
        coders = {
            key: read_statements(path, theme_ids=codebook.ids, column=f"coder_{key[-1]}")[1]
            for key in ("first_a", "second_b")
        }
    tags = tag_segments(
        segments, codebook, semantic=semantic, learned=learned, model=model, cache=cache
    )
    return reliability(
        tags,
        human,
        theme_ids=codebook.ids,
        first=coders.get("first_a"),
        second=coders.get("second_b"),
    )


def run_tag(where: Paths, *, echo: Echo) -> StageResult:
    """Tag the ingested segments with the codebook's themes and write the ``themes`` table.

    A classifier learns from the training statements beside the codebook and the hand-coding
    in the raw folder (``human_codes.csv``), and tags the themes where it beats rules plus
    similarity in cross-validation. Writes ``tagged`` (the tagger's own codes for every
    segment), ``checked`` (what people coded), ``themes`` (what is counted: the checked
    codes where there are any, else the tagger's) and ``suggested`` (every segment ranked by
    the tagger's uncertainty, for ``coprod suggest`` and the coding panel).

    Example:
        >>> run_tag(paths(), echo=print)  # doctest: +SKIP
    """
    # Long because a stage: read, train or reuse, tag, score the reliability card, write and say what it did; most lines are the report.
    from coprod_analysis.themes import tag_segments

    start = time.perf_counter()
    project, corpus, codebook, model, cache = context(where)
    problems = Problems()
    learned = trained_classifier(
        where,
        project,
        codebook,
        segments=corpus.segments,
        model=model,
        cache=cache,
        problems=problems,
        echo=echo,
    )
    learned_info = None
    if learned is not None:
        learned_info = learned.report.round(4).to_dict(orient="records")
        echo(
            f"  classifier beat rules + similarity in cross-validation for: {', '.join(learned.used) or 'none'}"
        )
    tags = tag_segments(
        corpus.segments,
        codebook,
        learned=learned,
        model=model,
        cache=cache,
        progress=lambda m: echo(f"  {m}"),
    )
    from coprod_analysis.themes.checked import count_checked

    checked, to_settle = checked_table(where, project, codebook, corpus.segments)
    counted = count_checked(tags, checked)
    echo(
        f"  checked by people: {len(checked)} segment(s), whose codes replace the tagger's "
        f"({int(checked['audit'].sum())} in the audit); {len(to_settle)} to settle"
    )
    tables = {"tagged": tags, "themes": counted, "checked": checked}
    from coprod_analysis.pipeline.suggest import SUGGESTED, rank_segments

    # every segment ranked for "coprod suggest" and the coding panel, from what tagging made
    tables[SUGGESTED] = rank_segments(
        corpus.segments, codebook, learned=learned, model=model, cache=cache
    )
    if project.themes.reliability_statements:
        labelled = where.root / project.themes.reliability_statements
        trained_on = {(where.root / name).resolve() for name in project.themes.training_statements}
        if labelled.resolve() in trained_on:
            problems.warn(
                labelled,
                None,
                "the reliability statements are also training statements, so the card would "
                "flatter the tagger; no card written",
                fix="point themes.reliability_statements at a file the tagger does not train on",
            )
        elif labelled.is_file():
            echo(
                f"  reliability card: measuring the tagger on {project.themes.reliability_statements}"
            )
            tables["reliability"] = reliability_card(
                labelled, codebook, learned=learned, model=model, cache=cache
            )
        else:
            problems.warn(
                labelled,
                None,
                "reliability statements not found; no reliability card",
                fix="correct themes.reliability_statements in config/project.yml, or set it to ''",
            )
    cache.save()
    outputs = write_tables(where.processed, tables)
    seconds = time.perf_counter() - start
    warnings = echo_problems(problems, echo)
    outputs.append(
        update_run_json(
            where.processed,
            "tag",
            {
                "seconds": round(seconds, 3),
                "codebook_sha256": codebook.sha256,
                "thresholds": {t: codebook.threshold(t) for t in codebook.ids},
                "embedding_model": model,
                "rows": len(counted),
                "by_method": counted["method"].value_counts().to_dict(),
                "checked_segments": len(checked),
                "audit_segments": int(checked["audit"].sum()),
                "to_settle": to_settle,
                "learned": learned_info,
                "reliability_kappa": (
                    tables["reliability"].set_index("theme")["kappa"].round(3).to_dict()
                    if "reliability" in tables
                    else None
                ),
                "warnings": warnings,
            },
        )
    )
    from coprod_analysis.shifts.counts import theme_counts

    echo("Segments per theme per session (checked codes win):")
    echo(theme_counts(corpus.segments, counted, codebook.ids).to_string())
    methods = ", ".join(f"{k} {v}" for k, v in counted["method"].value_counts().items())
    echo(f"{len(counted)} theme tags ({methods}) in {seconds:.1f} s")
    reused = "classifier reused" if learned is not None and learned.reused else ""
    return StageResult("tag", outputs, seconds, warnings, reused=reused)
