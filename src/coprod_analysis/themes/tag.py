"""``tag_segments``: the ``themes`` table from rules, semantic similarity and learned coding."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from coprod_analysis.corpus import require_text
from coprod_analysis.embeddings import EmbeddingCache
from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.themes.rules import Match
from coprod_analysis.themes.signals import read_signals

if TYPE_CHECKING:
    import pandas as pd

    from coprod_analysis.themes.learned import LearnedThemes

COLUMNS = ["segment_id", "theme", "method", "score", "evidence"]


def evidence(matches: list[Match]) -> str:
    """Join the words that matched, longest match first where spans overlap.

    Example:
        >>> from coprod_analysis.themes.rules import Match
        >>> from coprod_analysis.themes.tag import evidence
        >>> evidence([Match("power", 0, 15, "holds the pen"), Match("power", 6, 15, "the pen")])
        'holds the pen'
    """
    kept = [
        m
        for m in matches
        if not any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in matches
        )
    ]
    return "; ".join(dict.fromkeys(m.words for m in kept))


def tag_segments(
    segments: pd.DataFrame,
    codebook: Codebook,
    *,
    semantic: bool = True,
    learned: LearnedThemes | None = None,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Find the codebook's themes in any table of text, with the tagger given.

    This is the pure step: it reads no file. :func:`coprod_analysis.tag_themes` (``cp.tag_themes``)
    loads or trains the project's classifier first, as ``coprod tag`` does, and calls it.

    Per theme, a segment is tagged by

    - ``rule`` when a codebook phrase or token pattern matches (not inside an exclusion and
      not right after a negation cue); ``score`` 1.0, ``evidence`` the matched words;
    - else ``semantic`` when its embedding similarity to the theme's description or examples
      reaches the theme's calibrated threshold; ``score`` the similarity, ``evidence`` the
      closest example;
    - or, for themes where a classifier trained on hand-coding beat rules plus similarity in
      cross-validation (see :func:`learn_themes`), ``learned``: ``score`` its probability,
      ``evidence`` the matched words or the closest hand-coded example.

    Args:
        segments: a DataFrame with ``segment_id`` and ``text`` (other columns are ignored).
        codebook: the themes (:func:`coprod_analysis.codebooks.load_codebook`).
        semantic: also match by similarity (needs the embedding model); False for rules only.
        learned: classifiers from :func:`learn_themes`, used for the themes they won.
        model: the embedding model (default: the bundled all-MiniLM-L6-v2).
        cache: an embedding cache to reuse and extend.
        progress: called with a short message before slow steps.

    Returns:
        The ``themes`` table: one row per segment × theme found, columns
        ``segment_id, theme, method, score, evidence``, in segment then codebook order.

    Raises:
        InputError: ``segments`` lacks ``segment_id`` or ``text``.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.codebooks import load_codebook
        >>> from coprod_analysis.themes import tag_segments
        >>> seg = pd.DataFrame({"segment_id": ["a"], "text": ["Funders hold the purse strings."]})
        >>> tag_segments(seg, load_codebook(), semantic=False)[["theme", "method", "evidence"]].values.tolist()
        [['power', 'rule', 'hold the purse strings'], ['funding', 'rule', 'Funders; purse strings']]
    """
    import pandas as pd

    require_text(segments)
    ids = segments["segment_id"].astype(str).tolist()
    texts = segments["text"].fillna("").astype(str).tolist()
    seen = read_signals(
        texts,
        codebook,
        semantic=semantic or learned is not None,
        model=model,
        cache=cache,
        progress=progress,
    )
    all_matches, sim, vectors = seen.matches, seen.similarity, seen.vectors
    themes = codebook.ids
    learned_themes = set(learned.used if learned is not None else [])
    rows = []
    thresholds = [codebook.threshold(t) for t in themes]
    for i, (sid, matches) in enumerate(zip(ids, all_matches, strict=True)):
        by_theme: dict[str, list[Match]] = {}
        for m in matches:
            by_theme.setdefault(m.theme, []).append(m)
        for j, theme in enumerate(themes):
            if theme in learned_themes:
                continue
            hits = by_theme.get(theme)
            if hits:
                rows.append((i, j, sid, theme, "rule", 1.0, evidence(hits)))
            elif sim is not None and semantic and sim.scores[i, j] >= thresholds[j]:
                rows.append(
                    (
                        i,
                        j,
                        sid,
                        theme,
                        "semantic",
                        round(float(sim.scores[i, j]), 4),
                        sim.closest(i, theme),
                    )
                )
    if learned is not None and learned_themes:
        vectors, sim = seen.semantic()
        for i, j, theme, prob, example in learned.predict(texts, vectors, seen.flags, sim):
            hits = [m for m in all_matches[i] if m.theme == theme]
            rows.append((i, j, ids[i], theme, "learned", round(prob, 4), evidence(hits) or example))
    rows.sort(key=lambda r: (r[0], r[1]))
    return pd.DataFrame([r[2:] for r in rows], columns=COLUMNS).astype(
        {
            "segment_id": "str",
            "theme": "str",
            "method": "str",
            "score": "float64",
            "evidence": "str",
        }
    )
