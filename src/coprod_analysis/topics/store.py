"""Save and load a fitted topic model (safetensors), with the offline embedding model."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.embeddings import load_model, model_path

if TYPE_CHECKING:
    from bertopic import BERTopic


def save_topic_model(
    topic_model: BERTopic, folder: str | Path, *, model: str | None = None
) -> Path:
    """Save a BERTopic with safetensors into ``folder``, replacing any earlier one atomically.

    The model is written to a temporary folder beside the target and swapped in, so an
    interrupted save leaves the previous model intact.

    Example:
        >>> save_topic_model(result.topic_model, "data/processed/topic_model")  # doctest: +SKIP
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        topic_model.save(
            str(tmp),
            serialization="safetensors",
            save_ctfidf=True,
            save_embedding_model=model_path(model),
        )
        old = folder.with_name(f".{folder.name}.old")
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def load_topic_model(folder: str | Path, *, model: str | None = None) -> BERTopic:
    """Load a saved topic model, passing the offline embedding model in explicitly.

    Example:
        >>> topic_model = load_topic_model("data/processed/topic_model")  # doctest: +SKIP
    """
    from bertopic import BERTopic

    return BERTopic.load(str(folder), embedding_model=load_model(model))
