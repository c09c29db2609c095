"""``fit_topics``: emergent topics per segment, described and mapped to the codebook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coprod_analysis.config import EMERGENT_BELOW, TOPIC_SEED
from coprod_analysis.corpus import require_text
from coprod_analysis.embeddings import EmbeddingCache, embed, load_model
from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.topics.describe import OUTLIERS, describe_topics, session_shares
from coprod_analysis.topics.model import MIN_SEGMENTS, build_model
from coprod_analysis.topics.phrases import load_tagger
from coprod_analysis.topics.represent import topic_keywords

if TYPE_CHECKING:
    import pandas as pd

TOPIC_COLUMNS = ["segment_id", "topic", "topic_label", "probability"]
INFO_COLUMNS = [
    "topic",
    "label",
    "size",
    "top_words",
    "representative",
    "nearest_theme",
    "theme_similarity",
    "emergent",
    "suggested_keywords",
    "word_label",
    "keywords",
    "facilitation",
]
# Bumped whenever labels, keywords or the facilitation rule change, so a saved fit can be
# told apart from one this code would make (a stage may refit when it differs).
LABELS_VERSION = 2


@dataclass(kw_only=True)
class TopicResult:
    """What :func:`fit_topics` found.

    Attributes:
        topics: one row per segment: ``segment_id, topic`` (-1 = outlier), ``topic_label``
            (the topic's ``label``), ``probability`` (HDBSCAN membership strength; empty for
            KMeans and for outliers reassigned to their nearest topic).
        topic_info: one row per topic: ``topic, label`` (a short phrase from a typical
            segment), ``size, top_words`` (c-TF-IDF, as computed), ``representative`` (3
            redacted segments), ``nearest_theme, theme_similarity, emergent,
            suggested_keywords, word_label`` (three keywords), ``keywords`` (KeyBERTInspired
            and MMR, without stop-listed words), ``facilitation`` (mostly talk about running
            the session); see :func:`~coprod_analysis.topics.describe.describe_topics`.
        shares: topic shares per session, as shares of that session's segments.
        over_sessions: BERTopic's ``topics_over_time`` with session order as the timestamp.
        per_session: BERTopic's ``topics_per_class`` with session order as the class.
        topic_model: the fitted BERTopic (None when there were too few segments).
        message: why there are no topics, when there are none.
    """

    topics: pd.DataFrame
    topic_info: pd.DataFrame
    shares: pd.DataFrame
    over_sessions: pd.DataFrame | None = None
    per_session: pd.DataFrame | None = None
    topic_model: object | None = None
    message: str | None = None
    outliers_reduced: int = 0
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.message is None


def _empty(message: str) -> TopicResult:
    import pandas as pd

    return TopicResult(
        topics=pd.DataFrame(columns=TOPIC_COLUMNS),
        topic_info=pd.DataFrame(columns=INFO_COLUMNS),
        shares=pd.DataFrame(
            columns=["session_id", "order", "topic", "n_segments", "count", "share"]
        ),
        message=message,
    )


def session_numbers(segments: pd.DataFrame, sessions: pd.DataFrame | None) -> list[int]:
    """Each segment's session position (:func:`coprod_analysis.corpus.session_order`); 1 without sessions.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.topics.fit import session_numbers
        >>> session_numbers(pd.DataFrame({"session_id": ["b", "a", "b"]}), None)
        [1, 2, 1]
    """
    from coprod_analysis.corpus import session_order

    if "session_id" not in segments.columns:
        return [1] * len(segments)
    order = session_order(segments, sessions)
    return [int(order.get(s, 0)) for s in segments["session_id"]]


def fit_topics(
    segments: pd.DataFrame,
    *,
    codebook: Codebook,
    sessions: pd.DataFrame | None = None,
    question: str | None = None,
    guided: bool = False,
    seed: int = TOPIC_SEED,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    emergent_below: float = EMERGENT_BELOW,
    progress: Callable[[str], None] | None = None,
) -> TopicResult:
    """Find the topics people talked about, including ones the codebook did not expect.

    Args:
        segments: ``segment_id`` and ``text`` (``session_id`` for per-session shares;
            ``question`` to model one survey question apart).
        codebook: the themes each topic is set beside (``nearest_theme``, ``emergent``).
        sessions: the sessions table, for session order (default: order of appearance).
        question: model only the answers to this survey question, e.g. ``"wishlist"``.
        guided: seed the topics with the codebook's phrases (BERTopic guided mode).
        seed: the random seed; the same input and seed give the same topics.
        model: the embedding model (default: the bundled all-MiniLM-L6-v2).
        cache: an embedding cache, so only new text is embedded.
        emergent_below: a topic whose best theme similarity is below this is emergent.
        progress: called with a short message before slow steps.

    Returns:
        A :class:`TopicResult`. With fewer than 20 segments it holds no topics and a
        ``message`` saying why (it does not raise).

    Raises:
        InputError: ``segments`` lacks ``segment_id`` or ``text``.

    Example:
        >>> result = fit_topics(corpus.segments, codebook=codebook)  # doctest: +SKIP
        >>> wishlist = fit_topics(corpus.segments, codebook=codebook, question="wishlist")  # doctest: +SKIP
    """
    # Long because BERTopic's steps in order (embed, cluster, reduce outliers, describe, shares), each a few lines that pass the model on.
    import numpy as np

    require_text(segments)
    if question is not None:
        segments = segments[segments["question"] == question]
    segments = segments[segments["text"].fillna("").str.strip() != ""].reset_index(drop=True)
    n = len(segments)
    if n < MIN_SEGMENTS:
        scope = f" answering {question!r}" if question else ""
        return _empty(
            f"only {n} segment(s){scope}: topic modelling needs at least {MIN_SEGMENTS}, so no topics were fitted"
        )
    docs = segments["text"].astype(str).tolist()
    if progress:
        progress(f"embedding {n} segment(s)")
    cache = cache if cache is not None else EmbeddingCache(None, model)  # shared with labelling
    vectors = embed(docs, model=model, cache=cache, progress=progress)
    seeds = None
    if guided:
        seeds = [[p for p in t.patterns.phrases if " " not in p][:15] for t in codebook.themes]
    topic_model = build_model(
        n, seed=seed, embedding_model=load_model(model), seed_topic_list=seeds
    )
    if progress:
        progress(f"fitting topics on {n} segment(s)")
    import logging

    logging.getLogger("BERTopic").setLevel(logging.ERROR)  # its notes would swamp the summary
    # BERTopic changes the embeddings it is given in guided mode: give it a copy.
    topics, probs = topic_model.fit_transform(docs, embeddings=vectors.copy())
    reduced = 0
    if -1 in topics:
        try:
            new = topic_model.reduce_outliers(
                docs, topics, strategy="embeddings", embeddings=vectors.copy()
            )
        except ValueError as exc:  # "No outliers to reduce."
            if "outliers" not in str(exc):
                raise
        else:
            reduced = int(sum(1 for a, b in zip(topics, new, strict=True) if a == -1 and b != -1))
            if probs is not None:
                probs = np.where(np.array(topics) == -1, np.nan, probs)
            topics = new
            # fit_transform set BERTopic's logger back to WARNING. Its warning that custom topic
            # assignments may break a later topic reduction does not apply: this is the last step.
            logging.getLogger("BERTopic").setLevel(logging.ERROR)
            topic_model.update_topics(
                docs, topics=topics, vectorizer_model=topic_model.vectorizer_model
            )
    if progress:
        progress("labelling topics")
    keywords = topic_keywords(topic_model, docs, topics, model=model, cache=cache)
    import pandas as pd

    table = pd.DataFrame(
        {
            "segment_id": segments["segment_id"].astype(str),
            "topic": np.asarray(topics, dtype="int64"),
            "topic_label": "",
            "probability": np.asarray(probs, dtype="float64")
            if probs is not None and np.ndim(probs) == 1
            else np.nan,
        }
    )
    info = describe_topics(
        topic_model,
        table,
        vectors,
        codebook,
        segments=segments,
        keywords=keywords,
        nlp=load_tagger(),
        model=model,
        cache=cache,
        emergent_below=emergent_below,
    )
    labels = dict(zip(info["topic"], info["label"], strict=True))
    table["topic_label"] = table["topic"].map(labels).fillna(OUTLIERS)
    topic_model.set_topic_labels(labels)  # BERTopic's own charts show them with custom_labels=True
    orders = session_numbers(segments, sessions)
    shares = session_shares(table, segments, orders)
    over = per = None
    if len(set(orders)) > 1:
        over = topic_model.topics_over_time(docs, orders, topics=list(topics))
        per = topic_model.topics_per_class(docs, classes=orders)
    return TopicResult(
        topics=table,
        topic_info=info,
        shares=shares,
        over_sessions=over,
        per_session=per,
        topic_model=topic_model,
        outliers_reduced=reduced,
    )
