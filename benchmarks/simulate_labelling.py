"""Simulated labelling: does coding the least certain segments first need fewer labels?

Usage:
    .venv/bin/python benchmarks/simulate_labelling.py [--seeds 5] [--batch 20] [--start 40]

The real train split (``data/labelled/train.csv``) is the pool of segments a researcher could
hand-code; its settled codes play the researcher. Starting from ``--start`` random labels,
batches of ``--batch`` are added either at random or by uncertainty, as ``coprod suggest``
ranks them (:func:`coprod_analysis.themes.suggest.uncertainty` over per-theme
probabilities). After each batch a per-theme logistic regression on the frozen MiniLM
embeddings is trained on the labels so far and scored on the real dev split
(``data/labelled/dev.csv``) as Cohen's κ pooled over every segment × theme decision.
Printed: pooled κ by number of labels for each strategy (mean over seeds), and how many
labels each needs to reach 95% of the κ that all of the pool gives. The test split is never
used.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--start", type=int, default=40)
    args = parser.parse_args()

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from coprod_analysis.agreement import cohen_kappa
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.embeddings import EmbeddingCache, embed
    from coprod_analysis.themes import read_statements
    from coprod_analysis.themes.suggest import uncertainty

    codebook = load_codebook(ROOT / "config" / "codebook.yml")
    themes = codebook.ids
    cache = EmbeddingCache(None)

    def load(name: str):
        segments, codes = read_statements(ROOT / "data" / "labelled" / name, theme_ids=themes)
        ids = segments["segment_id"].tolist()
        pairs = set(zip(codes["segment_id"], codes["theme"], strict=True))
        y = np.array([[(s, t) in pairs for t in themes] for s in ids], dtype=bool)
        return embed(segments["text"].tolist(), cache=cache), y

    start = time.perf_counter()
    x_pool, y_pool = load("train.csv")
    x_dev, y_dev = load("dev.csv")
    print(
        f"pool (real train) {len(x_pool)}, scored on real dev {len(x_dev)}; "
        f"embedded in {time.perf_counter() - start:.1f} s"
    )

    def fit_predict(labelled: np.ndarray, x: np.ndarray) -> np.ndarray:
        probs = np.zeros((len(x), len(themes)))
        for j in range(len(themes)):
            y = y_pool[labelled, j]
            if y.all() or not y.any():
                probs[:, j] = float(y.mean())
                continue
            clf = LogisticRegression(C=2.0, max_iter=2000).fit(x_pool[labelled], y)
            probs[:, j] = clf.predict_proba(x)[:, 1]
        return probs

    def pooled_kappa(labelled: np.ndarray) -> float:
        pred = fit_predict(labelled, x_dev) >= 0.5
        tp = int((pred & y_dev).sum())
        fp = int((pred & ~y_dev).sum())
        fn = int((~pred & y_dev).sum())
        return cohen_kappa(tp, fp, fn, pred.size - tp - fp - fn)

    sizes = list(range(args.start, len(x_pool) + 1, args.batch))
    curves = {"random": [], "uncertain first": []}
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        first = rng.choice(len(x_pool), size=args.start, replace=False)
        for strategy in curves:
            labelled = list(first)
            kappas = []
            for size in sizes:
                if size > len(labelled):
                    rest = np.setdiff1d(np.arange(len(x_pool)), labelled)
                    take = size - len(labelled)
                    if strategy == "random":
                        chosen = rng.choice(rest, size=take, replace=False)
                    else:
                        scores = uncertainty(fit_predict(np.array(labelled), x_pool[rest]))
                        chosen = rest[np.argsort(-scores, kind="stable")[:take]]
                    labelled.extend(chosen.tolist())
                kappas.append(pooled_kappa(np.array(labelled)))
            curves[strategy].append(kappas)
    full = pooled_kappa(np.arange(len(x_pool)))
    target = 0.95 * full
    print(
        f"pooled κ on real dev with all {len(x_pool)} pool labels: {full:.3f}; "
        f"target 95% of it: {target:.3f}"
    )
    print(f"{'labels':>6}  " + "  ".join(f"{name:>16}" for name in curves))
    means = {name: np.mean(curve, axis=0) for name, curve in curves.items()}
    for i, size in enumerate(sizes):
        print(f"{size:>6}  " + "  ".join(f"{means[name][i]:16.3f}" for name in curves))
    for name, mean in means.items():
        reached = [size for size, k in zip(sizes, mean, strict=True) if k >= target]
        needed = reached[0] if reached else None
        print(
            f"{name}: reaches {target:.3f} with {needed or 'more than ' + str(sizes[-1])} labels "
            f"(mean of {args.seeds} seeds)"
        )
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
