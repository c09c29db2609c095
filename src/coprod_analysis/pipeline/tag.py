"""The tag stage: themes for every segment, learning from labelled statements and hand-coding."""

from __future__ import annotations

import time
from pathlib import Path

from coprod_analysis.config import Paths
from coprod_analysis.outputs import update_run_json, write_tables
from coprod_analysis.pipeline.base import Echo, StageResult, context


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
        project: the project settings (``themes.training_statements``, ``themes.human_codes``);
            the coders' files in ``data/coding`` count too (agreed or adjudicated codes only).
        codebook: the codebook (theme ids are checked).
        segments: the project's segments; when given, its hand-coded ones are included.
        exclude: a statement file to leave out (the one being scored).
        echo: where to report what was found.

    Returns:
        ``(texts, codes, warnings)``: a table of ``segment_id, text``, the codes, and warnings.
    """
    import pandas as pd

    from coprod_analysis.themes import read_statements
    from coprod_analysis.themes.coding import adjudicated, hand_codes

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
    human = hand_codes(codes_path, where.coding, themes=codebook.ids)
    if segments is not None and len(human):
        matched = human["segment_id"].isin(set(segments["segment_id"]))
        if not matched.all():
            warnings.append(
                f"hand codes: {human.loc[~matched, 'segment_id'].nunique()} coded segment id(s) are not in "
                "the current segments and were ignored. Fix: re-code them from data/processed/segments.csv"
            )
        coded, left_out = adjudicated(human.loc[matched])
        if left_out:
            warnings.append(
                f"{where.coding}: coders disagree on {len(left_out)} segment(s), left out of training "
                "until settled. Fix: list them with cp.disagreements(cp.read_coding()) and code them "
                "as the coder 'adjudicated'"
            )
        texts.append(
            segments.loc[
                segments["segment_id"].isin(set(coded["segment_id"])), ["segment_id", "text"]
            ]
        )
        codes.append(coded[["segment_id", "theme"]])
        echo(
            f"  hand-coded segments: {coded['segment_id'].nunique()} from "
            f"{', '.join(sorted(human.loc[matched, 'coder'].unique()))}"
        )
    if not texts:
        return None, None, warnings
    return pd.concat(texts, ignore_index=True), pd.concat(codes, ignore_index=True), warnings


def cached_classifier(folder: Path, texts, codes, codebook, *, model: str, train, echo: Echo):
    """Reuse the classifier trained last time when nothing it learns from has changed.

    The key covers the package and scikit-learn versions, the embedding model, the codebook
    and its thresholds, and every training text and code, so any change retrains. The file
    (``learned-<model>.npz`` in data/processed) holds only numbers and text
    (:mod:`~coprod_analysis.themes.saved`): a file that is corrupt or was tampered with is
    retrained, never run. It is replaced atomically.

    Args:
        folder: data/processed.
        texts: the training texts from :func:`training_data`.
        codes: their codes, from the same.
        codebook: the codebook.
        model: the embedding model name.
        train: a function that trains and returns the classifier when the cache is stale.
        echo: where to say whether it was reused.
    """
    import hashlib
    import json

    import sklearn

    from coprod_analysis import __version__
    from coprod_analysis.outputs import atomic_write
    from coprod_analysis.themes.saved import learned_bytes, read_learned

    digest = hashlib.sha256()
    header = [__version__, sklearn.__version__, model, codebook.sha256, codebook.thresholds]
    digest.update(json.dumps(header, sort_keys=True, default=str).encode())
    digest.update(texts.to_csv(index=False).encode())
    digest.update(codes.to_csv(index=False).encode())
    key = digest.hexdigest()
    path = Path(folder) / f"learned-{Path(model).name}.npz"
    stored = read_learned(path, key=key)
    if stored is not None:
        echo("  classifier: training data unchanged, reusing the one trained last time")
        return stored
    if path.is_file():
        echo("  classifier: the saved one is for other training data or unreadable; retraining")
    learned = train()
    data = learned_bytes(learned, key=key)
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
    return learned


METHODS = ("trained", "similarity", "rules")


def trained_classifier(where: Paths, project, codebook, *, segments, model: str, cache, echo: Echo):
    """Return the classifier ``coprod tag`` uses: the one trained last time, or a new one.

    It learns from the training statements and the hand-coding of ``segments`` (see
    :func:`training_data`), and is cached in data/processed (:func:`cached_classifier`).

    Returns:
        ``(learned, warnings)``; ``learned`` is None when there is nothing to learn from.
    """
    from coprod_analysis.themes import learn_themes

    texts, codes, warnings = training_data(where, project, codebook, segments=segments, echo=echo)
    if texts is None:
        return None, warnings
    learned = cached_classifier(
        where.processed,
        texts,
        codes,
        codebook,
        model=model,
        train=lambda: learn_themes(texts, codes, codebook, model=model, cache=cache),
        echo=echo,
    )
    return learned, warnings


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
    training data or codebook changed since, one trained now and saved for next time. So a
    notebook and the command give the same tags for the same segments.

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
        The ``themes`` table: ``segment_id, theme, method, score, evidence``.

    Raises:
        ValueError: ``method`` is not one of the three.

    Example:
        >>> import pandas as pd
        >>> seg = pd.DataFrame({"segment_id": ["a"], "text": ["Funders hold the purse strings."]})
        >>> tag_themes(seg, method="rules")[["theme", "method"]].values.tolist()
        [['power', 'rule'], ['funding', 'rule']]
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project, paths
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.errors import InputError
    from coprod_analysis.themes import tag_segments

    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    where = where or paths()
    echo = echo or (lambda message: None)
    project = load_project(where.config)
    codebook = codebook or load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    cache = EmbeddingCache(where.processed, model) if method != "rules" else None
    learned = None
    if method == "trained":
        try:  # the hand-coded segments are matched against the project's, as coprod tag does
            project_segments = read_corpus(where.processed).segments
        except InputError:
            project_segments = segments
        learned, warnings = trained_classifier(
            where, project, codebook, segments=project_segments, model=model, cache=cache, echo=echo
        )
        for line in warnings:
            echo(f"warning: {line}")
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

    segments, human = read_statements(path, themes=codebook.ids)
    columns = pd.read_csv(path, nrows=0).columns
    coders = {}
    if {"coder_a", "coder_b"} <= set(columns):
        coders = {
            key: read_statements(path, themes=codebook.ids, column=f"coder_{key[-1]}")[1]
            for key in ("first_a", "second_b")
        }
    tags = tag_segments(
        segments, codebook, semantic=semantic, learned=learned, model=model, cache=cache
    )
    return reliability(
        tags,
        human,
        themes=codebook.ids,
        first=coders.get("first_a"),
        second=coders.get("second_b"),
    )


def run_tag(where: Paths, *, echo: Echo) -> StageResult:
    """Tag the ingested segments with the codebook's themes and write the ``themes`` table.

    A classifier learns from the training statements beside the codebook and the hand-coding
    in the raw folder (``human_codes.csv``), and tags the themes where it beats rules plus
    similarity in cross-validation.

    Example:
        >>> run_tag(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.themes import tag_segments

    start = time.perf_counter()
    project, corpus, codebook, model, cache = context(where)
    learned, warnings = trained_classifier(
        where, project, codebook, segments=corpus.segments, model=model, cache=cache, echo=echo
    )
    learned_info = None
    if learned is not None:
        learned_info = learned.report.round(4).to_dict(orient="records")
        echo(
            f"  classifier beat rules + similarity in cross-validation for: {', '.join(learned.used) or 'none'}"
        )
    themes = tag_segments(
        corpus.segments,
        codebook,
        learned=learned,
        model=model,
        cache=cache,
        progress=lambda m: echo(f"  {m}"),
    )
    tables = {"themes": themes}
    if project.themes.reliability_statements:
        labelled = where.root / project.themes.reliability_statements
        trained_on = {(where.root / name).resolve() for name in project.themes.training_statements}
        if labelled.resolve() in trained_on:
            warnings.append(
                f"{labelled}: the reliability statements are also training statements, so the "
                "card would flatter the tagger; no card written. Fix: point "
                "themes.reliability_statements at a file the tagger does not train on"
            )
        elif labelled.is_file():
            echo(
                f"  reliability card: measuring the tagger on {project.themes.reliability_statements}"
            )
            tables["reliability"] = reliability_card(
                labelled, codebook, learned=learned, model=model, cache=cache
            )
        else:
            warnings.append(
                f"{labelled}: reliability statements not found; no reliability card. Fix: "
                "correct themes.reliability_statements in config/project.yml, or set it to ''"
            )
    cache.save()
    outputs = write_tables(where.processed, tables)
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
                "reliability_kappa": (
                    tables["reliability"].set_index("theme")["kappa"].round(3).to_dict()
                    if "reliability" in tables
                    else None
                ),
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
