"""Training the classifier: the labelled text it learns from, and the copy kept between runs."""

from __future__ import annotations

import time
from pathlib import Path

from coprod_analysis.config import MODELS, Paths
from coprod_analysis.errors import Problems
from coprod_analysis.pipeline.base import Echo
from coprod_analysis.themes.shipped import decision_path, read_decision, statements_key


def training_data(
    where: Paths,
    project,
    codebook,
    *,
    segments=None,
    exclude=None,
    problems: Problems,
    echo: Echo = lambda m: None,
):
    """Collect labelled text for the learned classifier: training statements, plus hand codes.

    Args:
        where: the folders.
        project: the project settings (``themes.training_statements``, ``themes.human_codes``);
            the coders' files in ``data/coding`` count too (agreed or settled codes only).
        codebook: the codebook (theme ids are checked).
        segments: the project's segments; when given, its hand-coded ones are included,
            except the audited participants' (``data/coding/audit.csv``): the audit must judge
            a tagger that never learned from it.
        exclude: a statement file to leave out (the one being scored).
        problems: where missing files and unsettled codes are recorded.
        echo: where to report what was found.

    Returns:
        ``(texts, codes)``: a table of ``segment_id, text`` and the codes (both None when
        there is nothing to learn from).
    """
    import pandas as pd

    from coprod_analysis.themes import read_statements

    texts, codes = [], []
    for name in project.themes.training_statements:
        path = where.root / name
        if exclude is not None and path.resolve() == Path(exclude).resolve():
            echo(f"  training statements: left out {name} (it is being scored)")
            continue
        if path.is_file():
            seg, code = read_statements(path, theme_ids=codebook.ids)
            texts.append(seg)
            codes.append(code)
            echo(f"  training statements: {len(seg)} from {name}")
        else:
            problems.warn(
                path,
                None,
                "training statements not found; skipped",
                fix="correct themes.training_statements in config/project.yml",
            )
    if segments is not None:
        found = _hand_coded(where, project, codebook, segments, problems=problems, echo=echo)
        if found is not None:
            texts.append(found[0])
            codes.append(found[1])
    if not texts:
        return None, None
    return pd.concat(texts, ignore_index=True), pd.concat(codes, ignore_index=True)


def _hand_coded(where: Paths, project, codebook, segments, *, problems: Problems, echo: Echo):
    """The project's settled hand codes to learn from, and their texts; None when there are none.

    The audited participants' codes are left out: the audit must judge a tagger that never
    learned from it. Codes coders disagree on wait until someone settles them.
    """
    from coprod_analysis.themes.audit import audit_segments, plan_path, read_plan
    from coprod_analysis.themes.coding import hand_codes, settle

    codes_path = where.raw / project.themes.human_codes
    human = hand_codes(codes_path, where.coding, theme_ids=codebook.ids)
    if not len(human):
        return None
    audited = audit_segments(segments, read_plan(plan_path(where.coding)))
    if audited & set(human["segment_id"]):
        echo(
            f"  audit: {len(audited & set(human['segment_id']))} coded segment(s) of audited "
            "participants kept out of training, so the audit judges a tagger that never saw them"
        )
        human = human[~human["segment_id"].isin(audited)]
    matched = human["segment_id"].isin(set(segments["segment_id"]))
    if not matched.all():
        problems.warn(
            codes_path,
            None,
            f"{human.loc[~matched, 'segment_id'].nunique()} hand-coded segment id(s) are not in "
            "the current segments and were ignored",
            fix="re-code them from data/processed/segments.csv",
        )
    coded, left_out = settle(human.loc[matched])
    if coded.empty:  # every hand code is of other segments (another copy of the data)
        return None
    if left_out:
        problems.warn(
            where.coding,
            None,
            f"coders disagree on {len(left_out)} segment(s): they keep the tagger's codes and "
            "are left out of training until settled",
            fix="settle them in the coding panel (cp.coding_panel(name, mode='settle')), or "
            "list them with coprod agreement",
        )
    echo(
        f"  hand-coded segments: {coded['segment_id'].nunique()} from "
        f"{', '.join(sorted(human.loc[matched, 'coder'].unique()))}"
    )
    texts = segments.loc[
        segments["segment_id"].isin(set(coded["segment_id"])), ["segment_id", "text"]
    ]
    return texts, coded[["segment_id", "theme"]]


