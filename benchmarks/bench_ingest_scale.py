"""Benchmark `coprod ingest` on one very long notes file, with names mentioned in passing.

Usage:
    .venv/bin/python benchmarks/bench_ingest_scale.py                  # 200,000 speaker turns
    .venv/bin/python benchmarks/bench_ingest_scale.py --turns 20000    # a quick run
    .venv/bin/python benchmarks/bench_ingest_scale.py --keep           # keep the project

A project is made in a temporary folder (never in data/raw): the working tree's config/ and a
data/raw/ with one session whose facilitator-notes.md has ``--turns`` speaker turns. Each turn
is one or two sentences of the roundtable statements in config/training_statements*.csv
(about 90 characters), said by one of twelve speakers, under a "## Table n" heading every
1,000 turns. One turn in ``--every`` also
mentions a person who never speaks ("I spoke to Morag Campbell about it"): a first name and
surname drawn from ``--names`` distinct ones (Faker's British and Irish names, seeded), none
of whose words the statements use or a speaker has.

`coprod ingest` runs on it in its own process (COPROD_ROOT set to the project, a fixed
pseudonym key in COPROD_PSEUDONYM_KEY), and the benchmark prints its wall time, the peak
memory of that process, the number of segments, and the recall on planted names: the share
of planted mentions of which neither the first name nor the surname is left (in any case) in
the text of the segment they were planted in. The share whose full name is gone is printed too.

Target (issue 26, item 6): 200,000 turns ingested in at most 60 s at at most 1.5 GB peak
memory on 2 cores, planted names still redacted.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

from bench_report import COPROD, run_report  # benchmarks/ is on the path when run

ROOT = Path(__file__).resolve().parents[1]
SESSION = "s1-bench-scale"
SPEAKERS = [
    "Shona Fraser", "Euan MacLeod", "Elspeth Cowie", "Sandy Grant", "Priya Nair",
    "Tomasz Nowak", "Fiona Baird", "Kwame Mensah", "Ailsa Morrison", "Declan Byrne",
    "Nadia Hussain", "Rory Munro",
]  # fmt: skip
# How a person who never speaks is mentioned in passing, before or after the statement.
TEMPLATES = [
    "I spoke to {name} about it.",
    "We should ask {name} at the council.",
    "{name} from the housing team said the same thing.",
    "My colleague {name} ran something similar last year.",
    "Thanks to {name} for sorting the room.",
    "{name} agreed with that.",
    "There was a good example from {name} in Dundee.",
    "I'll email {name} afterwards.",
]


def sentences() -> list[str]:
    """Return the sentences of the roundtable statements in config/training_statements*.csv."""
    found = []
    for path in sorted((ROOT / "config").glob("training_statements*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                found += re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", " ".join(row["text"].split()))
    return sorted({s for s in found if s})


def planted_names(pool: list[str], *, n: int, seed: int) -> list[tuple[str, str]]:
    """Return ``n`` distinct (first name, surname) pairs that share no word with the pool."""
    from faker import Faker

    used = {w.casefold() for text in pool for w in re.findall(r"[^\W\d_]+", text)}
    used |= {w.casefold() for name in SPEAKERS for w in name.split()}
    fake = Faker(["en_GB", "en_IE"])
    fake.seed_instance(seed)
    names: dict[str, tuple[str, str]] = {}
    for _ in range(n * 200):
        first, last = fake.first_name(), fake.last_name()
        words = (first, last)
        if all(w.isalpha() and w.casefold() not in used for w in words):
            names.setdefault(f"{first} {last}", words)
        if len(names) == n:
            break
    return list(names.values())


def make_project(
    where: Path, *, turns: int, every: int, n_names: int, seed: int
) -> tuple[Path, list[tuple[int, str, str]]]:
    """Make the project; return its root and each planted mention's (offset, first, last)."""
    root = where / "project"
    shutil.copytree(
        ROOT / "config", root / "config", ignore=shutil.ignore_patterns("pseudonym.key")
    )
    raw = root / "data" / "raw"
    (raw / SESSION).mkdir(parents=True)
    (root / "data" / "processed").mkdir(parents=True)
    (raw / "sessions.csv").write_text(
        "session_id,date,title,venue,facilitators\n"
        f"{SESSION},2024-09-10,Ingest at scale,Aberdeen community hall,Amina Rahman\n",
        encoding="utf-8",
    )
    pool = sentences()
    names = planted_names(pool, n=n_names, seed=seed)
    rng = random.Random(seed)
    parts = ["# Roundtable – ingest at scale\n\n"]
    offset = len(parts[0])
    planted: list[tuple[int, str, str]] = []
    for i in range(turns):
        if i % 1000 == 0:
            heading = f"## Table {i // 1000 + 1}\n\n"
            parts.append(heading)
            offset += len(heading)
        head = f"{rng.choice(SPEAKERS)}: "
        # One sentence, or two (a turn is about 90 characters, as in the notes of the issue).
        text = " ".join(rng.choices(pool, k=rng.choice((1, 1, 1, 2))))
        if i % every == every // 2:
            first, last = rng.choice(names)
            mention = rng.choice(TEMPLATES).format(name=f"{first} {last}")
            before = rng.random() < 0.5
            text = f"{mention} {text}" if before else f"{text} {mention}"
            at = offset + len(head) + text.index(f"{first} {last}")
            planted.append((at, first, last))
        line = f"{head}{text}\n\n"
        parts.append(line)
        offset += len(line)
    (raw / SESSION / "facilitator-notes.md").write_text("".join(parts), encoding="utf-8")
    return root, planted


