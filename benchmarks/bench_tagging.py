"""Benchmark theme tagging: bare tokenizer vs rules-only vs rules + semantic.

Usage:
    .venv/bin/python benchmarks/bench_tagging.py            # 1k, 10k, 100k segments
    .venv/bin/python benchmarks/bench_tagging.py --sizes 1000 10000

Segments are generated with a fixed seed from the labelled roundtable statements the project
ships (config/training_statements.csv, config/written/dev_statements.csv), one to three each. Each
measurement runs in its own process so its peak memory (max RSS, including Python, spaCy and,
for semantic tagging, torch and the model) is its own. Speeds are compared as ratios within
one run, because these machines are noisy. Semantic tagging is timed after the model is
loaded, with an empty embedding cache; it runs at 100k only with --semantic-max 100000.

Targets (issue 3): rules-only at >= 15% of the bare tokenizer's words/s; 100k segments
tagged (rules) under 1.5 GB peak; semantic tagging of 10k segments under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POOLS = [
    ROOT / "config" / "training_statements.csv",
    ROOT / "config" / "written" / "dev_statements.csv",
]


def make_segments(n: int, seed: int = 7):
    """Return a DataFrame of n segments (segment_id, text), each 1-3 statements drawn with a seed.

    The statements are the labelled roundtable statements shipped with the project, so the
    vocabulary is realistic (a handful of fixed sentences would let the tokenizer's cache
    answer nearly every token and flatter the baseline).
    """
    import pandas as pd

    pool = [t for path in POOLS for t in pd.read_csv(path, dtype=str)["text"].dropna()]
    rng = random.Random(seed)
    texts = [" ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))) for _ in range(n)]
    return pd.DataFrame({"segment_id": [f"b{i}" for i in range(n)], "text": texts})


def measure(mode: str, n: int) -> dict:
    """Run one measurement in this process and return its figures."""
    segments = make_segments(n)
    words = int(segments["text"].str.split().str.len().sum())
    load = 0.0
    if mode == "tokenizer":
        import spacy

        nlp = spacy.blank("en")
        start = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(segments["text"], batch_size=256))
        seconds = time.perf_counter() - start
        extra = {"tokens": tokens}
    else:
        from coprod_analysis.codebooks import load_codebook
        from coprod_analysis.embeddings import load_model
        from coprod_analysis.themes import tag_segments
        from coprod_analysis.themes.rules import theme_nlp

        codebook = load_codebook()
        start = time.perf_counter()
        theme_nlp(codebook)
        if mode == "semantic":
            load_model()
        load = time.perf_counter() - start
        start = time.perf_counter()
        tags = tag_segments(segments, codebook, semantic=mode == "semantic")
        seconds = time.perf_counter() - start
        extra = {"tags": len(tags)}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "mode": mode,
        "n": n,
        "words": words,
        "seconds": seconds,
        "load_seconds": load,
        "peak_mb": peak_mb,
        **extra,
    }


def run_child(mode: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(n)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument(
        "--semantic-max", type=int, default=10_000, help="largest size for semantic tagging"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return
    print(
        f"{'segments':>9} {'mode':<10} {'words':>9} {'seconds':>8} {'words/s':>10} {'vs tokenizer':>12} {'peak MB':>8} {'load s':>7}"
    )
    results = {}
    for n in args.sizes:
        for mode in ("tokenizer", "rules", "semantic"):
            if mode == "semantic" and n > args.semantic_max:
                continue
            r = run_child(mode, n)
            results[(mode, n)] = r
            speed = r["words"] / r["seconds"]
            base = results[("tokenizer", n)]
            ratio = speed / (base["words"] / base["seconds"])
            print(
                f"{n:>9} {mode:<10} {r['words']:>9} {r['seconds']:>8.2f} {speed:>10.0f} {ratio:>11.1%} "
                f"{r['peak_mb']:>8.0f} {r['load_seconds']:>7.1f}",
                flush=True,
            )
    print("\nTargets:")
    for n in args.sizes:
        base, rules = results[("tokenizer", n)], results[("rules", n)]
        ratio = (rules["words"] / rules["seconds"]) / (base["words"] / base["seconds"])
        print(
            f"  rules-only speed at {n}: {ratio:.1%} of the tokenizer (target >= 15%): {'met' if ratio >= 0.15 else 'NOT met'}"
        )
    if ("rules", 100_000) in results:
        peak = results[("rules", 100_000)]["peak_mb"]
        print(
            f"  rules-only peak at 100k: {peak:.0f} MB (target < 1536 MB): {'met' if peak < 1536 else 'NOT met'}"
        )
    if ("semantic", 10_000) in results:
        secs = results[("semantic", 10_000)]["seconds"]
        print(
            f"  semantic tagging of 10k: {secs:.1f} s (target < 60 s): {'met' if secs < 60 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
