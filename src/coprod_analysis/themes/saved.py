"""The learned classifier as a file that only holds numbers and text: no pickle, no code.

One ``.npz`` file: the coefficients, intercepts, inverse document frequencies and coded
examples' embeddings as plain numeric arrays, and everything else (theme ids, vocabulary,
cross-validation report, the key of the training data) as one JSON string. It is read with
``numpy.load(allow_pickle=False)`` and ``json.loads``, so a tampered file can fail to load but
can never run code; the classifiers are rebuilt from the arrays.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, cast

from coprod_analysis.themes.learned import LearnedThemes, new_classifier, new_vectorizer

FORMAT = 1


def learned_bytes(learned: LearnedThemes, *, key: str) -> bytes:
    """Return the classifier as the bytes of an ``.npz`` file, keyed by its training data.

    Example:
        >>> learned_from_bytes(learned_bytes(learned, key="k"), key="k").used  # doctest: +SKIP
    """
    import numpy as np

    arrays: dict[str, np.ndarray] = {}
    if learned.vectorizer is not None:
        arrays["idf"] = np.asarray(learned.vectorizer.idf_, dtype=np.float64)
    for theme, clf in learned.models.items():
        arrays[f"coef/{theme}"] = np.asarray(clf.coef_, dtype=np.float64)
        arrays[f"intercept/{theme}"] = np.asarray(clf.intercept_, dtype=np.float64)
    for theme, (vectors, _) in learned.positives.items():
        arrays[f"positives/{theme}"] = np.asarray(vectors, dtype=np.float32)
    vocabulary = None
    if learned.vectorizer is not None:
        vocabulary = {term: int(i) for term, i in learned.vectorizer.vocabulary_.items()}
    meta = {
        "format": FORMAT,
        "key": key,
        "themes": learned.theme_ids,
        "models": sorted(learned.models),
        "vocabulary": vocabulary,
        "report": None if learned.report is None else learned.report.to_dict(orient="list"),
        "examples": {theme: texts for theme, (_, texts) in learned.positives.items()},
    }
    arrays["meta"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer, **cast("dict[str, Any]", arrays)
    )  # numpy's stub reads a key as allow_pickle
    return buffer.getvalue()


def learned_from_bytes(data: bytes, *, key: str | None) -> LearnedThemes | None:
    """Rebuild the classifier from :func:`learned_bytes`, or None when it is not usable.

    None means: another key (the training data changed), another format, or a file that is
    corrupt or was tampered with. ``key=None`` takes whatever training data it was keyed by
    (to explain the tags a run made). Nothing in the file is ever executed.

    Example:
        >>> from coprod_analysis.themes.saved import learned_from_bytes
        >>> learned_from_bytes(b"not a model", key="k") is None
        True
    """
    import numpy as np
    import pandas as pd

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            meta = json.loads(str(stored["meta"]))
            if meta.get("format") != FORMAT or (key is not None and meta.get("key") != key):
                return None
            learned = LearnedThemes(list(meta["themes"]))
            if meta["vocabulary"] is not None:
                vectorizer = new_vectorizer()
                vectorizer.vocabulary_ = {str(t): int(i) for t, i in meta["vocabulary"].items()}
                vectorizer.idf_ = stored["idf"]
                learned.vectorizer = vectorizer
            widths = {stored[f"coef/{theme}"].shape for theme in meta["models"]}
            words = len(meta["vocabulary"] or {})
            if len(widths) > 1 or any(len(w) != 2 or w[1] <= words for w in widths):
                return None  # coefficients that do not fit the features: damaged
            for theme in meta["models"]:
                clf = new_classifier()
                clf.coef_ = stored[f"coef/{theme}"]
                clf.intercept_ = stored[f"intercept/{theme}"]
                clf.classes_ = np.array([False, True])
                clf.n_features_in_ = clf.coef_.shape[1]
                learned.models[theme] = clf
            for theme, texts in meta["examples"].items():
                learned.positives[theme] = (stored[f"positives/{theme}"], list(texts))
            if meta["report"] is not None:
                learned.report = pd.DataFrame(meta["report"])
    except Exception:  # corrupt, truncated, tampered (an object array is refused): retrain
        return None
    return learned


def read_learned(path: str | Path, *, key: str | None) -> LearnedThemes | None:
    """Read a saved classifier, or None when there is none or it is not usable.

    Example:
        >>> read_learned("data/processed/learned-default.npz", key="…")  # doctest: +SKIP
    """
    path = Path(path)
    return learned_from_bytes(path.read_bytes(), key=key) if path.is_file() else None
