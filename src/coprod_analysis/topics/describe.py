"""Describe fitted topics: top words, examples, nearest codebook theme, shares per session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.embeddings import EmbeddingCache, embed
from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.themes.semantic import references

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def nearest_themes(centroids: np.ndarray, codebook: Codebook, *, model=None, cache=None):
    """Return, per topic centroid, the most similar theme and that cosine similarity.

    A theme's similarity is the highest over its description and examples.

    Example:
        >>> nearest_themes(centroids, load_codebook())  # doctest: +SKIP
        [('funding', 0.61), ...]
    """
    refs = references(codebook)
    out = []
    best = {t: embed(refs[t], model=model, cache=cache) for t in codebook.ids}
    for c in centroids:
        scores = {t: float((v @ c).max()) for t, v in best.items() if len(v)}
        theme = max(scores, key=scores.get)
        out.append((theme, round(scores[theme], 4)))
    return out if len(centroids) else []


def _known_words(codebook: Codebook) -> set[str]:
    words: set[str] = set()
    for theme in codebook.themes:
        for phrase in theme.patterns.phrases:
            words.update(phrase.casefold().split())
    return words


def describe_topics(
    topic_model,
    table: pd.DataFrame,
    vectors: np.ndarray,
    codebook: Codebook,
    *,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    emergent_below: float = 0.45,
) -> pd.DataFrame:
    """Return one row per topic: size, top words, 3 examples, nearest theme and suggestions.

    A topic is ``emergent`` when even its nearest theme is less similar than
    ``emergent_below``; its ``suggested_keywords`` are its top words that no codebook phrase
    uses yet, ready to paste into ``config/codebook.yml``.

    Example:
        >>> describe_topics(topic_model, table, vectors, load_codebook())  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    info = topic_model.get_topic_info()
    docs = topic_model.get_representative_docs()
    topics = table["topic"].to_numpy()
    known = _known_words(codebook)
    ids = [int(t) for t in info["Topic"] if t != -1]
    centroids = []
    for t in ids:
        c = vectors[topics == t].mean(axis=0)
        centroids.append(c / (np.linalg.norm(c) or 1.0))
    nearest = dict(
        zip(
            ids,
            nearest_themes(np.array(centroids), codebook, model=model, cache=cache),
            strict=True,
        )
    )
    rows = []
    for row in info.itertuples():
        t = int(row.Topic)
        words = [w for w, _ in topic_model.get_topic(t) or []][:10]
        theme, similarity = nearest.get(t, (None, float("nan")))
        emergent = t != -1 and similarity < emergent_below
        suggestions = [w for w in words if not set(w.split()) <= known][:8] if emergent else []
        rows.append(
            {
                "topic": t,
                "label": table.loc[table["topic"] == t, "topic_label"].iloc[0]
                if (table["topic"] == t).any()
                else "",
                "size": int((topics == t).sum()),
                "top_words": ", ".join(words),
                "representative": list(docs.get(t, []))[:3],
                "nearest_theme": theme,
                "theme_similarity": similarity,
                "emergent": bool(emergent),
                "suggested_keywords": ", ".join(suggestions),
            }
        )
    return pd.DataFrame(rows)


def session_shares(table: pd.DataFrame, segments: pd.DataFrame, orders: list[int]) -> pd.DataFrame:
    """Return each topic's share of each session's segments (not BERTopic's L2-normalised frequency).

    Example:
        >>> session_shares(table, segments, [1, 1, 2])  # doctest: +SKIP
    """
    import pandas as pd

    frame = pd.DataFrame(
        {
            "session_id": segments["session_id"].to_numpy() if "session_id" in segments else "all",
            "order": orders,
            "topic": table["topic"].to_numpy(),
            "topic_label": table["topic_label"].to_numpy(),
        }
    )
    totals = frame.groupby("session_id").size().rename("n_segments")
    counts = (
        frame.groupby(["session_id", "order", "topic", "topic_label"])
        .size()
        .rename("count")
        .reset_index()
    )
    counts = counts.join(totals, on="session_id")
    counts["share"] = counts["count"] / counts["n_segments"]
    cols = ["session_id", "order", "topic", "topic_label", "n_segments", "count", "share"]
    return counts[cols].sort_values(["order", "topic"]).reset_index(drop=True)