def recall(root: Path, planted: list[tuple[int, str, str]]) -> dict:
    """Return the segments count and how many planted mentions are gone from their segment."""
    import pandas as pd

    segments = pd.read_parquet(root / "data" / "processed" / "segments.parquet")
    notes = segments[segments["source_file"].str.endswith("facilitator-notes.md")]
    notes = notes.sort_values("char_start")
    starts = notes["char_start"].tolist()
    ends = notes["char_end"].tolist()
    texts = notes["text"].tolist()
    caught = full_gone = unplaced = 0
    for at, first, last in planted:
        i = bisect.bisect_right(starts, at) - 1
        if i < 0 or at >= ends[i]:
            unplaced += 1
            continue
        text = texts[i]
        left = [w for w in (first, last) if re.search(rf"(?<!\w){w}(?!\w)", text, re.I)]
        caught += not left
        full_gone += re.search(rf"{first}\s+{last}", text, re.I) is None
    return {
        "segments": len(segments),
        "names_in_text": int(segments["text"].str.count(re.escape("[NAME]")).sum()),
        "planted": len(planted),
        "caught": caught,
        "full_gone": full_gone,
        "unplaced": unplaced,
    }


def main() -> None:
    """Make the project, ingest it, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200_000, help="speaker turns in the notes")
    parser.add_argument("--every", type=int, default=20, help="one turn in this many has a name")
    parser.add_argument("--names", type=int, default=300, help="distinct planted names")
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()
    where = Path(tempfile.mkdtemp(prefix="coprod-bench-ingest-"))
    try:
        root, planted = make_project(
            where, turns=args.turns, every=args.every, n_names=args.names, seed=args.seed
        )
        size = (root / "data" / "raw" / SESSION / "facilitator-notes.md").stat().st_size
        print(
            f"notes: {args.turns:,} turns, {size / 1e6:.1f} MB, {len(planted):,} planted mentions",
            file=sys.stderr,
            flush=True,
        )
        run = run_report(root, [str(COPROD), "ingest"])  # wall time and peak memory
        found = recall(root, planted)
    finally:
        if args.keep:
            print(f"project kept at {where / 'project'}", file=sys.stderr)
        else:
            shutil.rmtree(where, ignore_errors=True)
    placed = found["planted"] - found["unplaced"]
    print(
        f"{'turns':>8}{'segments':>10}{'wall s':>9}{'peak MB':>9}{'planted':>9}"
        f"{'recall':>9}{'full name gone':>16}{'[NAME]s':>9}"
    )
    print(
        f"{args.turns:>8}{found['segments']:>10}{run['seconds']:>9.1f}{run['peak_mb']:>9.0f}"
        f"{placed:>9}{found['caught'] / max(placed, 1):>9.1%}"
        f"{found['full_gone'] / max(placed, 1):>16.1%}{found['names_in_text']:>9}"
    )
    if found["unplaced"]:
        print(f"  {found['unplaced']} planted mentions fell outside every segment")
    print(
        f"Target (issue 26): at most 60 s and 1,500 MB for 200,000 turns: "
        f"{'met' if run['seconds'] <= 60 and run['peak_mb'] <= 1500 else 'NOT met'}"
        f" at {args.turns:,} turns"
    )


if __name__ == "__main__":
    main()
