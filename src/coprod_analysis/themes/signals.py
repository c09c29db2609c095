"""What the tagger reads in each text: rule matches and flags, embeddings, similarity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coprod_analysis.embeddings import EmbeddingCache, embed
from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.themes.rules import Match, match_texts, rule_flags
from coprod_analysis.themes.semantic import Similarity, similarity

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Signals:
    """What the tagger read in each text.

    The rule matches, a (texts × themes) flag array, and (if semantic) the embeddings and the
    similarity to each theme.
    """

    matches: list[list[Match]]
    flags: np.ndarray
    vectors: np.ndarray | None = None
    similarity: Similarity | None = None

    def semantic(self) -> tuple[np.ndarray, Similarity]:
        """The embeddings and the similarity (read with ``semantic=True``)."""
        if self.vectors is None or self.similarity is None:
            raise ValueError("these signals were read with semantic=False: no embeddings")
        return self.vectors, self.similarity


def read_signals(
    texts: list[str],
    codebook: Codebook,
    *,
    semantic: bool = True,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    progress: Callable[[str], None] | None = None,
) -> Signals:
    """Match the rules on every text and, when ``semantic``, embed it and score each theme.

    Example:
        >>> from coprod_analysis.codebooks import load_codebook
        >>> from coprod_analysis.themes.signals import read_signals
        >>> read_signals(["Funders hold the purse strings."], load_codebook(), semantic=False).flags.sum()
        np.float32(2.0)
    """
    if progress:
        progress(f"matching rules on {len(texts)} segment(s)")
    matches = list(match_texts(texts, codebook))
    flags = rule_flags(matches, codebook.ids)
    if not semantic:
        return Signals(matches, flags)
    vectors = embed(texts, model=model, cache=cache, progress=progress)
    sim = similarity(texts, codebook, model=model, cache=cache, vectors=vectors)
    return Signals(matches, flags, vectors, sim)
