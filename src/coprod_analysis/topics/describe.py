"""Describe fitted topics: labels, words, examples, nearest codebook theme, shares per session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from coprod_analysis.config import EMERGENT_BELOW
from coprod_analysis.embeddings import EmbeddingCache, embed
from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.themes.semantic import references
from coprod_analysis.topics.facilitation import is_facilitation, is_housekeeping
from coprod_analysis.topics.phrases import phrase_label
from coprod_analysis.topics.stoplist import clean_keywords

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from bertopic import BERTopic
    from spacy.language import Language

LABEL_FROM = 5  # a label is first looked for in the topic's 5 most typical segments
LABEL_FALLBACK = 20  # then in the next ones, up to the 20th
OUTLIERS = "outliers"
FACILITATOR = "Facilitator"  # the speaker pseudonym of whoever ran the session


def nearest_themes(
    centroids: np.ndarray,
    codebook: Codebook,
    *,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
) -> list[tuple[str, float]]:
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
        theme = max(scores, key=scores.__getitem__)
        out.append((theme, round(scores[theme], 4)))
    return out if len(centroids) else []


def known_words(codebook: Codebook) -> set[str]:
    """Every word of the codebook's phrases, lower-cased: what a suggestion need not repeat."""
    words: set[str] = set()
    for theme in codebook.themes:
        for phrase in theme.patterns.phrases:
            words.update(phrase.casefold().split())
    return words