def cached_classifier(
    folder: Path, texts, codes, codebook, *, model: str, train, echo: Echo, settings=None
):
    """Reuse the classifier trained last time when nothing it learns from has changed.

    The key covers the package and scikit-learn versions, the embedding model, the codebook
    and its thresholds, the classifier's regularisation, and every training text and code, so
    any change retrains. The file (``learned-<model>.npz`` in data/processed) holds only numbers
    and text (:mod:`~coprod_analysis.themes.saved`): a file that is corrupt or was tampered with
    is retrained, never run. It is replaced atomically.

    Args:
        folder: data/processed.
        texts: the training texts from :func:`training_data`.
        codes: their codes, from the same.
        codebook: the codebook.
        model: the embedding model name.
        train: a function that trains and returns the classifier when the cache is stale.
        echo: where to say whether it was reused.
        settings: anything else the classifier depends on (part of the key).
    """
    import hashlib
    import json

    import sklearn

    from coprod_analysis import __version__
    from coprod_analysis.outputs import atomic_write
    from coprod_analysis.themes.learned import C
    from coprod_analysis.themes.saved import learned_bytes, read_learned

    digest = hashlib.sha256()
    header = [
        __version__,
        sklearn.__version__,
        model,
        codebook.sha256,
        codebook.thresholds,
        C,
        settings,
    ]
    digest.update(json.dumps(header, sort_keys=True, default=str).encode())
    digest.update(texts.to_csv(index=False).encode())
    digest.update(codes.to_csv(index=False).encode())
    key = digest.hexdigest()
    path = Path(folder) / f"learned-{Path(model).name}.npz"
    stored = read_learned(path, key=key)
    if stored is not None:
        echo("  classifier: training data unchanged, reusing the one trained last time")
        stored.reused = True
        return stored
    if path.is_file():
        echo("  classifier: the saved one is for other training data or unreadable; retraining")
    learned = train()
    data = learned_bytes(learned, key=key)
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
    return learned


def trained_classifier(
    where: Paths,
    project,
    codebook,
    *,
    segments,
    model: str,
    cache,
    echo: Echo | None,
    problems: Problems | None = None,
):
    """Return the classifier ``coprod tag`` uses: the one trained last time, or a new one.

    It learns from the training statements and the hand-coding of ``segments`` (see
    :func:`training_data`), and is cached in data/processed (:func:`cached_classifier`).

    Args:
        where: the folders.
        project: the project settings.
        codebook: the codebook.
        segments: the project's segments (their hand codes count).
        model: the embedding model's name.
        cache: the embedding cache.
        echo: where progress goes; with no ``problems``, each problem is said there too, or
            is a Python warning when ``echo`` is None (a notebook's call).
        problems: where a stage collects the problems (a missing statement file, unsettled
            codes) for its summary and ``run.json``.

    Returns:
        The classifier, or None when there is nothing to learn from (the problems say why).
    """
    import pandas as pd

    from coprod_analysis.pipeline.base import echo_problems

    found = Problems() if problems is None else problems
    progress = echo or (lambda message: None)
    texts, codes = training_data(where, project, codebook, problems=found, echo=progress)
    hand = _hand_coded(where, project, codebook, segments, problems=found, echo=progress)
    if problems is None:
        echo_problems(found, echo)
    decided = None
    if texts is not None:
        decided = read_decision(
            decision_path(where.root / MODELS, model),
            key=statements_key(texts, codes, codebook, model=model),
        )
    if hand is not None:
        texts = hand[0] if texts is None else pd.concat([texts, hand[0]], ignore_index=True)
        codes = hand[1] if codes is None else pd.concat([codes, hand[1]], ignore_index=True)
    if texts is None:
        return None
    return cached_classifier(
        where.processed,
        texts,
        codes,
        codebook,
        model=model,
        train=lambda: _train(
            texts, codes, codebook, model=model, cache=cache, decided=decided, echo=progress
        ),
        echo=progress,
        settings={"decided": None if decided is None else decided.to_dict(orient="list")},
    )


def _train(texts, codes, codebook, *, model: str, cache, decided, echo: Echo):
    """Train the classifier, saying what it does: only the final layer, or with cross-validation."""
    from coprod_analysis.themes import learn_themes

    start = time.perf_counter()
    how = (
        "fitting the final layer (the cross-validation in data/models fits these statements)"
        if decided is not None
        else "cross-validating each theme, then fitting (about a minute per 5,000 texts)"
    )
    echo(f"  classifier: training on {len(texts):,} texts: {how}")
    learned = learn_themes(texts, codes, codebook, model=model, cache=cache, decided=decided)
    echo(f"  classifier: trained in {time.perf_counter() - start:.1f} s")
    return learned
