"""Add a new session's segments to existing topics without refitting (fast after a roundtable)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.embeddings import EmbeddingCache, embed
from coprod_analysis.topics.describe import session_shares
from coprod_analysis.topics.fit import TopicResult, session_numbers

if TYPE_CHECKING:
    import pandas as pd

REFIT_ABOVE = 0.25  # refit when new segments exceed this share of those already modelled
# topic_info columns added after the first release, and their values for an older fit
# (None: the topic's label); a refit computes them.
_ADDED_COLUMNS = {"word_label": None, "keywords": "", "facilitation": False}


def needs_refit(
    previous: pd.DataFrame | None,
    segments: pd.DataFrame,
    *,
    fitted: int | None = None,
    refit_above: float = REFIT_ABOVE,
) -> str | None:
    """Say why the topics must be refitted from scratch, or None when they can be extended.

    A refit is needed when there is no earlier fit, when segments it modelled are gone, or
    when the segments added since the last full fit (of ``fitted`` segments) are more than
    ``refit_above`` of it.

    Example:
        >>> from coprod_analysis.topics.extend import needs_refit
        >>> import pandas as pd
        >>> old = pd.DataFrame({"segment_id": ["a", "b", "c", "d"]})
        >>> needs_refit(old, pd.DataFrame({"segment_id": ["a", "b", "c", "d", "e"]}))
        >>> needs_refit(old, pd.DataFrame({"segment_id": ["a", "b", "e"]}))
        'segments modelled earlier are gone or changed'
    """
    if previous is None or previous.empty:
        return "no earlier topics"
    known = set(previous["segment_id"])
    current = set(segments["segment_id"])
    if not known <= current:
        return "segments modelled earlier are gone or changed"
    fitted = fitted if fitted is not None else len(known)
    added = len(current) - fitted
    if added > refit_above * fitted:
        return f"{added} segments added since the last fit are more than {refit_above:.0%} of its {fitted}"
    return None


def extend_topics(
    previous: TopicResult,
    segments: pd.DataFrame,
    *,
    sessions: pd.DataFrame | None = None,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
) -> TopicResult:
    """Assign segments the earlier fit has not seen to its nearest topic, and update shares.

    Each new segment joins the topic whose centroid (mean embedding of its segments) it is most
    similar to; its ``probability`` is that cosine similarity. Topic words, labels, examples and
    nearest themes stay those of the last full fit (sizes are updated), so run a refit
    (``coprod topics --refit``) to let a new session form topics of its own.

    Example:
        >>> extended = extend_topics(previous, corpus.segments, cache=cache)  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    known = set(previous.topics["segment_id"])
    fresh = segments[~segments["segment_id"].astype(str).isin(known)]
    old = previous.topics.set_index("segment_id").loc[
        [s for s in segments["segment_id"] if s in known]
    ]
    text_of = dict(zip(segments["segment_id"], segments["text"].astype(str), strict=True))
    old_vectors = embed([text_of[s] for s in old.index], model=model, cache=cache)
    topics = old["topic"].to_numpy()
    ids = sorted(int(t) for t in set(topics) if t != -1)
    centroids = np.stack([old_vectors[topics == t].mean(axis=0) for t in ids])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    new_vectors = embed(fresh["text"].astype(str).tolist(), model=model, cache=cache)
    labels = dict(zip(previous.topic_info["topic"], previous.topic_info["label"], strict=True))
    if len(fresh):
        sims = new_vectors @ centroids.T
        chosen = [ids[i] for i in sims.argmax(axis=1)]
        added = pd.DataFrame(
            {
                "segment_id": fresh["segment_id"].astype(str).to_numpy(),
                "topic": np.asarray(chosen, dtype="int64"),
                "topic_label": [labels.get(t, "") for t in chosen],
                "probability": sims.max(axis=1).astype("float64"),
            }
        )
        table = pd.concat([old.reset_index(), added], ignore_index=True)
    else:
        table = old.reset_index()
    order = {s: i for i, s in enumerate(segments["segment_id"])}
    table = table.sort_values("segment_id", key=lambda s: s.map(order)).reset_index(drop=True)
    info = previous.topic_info.copy()
    for column, default in _ADDED_COLUMNS.items():  # a fit from before these columns existed
        if column not in info.columns:
            info[column] = info["label"] if default is None else default
    info["size"] = info["topic"].map(table["topic"].value_counts()).fillna(0).astype("int64")
    aligned = segments.set_index("segment_id").loc[table["segment_id"]].reset_index()
    shares = session_shares(table, aligned, session_numbers(aligned, sessions))
    return TopicResult(
        topics=table,
        topic_info=info,
        shares=shares,
        topic_model=previous.topic_model,
        notes=[f"extended with {len(fresh)} new segment(s) without refitting"],
    )
