"""``coprod suggest``: the segments to hand-code next, least certain first.

Ranking every segment needs the tagger's probabilities, which need the classifier and every
segment's embedding: slow to rebuild (a minute or more), quick to reuse. So the tag stage,
which has all of them in hand, ranks every segment once and writes the ranking to
``data/processed/suggested.parquet`` (:func:`rank_segments`); ``coprod suggest`` and the
coding panel's "Suggested next" read it (:func:`ranking`), and compute it only when it is
missing or older than the tags.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.config import Paths
from coprod_analysis.pipeline.base import Echo, embedding_cache

if TYPE_CHECKING:
    import pandas as pd

SUGGESTED = "suggested"
"""``data/processed/suggested.parquet``: every segment ranked, least certain first."""
RANKING_COLUMNS = ["segment_id", "uncertainty", "theme", "probability"]


def rank_segments(segments, codebook, *, learned, model: str, cache) -> pd.DataFrame:
    """Rank every segment by how unsure the tagger is of it, least certain first.

    It uses what tagging already made: the classifier (None for rules and similarity only)
    and the embedding cache, so after tagging nothing is trained or embedded again.

    Args:
        segments: the segments table (``segment_id``, ``text``).
        codebook: the codebook.
        learned: the classifier :func:`~coprod_analysis.pipeline.training.trained_classifier`
            gave, or None.
        model: the embedding model's name.
        cache: the embedding cache.

    Returns:
        ``segment_id, uncertainty, theme, probability`` for every segment (see
        :func:`~coprod_analysis.themes.suggest.rank_uncertain`).

    Example:
        >>> rank_segments(corpus.segments, codebook, learned=learned, model=model, cache=cache)  # doctest: +SKIP
    """
    from coprod_analysis.themes.signals import read_signals
    from coprod_analysis.themes.suggest import rank_uncertain, theme_probabilities

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
    ids = segments["segment_id"].astype(str).tolist()
    return rank_uncertain(ids, probs, codebook.ids, n=len(ids))


def read_ranking(processed: str | Path) -> pd.DataFrame | None:
    """The ranking the tag stage wrote, or None when it is missing or out of date.

    It is out of date when it is older than ``themes.parquet`` or ``segments.parquet`` (the
    segments were tagged, or ingested, again since it was written).

    Example:
        >>> from coprod_analysis.pipeline.suggest import read_ranking
        >>> read_ranking("/nonexistent") is None
        True
    """
    import pandas as pd

    folder = Path(processed)
    path = folder / f"{SUGGESTED}.parquet"
    if not path.is_file():
        return None
    written = path.stat().st_mtime
    for name in ("themes", "segments"):
        other = folder / f"{name}.parquet"
        if other.is_file() and other.stat().st_mtime > written:
            return None
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError):  # unreadable: rank again rather than fail
        return None
    return table[RANKING_COLUMNS] if set(RANKING_COLUMNS) <= set(table.columns) else None


def ranking(*, where: Paths | None = None, echo: Echo | None = None) -> pd.DataFrame:
    """Every segment ranked, least certain first: the tag stage's, or computed now.

    Reads ``data/processed/suggested.parquet`` (:func:`read_ranking`). When it is missing or
    out of date, loads the classifier (training it if its inputs changed), ranks every
    segment and writes the file, so the next call is quick.

    Returns:
        ``segment_id, uncertainty, theme, probability``, most uncertain first.

    Example:
        >>> ranking()  # doctest: +SKIP
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project, paths
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.outputs import write_tables
    from coprod_analysis.pipeline.training import trained_classifier

    where = where or paths()
    cached = read_ranking(where.processed)
    if cached is not None:
        return cached
    progress = echo or (lambda message: None)
    progress("Ranking every segment by the tagger's uncertainty (coprod tag does this too)")
    project = load_project(where.config)
    codebook = load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    cache = embedding_cache(where, model)
    segments = read_corpus(where.processed).segments
    learned = trained_classifier(
        where, project, codebook, segments=segments, model=model, cache=cache, echo=echo
    )
    ranked = rank_segments(segments, codebook, learned=learned, model=model, cache=cache)
    cache.save()
    write_tables(where.processed, {SUGGESTED: ranked})
    return ranked


def suggest_coding(*, n: int = 20, where: Paths | None = None, echo: Echo | None = None):
    """List the ``n`` segments whose tags are least certain, for a researcher to code next.

    The ranking is the one ``coprod tag`` wrote (:func:`ranking`; computed with the tagger
    ``coprod tag`` uses when it is missing or out of date); segments already hand-coded
    (``human_codes.csv`` or ``data/coding``) are left out. Code them (in the coding panel,
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
    from coprod_analysis.themes.coding import hand_codes

    where = where or paths()
    ranked = ranking(where=where, echo=echo)
    project = load_project(where.config)
    codebook = load_codebook(where.config / "codebook.yml")
    done = set(
        hand_codes(where.raw / project.themes.human_codes, where.coding, theme_ids=codebook.ids)[
            "segment_id"
        ]
    )
    segments = read_corpus(where.processed).segments
    shown = segments[["segment_id", "session_id", "source_kind", "text"]]
    ranked = ranked[
        ~ranked["segment_id"].isin(done) & ranked["segment_id"].isin(set(shown["segment_id"]))
    ]
    return (
        ranked.head(n)
        .merge(shown, on="segment_id", how="left")[
            [
                "segment_id",
                "session_id",
                "source_kind",
                "uncertainty",
                "theme",
                "probability",
                "text",
            ]
        ]
        .reset_index(drop=True)
    )