def _typical(vectors: np.ndarray, centroid: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The rows, most similar to the centroid first (ties in row order)."""
    import numpy as np

    return rows[np.argsort(-(vectors[rows] @ centroid), kind="stable")]


def _voices(segments: pd.DataFrame) -> np.ndarray:
    """Which segments a label may be drawn from: not housekeeping, not the facilitator's."""
    import numpy as np

    kinds = segments["source_kind"] if "source_kind" in segments else [None] * len(segments)
    speakers = segments["speaker"] if "speaker" in segments else [None] * len(segments)
    return np.array(
        [
            speaker != FACILITATOR and not is_housekeeping(str(text), source_kind=kind)
            for text, kind, speaker in zip(segments["text"], kinds, speakers, strict=True)
        ],
        dtype=bool,
    )


def describe_topics(
    topic_model: BERTopic,
    table: pd.DataFrame,
    vectors: np.ndarray,
    codebook: Codebook,
    *,
    segments: pd.DataFrame | None = None,
    keywords: Mapping[int, list[str]] | None = None,
    nlp: Language | None = None,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    emergent_below: float = EMERGENT_BELOW,
) -> pd.DataFrame:
    """Return one row per topic: labels, size, words, 3 examples, nearest theme and suggestions.

    Columns: ``topic``; ``label``, a 3-7 word phrase from one of the topic's most typical
    segments (those nearest its mean embedding; housekeeping and the facilitator's own words
    left out unless there is nothing else) that holds the most of its keywords (see
    :mod:`coprod_analysis.topics.phrases`), else ``word_label``; ``size``; ``top_words``, the
    model's 10 c-TF-IDF words as computed; ``representative``; ``nearest_theme``,
    ``theme_similarity``, ``emergent``; ``suggested_keywords``; ``word_label``, the first three
    ``keywords`` (the first three top words if every word is stop-listed); ``keywords``, up
    to 10 keywords without stop-listed words (see :mod:`coprod_analysis.topics.stoplist`);
    ``facilitation``, True when the topic is mostly talk about running the session (see
    :mod:`coprod_analysis.topics.facilitation`).

    A topic is ``emergent`` when even its nearest theme is less similar than
    ``emergent_below``; its ``suggested_keywords`` are its keywords that no codebook phrase
    uses yet, ready to paste into ``config/codebook.yml``. Facilitation topics get none: they
    are about the session, not a theme.

    Args:
        topic_model: the fitted BERTopic.
        table: one row per segment with its ``topic``.
        vectors: the segments' embeddings, aligned with ``table``.
        codebook: the themes to compare topics with.
        segments: the segments, aligned with ``table`` (``text``, optionally ``source_kind``);
            without them labels are word labels and facilitation looks at top words only.
        keywords: each topic's keywords, best first (default: its c-TF-IDF words, stop-listed).
        nlp: a spaCy pipeline with a tagger for phrase labels (see ``phrases.load_tagger``).
        model: the embedding model, for the codebook's references.
        cache: an embedding cache.
        emergent_below: the similarity under which a topic is emergent.

    Example:
        >>> describe_topics(topic_model, table, vectors, load_codebook())  # doctest: +SKIP
    """
    # Long because one row per topic, gathered from the model, the keywords, the phrases and the codebook; the parts with names are apart already (phrase_label, is_facilitation, clean_keywords).
    import numpy as np
    import pandas as pd

    info = topic_model.get_topic_info()
    docs = topic_model.get_representative_docs()
    topics = table["topic"].to_numpy()
    known = known_words(codebook)
    ids = [int(t) for t in info["Topic"] if t != -1]
    centroids = {}
    for t in ids:
        c = vectors[topics == t].mean(axis=0)
        centroids[t] = c / (np.linalg.norm(c) or 1.0)
    nearest = dict(
        zip(
            ids,
            nearest_themes(
                np.array([centroids[t] for t in ids]), codebook, model=model, cache=cache
            ),
            strict=True,
        )
    )
    texts = segments["text"].astype(str).to_numpy() if segments is not None else None
    voices = _voices(segments) if segments is not None else None
    kinds = (
        segments["source_kind"].to_numpy()
        if segments is not None and "source_kind" in segments
        else None
    )
    rows = []
    taken: list[str] = []
    for row in info.itertuples():
        t = int(row.Topic)
        words = [w for w, _ in topic_model.get_topic(t) or []][:10]
        kws = list(keywords.get(t, [])) if keywords is not None else clean_keywords(words)
        word_label = ", ".join(kws[:3]) or ", ".join(words[:3])
        label = OUTLIERS if t == -1 else ""
        members = np.flatnonzero(topics == t)
        facilitation = False
        if t != -1 and texts is not None and voices is not None:
            ordered = _typical(vectors, centroids[t], members)
            heard = ordered[voices[ordered]]
            typical = texts[heard if len(heard) else ordered]
            label = phrase_label(typical[:LABEL_FROM], kws, taken=taken, nlp=nlp) or phrase_label(
                typical[LABEL_FROM:LABEL_FALLBACK], kws, taken=taken, nlp=nlp
            )
            facilitation = is_facilitation(
                words, texts[members], source_kinds=kinds[members] if kinds is not None else None
            )
        elif t != -1:
            facilitation = is_facilitation(words, [])
        label = label or word_label
        taken.append(label)
        theme, similarity = nearest.get(t, (None, float("nan")))
        emergent = t != -1 and similarity < emergent_below
        suggestions = (
            [w for w in kws if not set(w.split()) <= known][:8]
            if emergent and not facilitation
            else []
        )
        rows.append(
            {
                "topic": t,
                "label": label,
                "size": len(members),
                "top_words": ", ".join(words),
                "representative": list(docs.get(t, []))[:3],
                "nearest_theme": theme,
                "theme_similarity": similarity,
                "emergent": bool(emergent),
                "suggested_keywords": ", ".join(suggestions),
                "word_label": word_label,
                "keywords": ", ".join(kws),
                "facilitation": bool(facilitation),
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


def emergent_topics(info: pd.DataFrame) -> pd.DataFrame:
    """The topics the codebook does not cover, less those that are mostly facilitation talk.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.topics import emergent_topics
        >>> info = pd.DataFrame({"topic": [0, 1, 2], "emergent": [True, True, False],
        ...     "facilitation": [False, True, False]})
        >>> emergent_topics(info)["topic"].tolist()
        [0]
    """
    if "emergent" not in info:
        return info.iloc[0:0]
    talk = info["facilitation"].fillna(False).astype(bool) if "facilitation" in info else False
    return info[info["emergent"].fillna(False).astype(bool) & ~talk]
