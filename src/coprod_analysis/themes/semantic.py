"""Semantic matching: how close each text is to each theme's description and examples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coprod_analysis.embeddings import EmbeddingCache, embed
from coprod_analysis.themes.codebook import Codebook

if TYPE_CHECKING:
    import numpy as np


@dataclass
class Similarity:
    """Each text's best similarity to each theme, and which reference text gave it."""

    theme_ids: list[str]
    scores: np.ndarray  # (n_texts, n_themes) cosine similarity
    best: np.ndarray  # (n_texts, n_themes) index into `refs` of the closest reference
    refs: list[str]

    def closest(self, row: int, theme: str) -> str:
        """Return the reference text (example or description) closest to a text."""
        return self.refs[int(self.best[row, self.theme_ids.index(theme)])]


def references(codebook: Codebook) -> dict[str, list[str]]:
    """Return the texts each theme is compared with: its description and its examples.

    Example:
        >>> from coprod_analysis.themes.semantic import references
        >>> from coprod_analysis.codebooks import load_codebook
        >>> refs = references(load_codebook())
        >>> len(refs["power"]) > 1
        True
    """
    return {t.id: [t for t in (t.description, *t.examples) if t.strip()] for t in codebook.themes}


def similarity(
    texts: list[str],
    codebook: Codebook,
    *,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    vectors: np.ndarray | None = None,
) -> Similarity:
    """Score every text against every theme: the highest cosine similarity to a reference.

    Args:
        texts: the texts to score.
        codebook: the themes and their references.
        model: the embedding model (default: the bundled all-MiniLM-L6-v2).
        cache: an embedding cache to reuse and extend.
        vectors: the texts' embeddings, when already computed.

    Example:
        >>> sim = similarity(["Grants run out in March"], load_codebook())  # doctest: +SKIP
        >>> sim.theme_ids[int(sim.scores.argmax())]  # doctest: +SKIP
        'funding'
    """
    import numpy as np

    refs = references(codebook)
    flat = [text for theme in codebook.ids for text in refs[theme]]
    ref_vectors = embed(flat, model=model, cache=cache)
    if vectors is None:
        vectors = embed(texts, model=model, cache=cache)
    scores = np.zeros((len(texts), len(codebook.ids)), dtype="float32")
    best = np.zeros((len(texts), len(codebook.ids)), dtype="int64")
    start = 0
    for j, theme in enumerate(codebook.ids):
        stop = start + len(refs[theme])
        if len(texts) and stop > start:
            block = vectors @ ref_vectors[start:stop].T
            scores[:, j] = block.max(axis=1)
            best[:, j] = block.argmax(axis=1) + start
        start = stop
    return Similarity(codebook.ids, scores, best, flat)
