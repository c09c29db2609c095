"""``coprod suggest``: the segments to hand-code next, least certain first."""

from __future__ import annotations

from coprod_analysis.config import Paths
from coprod_analysis.pipeline.base import Echo


def suggest_coding(*, n: int = 20, where: Paths | None = None, echo: Echo | None = None):
    """List the ``n`` segments whose tags are least certain, for a researcher to code next.

    The tagger is the one ``coprod tag`` uses (:func:`~coprod_analysis.pipeline.tag.trained_classifier`);
    segments already hand-coded (``human_codes.csv`` or ``data/coding``) are left out. Code them (in
    ``data/raw/human_codes.csv`` or a QDA tool) and run ``make report``: the classifier learns
    from them.

    Returns:
        ``segment_id, session_id, source_kind, uncertainty, theme, probability, text``, most
        uncertain first (see :mod:`~coprod_analysis.themes.suggest`).

    Example:
        >>> suggest_coding(n=5)  # doctest: +SKIP
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project, paths
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.pipeline.training import trained_classifier
    from coprod_analysis.themes.coding import hand_codes
    from coprod_analysis.themes.signals import read_signals
    from coprod_analysis.themes.suggest import rank_uncertain, theme_probabilities

    where = where or paths()
    given, echo = echo, echo or (lambda message: None)
    project = load_project(where.config)
    codebook = load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    cache = EmbeddingCache(where.processed, model)
    segments = read_corpus(where.processed).segments
    learned = trained_classifier(
        where, project, codebook, segments=segments, model=model, cache=cache, echo=given
    )
    texts = segments["text"].fillna("").astype(str).tolist()
    seen = read_signals(texts, codebook, model=model, cache=cache)
    (vectors, sim), flags = seen.semantic(), seen.flags
    by_theme = learned.probabilities(texts, vectors, flags, sim) if learned is not None else {}
    probs = theme_probabilities(
        sim.scores,
        [codebook.threshold(t) for t in codebook.ids],
        flags,
        {codebook.ids.index(t): p for t, p in by_theme.items()},
    )
    cache.save()
    done = hand_codes(where.raw / project.themes.human_codes, where.coding, theme_ids=codebook.ids)[
        "segment_id"
    ]
    ranked = rank_uncertain(
        segments["segment_id"].astype(str).tolist(), probs, codebook.ids, n=n, exclude=done
    )
    shown = segments[["segment_id", "session_id", "source_kind", "text"]]
    return ranked.merge(shown, on="segment_id", how="left")[
        ["segment_id", "session_id", "source_kind", "uncertainty", "theme", "probability", "text"]
    ]
