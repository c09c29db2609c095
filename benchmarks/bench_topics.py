"""Benchmark topic modelling: embedding time, fit time and peak memory; then an incremental run.

Usage:
    .venv/bin/python benchmarks/bench_topics.py                 # 500, 5k and 20k segments
    .venv/bin/python benchmarks/bench_topics.py --sizes 500 5000

Segments are generated with a fixed seed from the labelled roundtable statements the project
ships, spread over sessions of about 300 segments. Each size runs in its own process (peak
memory = max RSS of that process, including Python, torch and the model); the model is loaded
before timing starts and numba's JIT is warmed up. Then one new session of 300 segments is
added and what `coprod topics` does after a roundtable runs with the same embedding cache: the
new segments join their nearest topics (or, past 25% new, a refit). Its time is compared with
the full run's, in the same process; a full refit with the new session is timed too.

Targets (issue 4): 5k segments end to end under 60 s on 2 cores once the model is loaded;
the incremental run at <= 25% of the full time; peak memory under 4 GB at 20k.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POOLS = [
    ROOT / "config" / "training_statements.csv",
    ROOT / "config" / "written" / "dev_statements.csv",
]


def make_segments(n: int, *, seed: int = 11, start: int = 0, session_size: int = 300):
    """Return n generated segments (segment_id, session_id, text), sessions of ~300."""
    import pandas as pd

    pool = [t for path in POOLS for t in pd.read_csv(path, dtype=str)["text"].dropna()]
    rng = random.Random(seed + start)
    rows = []
    for i in range(start, start + n):
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 2)))
        rows.append(
            {"segment_id": f"b{i}", "session_id": f"s{i // session_size:03d}", "text": text}
        )
    return pd.DataFrame(rows)


def measure(n: int, new: int) -> dict:
    """Full run on n segments, then an incremental run with `new` more, in this process."""
    import pandas as pd

    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.embeddings import EmbeddingCache, embed, load_model
    from coprod_analysis.topics import extend_topics, fit_topics, needs_refit

    codebook = load_codebook()
    load_model()
    # Compile UMAP's and pynndescent's numba code once, outside the timings (pynndescent is
    # used above 4,096 documents, so the warm-up must be that large).
    fit_topics(make_segments(4_200 if n > 4_096 else 40, seed=99), codebook=codebook)
    segments = make_segments(n)
    with tempfile.TemporaryDirectory() as folder:
        cache = EmbeddingCache(folder)
        start = time.perf_counter()
        embed(segments["text"].tolist(), cache=cache)
        embed_s = time.perf_counter() - start
        start = time.perf_counter()
        result = fit_topics(segments, codebook=codebook, cache=cache)
        fit_s = time.perf_counter() - start
        cache.save()
        full_s = embed_s + fit_s
        more = pd.concat(
            [segments, make_segments(new, start=n, session_size=new)], ignore_index=True
        )
        more.loc[n:, "session_id"] = "s-new"
        cache = EmbeddingCache(folder)
        start = time.perf_counter()
        reason = needs_refit(result.topics, more)
        again = (
            extend_topics(result, more, cache=cache)
            if reason is None
            else fit_topics(more, codebook=codebook, cache=cache)
        )
        incremental_s = time.perf_counter() - start
        embedded_again = cache.added
        start = time.perf_counter()
        fit_topics(more, codebook=codebook, cache=cache)
        refit_s = time.perf_counter() - start
    return {
        "n": n,
        "embed_s": embed_s,
        "fit_s": fit_s,
        "full_s": full_s,
        "topics": int((result.topic_info["topic"] != -1).sum()),
        "incremental_s": incremental_s,
        "incremental_embedded": embedded_again,
        "incremental_mode": "extended" if reason is None else f"refit ({reason})",
        "incremental_topics": int((again.topic_info["topic"] != -1).sum()),
        "refit_s": refit_s,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000, 20_000])
    parser.add_argument("--new", type=int, default=300, help="segments in the added session")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.new)))
        return
    print(
        f"{'segments':>9} {'embed s':>8} {'fit s':>7} {'full s':>7} {'topics':>6} {'+new s':>7} {'embedded':>8} {'ratio':>6} {'refit s':>8} {'peak MB':>8}"
    )
    results = {}
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), "--new", str(args.new)],
            capture_output=True,
            text=True,
        )
        if out.returncode:
            print(f"{n:>9} failed: {out.stderr.strip().splitlines()[-1]}")
            continue
        r = results[n] = json.loads(out.stdout.strip().splitlines()[-1])
        ratio = r["incremental_s"] / r["full_s"]
        print(
            f"{n:>9} {r['embed_s']:>8.1f} {r['fit_s']:>7.1f} {r['full_s']:>7.1f} {r['topics']:>6} "
            f"{r['incremental_s']:>7.1f} {r['incremental_embedded']:>8} {ratio:>6.1%} {r['refit_s']:>8.1f} {r['peak_mb']:>8.0f}  {r['incremental_mode']}",
            flush=True,
        )
    print("\nTargets:")
    if 5_000 in results:
        r = results[5_000]
        print(
            f"  5k end to end: {r['full_s']:.1f} s (target < 60 s): {'met' if r['full_s'] < 60 else 'NOT met'}"
        )
        ratio = r["incremental_s"] / r["full_s"]
        print(
            f"  incremental run at 5k + {args.new}: {ratio:.1%} of the full run (target <= 25%): {'met' if ratio <= 0.25 else 'NOT met'}"
        )
    if 20_000 in results:
        peak = results[20_000]["peak_mb"]
        print(
            f"  peak at 20k: {peak:.0f} MB (target < 4096 MB): {'met' if peak < 4096 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
