"""Topic keywords: BERTopic's KeyBERTInspired and MaximalMarginalRelevance, minus the stop list.

c-TF-IDF ranks words by how much more often a topic uses them than the others do, so the
words of the write-up ("table", "scribes", "notes") come first wherever scribes wrote the
most. KeyBERTInspired re-ranks a topic's 50 best c-TF-IDF words by how close each word's
embedding is to the topic (the mean embedding of its most representative segments); the stop
list (:mod:`coprod_analysis.topics.stoplist`) then removes what is left of the write-up, and
MaximalMarginalRelevance keeps the keywords that are relevant but not near-repeats of each
other ("young people", "young", "people" → "young people").

BERTopic's representation models embed through the topic model's ``embedding_model``; here
they are given one that goes through :func:`coprod_analysis.embeddings.embed` (the package's
local sentence-transformers model and its cache), so nothing is downloaded, the segments'
cached vectors are reused and each word is embedded once. They run once, after the fit, on a
copy of the model: its own topic words (c-TF-IDF) and embedder stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from coprod_analysis.embeddings import EmbeddingCache, embed
from coprod_analysis.topics.stoplist import clean_keywords, words

if TYPE_CHECKING:
    from bertopic import BERTopic

_CLAUSE = re.compile(r"[^\w\s'’-]+")  # punctuation other than apostrophes and hyphens
TOP_N = 10  # keywords kept per topic
POOL = 50  # c-TF-IDF's best words per topic that KeyBERTInspired re-ranks
CANDIDATES = 30  # KeyBERTInspired's best words handed on to the stop list and MMR
DIVERSITY = 0.3  # MMR: 0 = most relevant only, 1 = most diverse


def adjacent(term: str, texts: Sequence[str]) -> bool:
    """Say whether a term's words stand side by side, with no punctuation between, in a text.

    The vectorizer drops stop words and punctuation before it pairs words, so some of its
    two-word terms were never said ("number kept" from "a number, so we kept one"; "residents
    young" from "residents. Young people"); they are not keywords.

    Example:
        >>> from coprod_analysis.topics.represent import adjacent
        >>> [adjacent(t, ["We kept one number.", "Shared risk"]) for t in ("shared risk", "number kept")]
        [True, False]
    """
    target = words(term)
    n = len(target)
    if n < 2:
        return True
    for text in texts:
        for clause in _CLAUSE.split(text):
            found = words(clause)
            if any(found[i : i + n] == target for i in range(len(found) - n + 1)):
                return True
    return False


def _cached_embedder(model: str | None, cache: EmbeddingCache):
    """A BERTopic embedder that embeds through the package's cache, so nothing is embedded twice."""
    from bertopic.backend import BaseEmbedder

    class CachedEmbedder(BaseEmbedder):
        def embed(self, documents, verbose=False):
            return embed(list(documents), model=model, cache=cache)

    return CachedEmbedder()


def topic_keywords(
    topic_model: BERTopic,
    docs: Sequence[str],
    topics: Sequence[int],
    *,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    top_n: int = TOP_N,
    pool: int = POOL,
    candidates: int = CANDIDATES,
    diversity: float = DIVERSITY,
) -> dict[int, list[str]]:
    """Return each topic's keywords, best first: KeyBERTInspired, the stop list, then MMR.

    Args:
        topic_model: a fitted BERTopic (not changed).
        docs: the documents it was fitted on, in order.
        topics: each document's topic, as the model has them now.
        model: the embedding model (default: the bundled all-MiniLM-L6-v2), the one the
            documents were embedded with.
        cache: the embedding cache holding the documents' vectors; the words' vectors are
            added to it, so a refit embeds only words it has not seen.
        top_n: keywords kept per topic.
        pool: c-TF-IDF's best words per topic that KeyBERTInspired re-ranks.
        candidates: KeyBERTInspired's best words that go on to the stop list and MMR.
        diversity: MMR's diversity, between 0 and 1.

    Returns:
        ``{topic: [keyword, ...]}`` for every topic the model has (``-1`` included when it
        has outliers). Two-word keywords are ones said side by side; a topic whose words are
        all stop-listed gets an empty list.

    Example:
        >>> topic_keywords(result.topic_model, docs, result.topics["topic"])  # doctest: +SKIP
        {0: ['grant making', 'funding panels', 'grants', ...], ...}
    """
    import copy

    import pandas as pd
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance

    docs = [str(d) for d in docs]
    topics = [int(t) for t in topics]
    texts: dict[int, list[str]] = {}
    for doc, t in zip(docs, topics, strict=True):
        texts.setdefault(t, []).append(doc)
    base = topic_model.get_topics()
    tuned = copy.copy(topic_model)  # the caller's model keeps its own embedder
    tuned.embedding_model = _cached_embedder(
        model, cache if cache is not None else EmbeddingCache(None, model)
    )
    documents = pd.DataFrame({"Document": docs, "Topic": topics, "ID": range(len(docs))})
    c_tf_idf = topic_model.c_tf_idf_
    # Documents' vectors come from the cache through the embedder, not ``embeddings=``: in
    # BERTopic 0.17 KeyBERTInspired indexes those by position among the representative
    # documents, not by document, so it would take the wrong rows.
    ranked = KeyBERTInspired(
        top_n_words=candidates, nr_repr_docs=5, nr_candidate_words=pool
    ).extract_topics(tuned, documents, c_tf_idf, base)
    mmr = MaximalMarginalRelevance(diversity=diversity, top_n_words=top_n)
    out: dict[int, list[str]] = {}
    for t, pairs in ranked.items():
        clean = {w for w in clean_keywords(w for w, _ in pairs) if adjacent(w, texts.get(t, []))}
        pairs = [(w, s) for w, s in pairs if w in clean]
        if len(pairs) > top_n:
            pairs = mmr.extract_topics(tuned, documents, c_tf_idf, {t: pairs})[t]
        out[int(t)] = [w for w, _ in pairs][:top_n]
    return out
