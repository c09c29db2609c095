import pandas as pd
import pytest

from coprod_analysis.embeddings import EmbeddingCache
from coprod_analysis.topics import extend_topics, fit_topics, needs_refit
from tests.topics.conftest import CODEBOOK, corpus


def ids(*names):
    return pd.DataFrame({"segment_id": list(names)})


@pytest.mark.parametrize(
    ("previous", "current", "fitted", "expected"),
    [
        (None, ids("a"), None, "no earlier topics"),
        (ids("a", "b", "c", "d"), ids("a", "b", "c", "d"), None, None),
        (ids("a", "b", "c", "d"), ids("a", "b", "c", "d", "e"), None, None),
        (
            ids("a", "b", "c", "d"),
            ids("a", "b", "c", "d", "e", "f"),
            None,
            "2 segments added since the last fit are more than 25% of its 4",
        ),
        (
            ids("a", "b", "c", "d"),
            ids("a", "b", "e"),
            None,
            "segments modelled earlier are gone or changed",
        ),
        (
            ids("a", "b", "c", "d", "e"),
            ids("a", "b", "c", "d", "e", "f"),
            4,
            "2 segments added since the last fit are more than 25% of its 4",
        ),
    ],
)
def test_needs_refit(previous, current, fitted, expected):
    assert needs_refit(previous, current, fitted=fitted) == expected


def test_new_segments_join_their_nearest_topic():
    cache = EmbeddingCache(None)
    base = corpus(40)
    first = fit_topics(base, codebook=CODEBOOK, cache=cache)
    new = corpus(48).groupby("group").tail(8).assign(session_id="s3")  # texts of the same kinds
    new["segment_id"] = "new-" + new["segment_id"]
    extended = extend_topics(first, pd.concat([base, new], ignore_index=True), cache=cache)
    assert len(extended.topics) == len(base) + len(new)
    assert extended.topics.iloc[: len(base)]["topic"].tolist() == first.topics["topic"].tolist()
    added = extended.topics.merge(new[["segment_id", "group"]], on="segment_id")
    main = (
        first.topics.merge(base[["segment_id", "group"]], on="segment_id")
        .groupby("group")["topic"]
        .agg(set)
    )
    hits = [t in main[g] for t, g in zip(added["topic"], added["group"], strict=True)]
    assert sum(hits) >= 0.9 * len(hits)  # nearly all join a topic of their own kind
    assert added["probability"].between(0, 1).all()
    assert extended.shares.groupby("session_id")["share"].sum().round(9).eq(1.0).all()
    assert extended.topic_info["size"].sum() == len(extended.topics)
