"""Learning from hand-coding: a per-theme classifier on embeddings, used only where it wins.

This is what NVivo calls "autocode using existing coding patterns": coded segments teach a
logistic regression per theme. Its features are the segment's embedding, which themes' rules
fired and how similar it is to each theme (meaning and context: money talk tempers a power
call), plus TF-IDF of lemma unigrams and bigrams (wording: idioms such as "hold the pen" that
an embedding blurs). Cross-validation on the coded segments
compares it with rules plus similarity; the classifier tags a theme only if its
cross-validated F1 is higher.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coprod_analysis.agreement import f1_of
from coprod_analysis.embeddings import EmbeddingCache
from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.themes.semantic import Similarity
from coprod_analysis.themes.signals import read_signals

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

MIN_EACH = 5  # positives and negatives a theme needs before a classifier is tried
# How little the classifier is regularised (scikit-learn's C). Trained on the written-to-order
# and real statements, 8 did best on the real dev split without costing the written-to-order
# set more than 0.03 kappa on any theme; 2 (the value before the real statements) cost
# conditions 0.04 (benchmarks/ablate_training.py).
C = 8.0


def new_classifier(*, class_weight: str | None = None, c: float = C) -> LogisticRegression:
    """A fresh, unfitted logistic regression for one theme.

    Args:
        class_weight: ``"balanced"`` weights the rare class up; None (default) not.
        c: how little it is regularised (scikit-learn's ``C``).

    Example:
        >>> from coprod_analysis.themes.learned import new_classifier
        >>> new_classifier().C
        8.0
    """
    from sklearn.linear_model import LogisticRegression

    # Unweighted classes and a 0.5 cut-off by default: on held-apart statements, class
    # weighting bought recall at too high a price in precision (benchmarks/ablate_training.py).
    return LogisticRegression(C=c, max_iter=3000, class_weight=class_weight)


def lemma_texts(texts: list[str]) -> list[str]:
    """Return each text as its lower-cased lemmas, punctuation dropped (for TF-IDF).

    Example:
        >>> from coprod_analysis.themes.learned import lemma_texts
        >>> lemma_texts(["Funders held the pen."])
        ['funder hold the pen']
    """
    from coprod_analysis.themes.rules import base_nlp

    return [
        " ".join(t.lemma_ for t in doc if not (t.is_punct or t.is_space))
        for doc in base_nlp().pipe(texts, batch_size=256, n_process=1)
    ]


def new_vectorizer():
    """A fresh TF-IDF vectorizer of lemma unigrams and bigrams (seen in two texts or more)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)


def _features(vectors: np.ndarray, flags: np.ndarray, sim: Similarity, j: int, words):
    import numpy as np
    import scipy.sparse as sp

    dense = np.hstack([vectors, flags, sim.scores, flags[:, [j]], sim.scores[:, [j]]])
    return sp.hstack([sp.csr_matrix(dense), words]).tocsr()


@dataclass
class LearnedThemes:
    """Per-theme classifiers trained on hand-coding, and how they compared with rules."""

    theme_ids: list[str]
    models: dict[str, Any] = field(default_factory=dict)  # theme → LogisticRegression
    report: pd.DataFrame | None = None
    positives: dict[str, tuple[np.ndarray, list[str]]] = field(default_factory=dict)
    vectorizer: Any = None  # a fitted TfidfVectorizer
    reused: bool = False  # read back from the last run's file, not trained in this one

    @property
    def used(self) -> list[str]:
        """The themes whose classifier beat rules plus similarity in cross-validation."""
        if self.report is None:
            return []
        return self.report.loc[self.report["used"], "theme"].tolist()

    def probabilities(
        self, texts: list[str], vectors: np.ndarray, flags: np.ndarray, sim: Similarity
    ) -> dict[str, np.ndarray]:
        """Return each used theme's probability for every text."""
        words = self.vectorizer.transform(lemma_texts(texts)) if self.used else None
        return {
            theme: self.models[theme].predict_proba(
                _features(vectors, flags, sim, self.theme_ids.index(theme), words)
            )[:, 1]
            for theme in self.used
        }

    def weights(self, text: str, theme: str, *, k: int = 3) -> list[str]:
        """The words (lemmas) of ``text`` that weigh most towards ``theme`` in its classifier.

        Each word's weight is its TF-IDF value times the classifier's coefficient; the ``k``
        largest positive ones, largest first. Empty when the theme has no classifier.
        """
        if theme not in self.models or self.vectorizer is None:
            return []
        words = self.vectorizer.transform(lemma_texts([text])).tocoo()
        coef = self.models[theme].coef_[0][-len(self.vectorizer.vocabulary_) :]
        names = self.vectorizer.get_feature_names_out()
        ranked = sorted(
            ((v * coef[j], names[j]) for j, v in zip(words.col, words.data, strict=True)),
            reverse=True,
        )
        return [name for weight, name in ranked[:k] if weight > 0]

    def predict(
        self, texts: list[str], vectors: np.ndarray, flags: np.ndarray, sim: Similarity
    ) -> Iterator[tuple[int, int, str, float, str]]:
        """Yield ``(row, theme index, theme, probability, closest coded example)`` for tags."""
        for theme, probs in self.probabilities(texts, vectors, flags, sim).items():
            j = self.theme_ids.index(theme)
            examples, positives = self.positives[theme]
            for i in (probs >= 0.5).nonzero()[0]:
                nearest = int((examples @ vectors[i]).argmax())
                yield int(i), j, theme, float(probs[i]), positives[nearest]


