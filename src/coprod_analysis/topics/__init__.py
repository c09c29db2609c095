"""Topics: BERTopic on cached offline embeddings, safe on small corpora, mapped to the codebook."""

from coprod_analysis.topics.describe import emergent_topics
from coprod_analysis.topics.extend import extend_topics, needs_refit
from coprod_analysis.topics.fit import TopicResult, fit_topics
from coprod_analysis.topics.store import load_topic_model, save_topic_model

__all__ = [
    "TopicResult",
    "emergent_topics",
    "extend_topics",
    "fit_topics",
    "load_topic_model",
    "needs_refit",
    "save_topic_model",
]
