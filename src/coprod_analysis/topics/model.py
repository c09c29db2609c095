"""A BERTopic model sized to the corpus: deterministic, offline, safe on small corpora."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from coprod_analysis.config import TOPIC_SEED
from coprod_analysis.privacy.redact import PLACEHOLDER as _PLACEHOLDER

if TYPE_CHECKING:
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from sentence_transformers import SentenceTransformer
    from sklearn.cluster import KMeans
    from umap import UMAP

MIN_SEGMENTS = 20  # below this, topic modelling is refused with a clear message
_KMEANS_BELOW = 100  # under this many segments, KMeans instead of HDBSCAN


def preprocess(text: str) -> str:
    """Lower-case a segment and drop redaction placeholders, so they do not form topics.

    Example:
        >>> from coprod_analysis.topics.model import preprocess
        >>> preprocess("Ask [NAME] at [EMAIL] about Grants")
        'ask   at   about grants'
    """
    return _PLACEHOLDER.sub(" ", text).lower()


def clustering(n: int, *, seed: int) -> KMeans | HDBSCAN:
    """Return the clustering step for n documents: KMeans when small, else HDBSCAN.

    HDBSCAN's minimum cluster size grows with the square root of the corpus (5 at least), so
    a 400-segment corpus gets topics of about 10 segments or more and 20k segments about 70.

    Example:
        >>> from coprod_analysis.topics.model import clustering
        >>> type(clustering(50, seed=1)).__name__, clustering(400, seed=1).min_cluster_size
        ('KMeans', 10)
    """
    if n < _KMEANS_BELOW:
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=max(2, n // 10), random_state=seed, n_init=10)
    from hdbscan import HDBSCAN

    size = max(5, round(math.sqrt(n) / 2))
    return HDBSCAN(
        min_cluster_size=size,
        min_samples=max(2, size // 2),
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=True,
    )


def reduction(n: int, *, seed: int) -> UMAP:
    """Return UMAP for n documents: random init, neighbours below n, seeded (deterministic).

    Example:
        >>> from coprod_analysis.topics.model import reduction
        >>> reduction(30, seed=1).n_neighbors
        15
    """
    from umap import UMAP

    return UMAP(
        n_neighbors=min(15, n - 1),
        n_components=min(5, n - 2),
        min_dist=0.0,
        metric="cosine",
        init="random",
        random_state=seed,
        low_memory=True,
    )


def build_model(
    n: int,
    *,
    seed: int = TOPIC_SEED,
    embedding_model: SentenceTransformer | None = None,
    seed_topic_list: list[list[str]] | None = None,
) -> BERTopic:
    """Return an unfitted BERTopic for n documents.

    Args:
        n: the number of documents it will be fitted on (20 or more).
        seed: the random seed for UMAP and KMeans.
        embedding_model: the sentence-transformers model (needed for guided mode and saving).
        seed_topic_list: seed words per topic for guided mode.

    Example:
        >>> from coprod_analysis.topics.model import build_model
        >>> build_model(200).umap_model.init
        'random'
    """
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    return BERTopic(
        embedding_model=embedding_model,
        umap_model=reduction(n, seed=seed),
        hdbscan_model=clustering(n, seed=seed),
        vectorizer_model=CountVectorizer(
            stop_words="english", min_df=1, ngram_range=(1, 2), preprocessor=preprocess
        ),
        seed_topic_list=seed_topic_list,
        calculate_probabilities=False,
        verbose=False,
    )