SHIPPED_NOTE = "cross-validated on the bundled statements (data/models)"


def _decided(decided: pd.DataFrame, theme: str, row: dict) -> dict:
    """A theme's report row from a shipped cross-validation (not used when it is not there)."""
    earlier = decided[decided["theme"] == theme]
    if earlier.empty:
        return {**row, "f1_learned": float("nan"), "used": False, "note": SHIPPED_NOTE}
    shipped = {str(k): v for k, v in earlier.iloc[0].items()}
    return {**row, **shipped, "used": bool(shipped["used"]), "note": SHIPPED_NOTE}


def _cross_validated(features, lemmas: list[str], truth, *, folds: int, seed: int, make):
    """Each coded text's prediction from a classifier that never saw it (k-fold)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    vectors, flags, sim, j = features
    n_pos, n_neg = int(truth.sum()), int((~truth).sum())
    pred = np.zeros(len(truth), dtype=bool)
    splitter = StratifiedKFold(n_splits=min(folds, n_pos, n_neg), shuffle=True, random_state=seed)
    for train, test in splitter.split(vectors, truth):
        # The vocabulary is learnt inside each fold, so no test wording leaks in.
        words = new_vectorizer().fit([lemmas[i] for i in train]).transform(lemmas)
        x = _features(vectors, flags, sim, j, words)
        clf = make().fit(x[train], truth[train])
        pred[test] = clf.predict_proba(x[test])[:, 1] >= 0.5
    return pred


def learn_themes(
    segments: pd.DataFrame,
    human: pd.DataFrame,
    codebook: Codebook,
    *,
    folds: int = 5,
    seed: int = 0,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
    class_weight: str | None = None,
    c: float = C,
    decided: pd.DataFrame | None = None,
) -> LearnedThemes:
    """Train a classifier per theme on hand-coded segments, and cross-validate it.

    Args:
        segments: ``segment_id`` and ``text`` of (at least) the coded segments.
        human: hand codes ``segment_id, theme`` (an empty theme means "coded, none").
        codebook: the themes.
        folds: cross-validation folds (fewer when a theme has fewer examples).
        seed: the random seed for the folds.
        model: the embedding model.
        cache: an embedding cache to reuse and extend.
        class_weight: ``"balanced"`` weights each theme's rare class up; None (default) not.
        c: how little each classifier is regularised (scikit-learn's ``C``).
        decided: a report from an earlier cross-validation of the same statements (the one
            the repository ships, :mod:`~coprod_analysis.themes.shipped`): its ``used`` column
            decides which themes get a classifier, so only the final layer is fitted here.

    Returns:
        The classifiers and a report per theme: coded ``n`` and ``positives``, the
        cross-validated F1 of rules plus similarity (``f1_rules_semantic``) and of the
        classifier (``f1_learned``), and ``used`` (the classifier won). Themes with fewer than
        five positives or negatives get no classifier.

    Example:
        >>> learned = learn_themes(corpus.segments, read_human_codes("data/raw/human_codes.csv"), codebook)  # doctest: +SKIP
        >>> learned.report  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    coded = list(dict.fromkeys(human["segment_id"].astype(str)))
    text_of = dict(
        zip(
            segments["segment_id"].astype(str),
            segments["text"].fillna("").astype(str),
            strict=False,
        )
    )
    coded = [s for s in coded if s in text_of]
    texts = [text_of[s] for s in coded]
    seen = read_signals(texts, codebook, model=model, cache=cache)
    (vectors, sim), flags = seen.semantic(), seen.flags
    pairs = set(zip(human["segment_id"].astype(str), human["theme"], strict=True))
    lemmas = lemma_texts(texts)
    result = LearnedThemes(codebook.ids, vectorizer=new_vectorizer().fit(lemmas))
    all_words = result.vectorizer.transform(lemmas)
    rows = []
    for j, theme in enumerate(codebook.ids):
        truth = np.array([(s, theme) in pairs for s in coded])
        baseline = (flags[:, j] > 0) | (sim.scores[:, j] >= codebook.threshold(theme))
        n_pos, n_neg = int(truth.sum()), int((~truth).sum())
        f1_baseline = f1_of(baseline, truth)
        row = {
            "theme": theme,
            "n": len(coded),
            "positives": n_pos,
            "f1_rules_semantic": f1_baseline,
        }
        if min(n_pos, n_neg) < MIN_EACH:
            rows.append(
                {**row, "f1_learned": float("nan"), "used": False, "note": "too few coded examples"}
            )
            continue
        if decided is not None:
            rows.append(_decided(decided, theme, row))
            used = rows[-1]["used"]
        else:
            pred = _cross_validated(
                (vectors, flags, sim, j),
                lemmas,
                truth,
                folds=folds,
                seed=seed,
                make=lambda: new_classifier(class_weight=class_weight, c=c),
            )
            f1_learned = f1_of(pred, truth)
            used = f1_learned > f1_baseline
            rows.append({**row, "f1_learned": f1_learned, "used": used, "note": ""})
        if used:
            clf = new_classifier(class_weight=class_weight, c=c).fit(
                _features(vectors, flags, sim, j, all_words), truth
            )
            result.models[theme] = clf
            keep = truth.nonzero()[0]
            result.positives[theme] = (vectors[keep], [texts[k] for k in keep])
    result.report = pd.DataFrame(rows)
    return result
