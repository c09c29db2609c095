"""Benchmark topic labels: how many carry note-taking, facilitation or calendar words, before and after.

Usage:
    .venv/bin/python benchmarks/topic_labels.py                  # the sample in data/processed
    COPROD_PROCESSED=/some/copy .venv/bin/python benchmarks/topic_labels.py

The processed folder (``COPROD_PROCESSED``, else ``data/processed``) is copied to a temporary
folder and topics are fitted there in memory with the project's settings, so nothing in it is
written (not even the embedding cache). From that one fit it prints:

* BEFORE, the plain c-TF-IDF top words: the label was the first three (what ``fit_topics`` used
  to give) and an emergent topic's suggested codebook keywords were its top ten words not in
  the codebook, eight at most;
* AFTER, the new ``label`` (a phrase), ``word_label`` and ``suggested_keywords``;

with, for each, the share (k/n) of labels and of suggested keywords holding a stop-listed word
(a facilitation, filler, calendar or number word, a contraction fragment or a digit, see
``coprod_analysis.topics.stoplist``; English stop words such as "the" do not count), the same
for every topic's ten keywords, and the labels side by side.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path


def share(values: list[str]) -> str:
    """k/n (percent) of values holding a stop-listed word."""
    from coprod_analysis.topics.stoplist import noise_words

    n = len(values)
    k = sum(bool(noise_words(v)) for v in values)
    return f"{k}/{n} ({k / n:.0%})" if n else "0/0 (-)"


def terms(column) -> list[str]:
    """The comma-separated terms of a column, all rows together."""
    return [t.strip() for cell in column for t in str(cell or "").split(",") if t.strip()]


def main() -> None:
    """Fit topics on a copy of the processed data and print the before/after comparison."""
    import pandas as pd

    from coprod_analysis.config import paths
    from coprod_analysis.pipeline.base import context
    from coprod_analysis.pipeline.topics import fit_project_topics
    from coprod_analysis.topics.describe import known_words

    source = paths().processed
    with tempfile.TemporaryDirectory(prefix="topic-labels-") as tmp:
        copy = Path(tmp) / "processed"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("topic_model"))
        os.environ["COPROD_PROCESSED"] = str(copy)
        ctx = context(paths())
        corpus, codebook = ctx.corpus, ctx.codebook
        start = time.perf_counter()
        result = fit_project_topics(ctx)
        seconds = time.perf_counter() - start
    if not result:
        raise SystemExit(result.message)

    info = result.topic_info[result.topic_info["topic"] != -1].reset_index(drop=True)
    known = known_words(codebook)
    top = info["top_words"].map(lambda s: [w.strip() for w in s.split(",")])
    before_label = top.map(lambda ws: ", ".join(ws[:3]))
    before_suggested = [
        ", ".join([w for w in ws if not set(w.split()) <= known][:8]) if emergent else ""
        for ws, emergent in zip(top, info["emergent"], strict=True)
    ]

    print(f"source: {source} (copied; {len(corpus.segments)} segments)")
    print(
        f"fit_topics: {seconds:.1f} s, {len(info)} topics, {int(info['emergent'].sum())} emergent"
    )
    print(f"facilitation topics: {info.loc[info['facilitation'], 'topic'].tolist()}")
    print()
    print("share holding a stop-listed or calendar word   BEFORE        AFTER")
    rows = [
        ("topic labels (phrase)", before_label.tolist(), info["label"].tolist()),
        ("topic labels (words)", before_label.tolist(), info["word_label"].tolist()),
        ("suggested keywords (terms)", terms(before_suggested), terms(info["suggested_keywords"])),
        ("topic keywords, 10 per topic (terms)", terms(info["top_words"]), terms(info["keywords"])),
    ]
    for name, before, after in rows:
        print(f"  {name:<43} {share(before):<13} {share(after)}")
    print()
    side = pd.DataFrame(
        {
            "topic": info["topic"],
            "size": info["size"],
            "fac": info["facilitation"].map({True: "yes", False: ""}),
            "before (c-TF-IDF top 3)": before_label,
            "after: label": info["label"],
            "after: word_label": info["word_label"],
        }
    )
    print(side.to_string(index=False))
    print()
    for topic, before, after in zip(
        info["topic"], before_suggested, info["suggested_keywords"], strict=True
    ):
        if before or after:
            print(f"topic {topic} suggested keywords\n  before: {before}\n  after:  {after}")


if __name__ == "__main__":
    main()
