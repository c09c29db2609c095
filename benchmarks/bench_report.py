"""Benchmark `coprod report` as an evaluator runs it: a first full run, a re-run, one more session.

Usage:
    .venv/bin/python benchmarks/bench_report.py
    .venv/bin/python benchmarks/bench_report.py --keep    # keep the temporary project to look at

The project (config/, notebooks/, data/raw/) is copied into a temporary folder, so the
working tree's data/processed and reports are not touched, and `coprod report` runs there
three times, each in its own process:

1. first full run: empty data/processed, so nothing is cached (embeddings, classifier, topics);
2. re-run with nothing changed (the warm `make report` an evaluator sees);
3. one more session added (a new folder and a row in sessions.csv), with the caches of run 2.

The added session has new facilitator notes (roundtable statements from the test data, spoken
by the sample's participants) and a copy of the last session's survey. Each run prints its
wall time, the time per stage from `coprod report`'s summary, and the peak memory of its
largest process (the CLI or a notebook kernel).

Targets (issue 6): run 2 under 90 s on 2 cores; run 3 faster than run 1, with the ratio.
Issue 12: run 1 (training included) under 6 minutes; run 2 under 60 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPROD = Path(sys.executable).with_name("coprod")
ADDED = "s5-bench-added"
# Runs `coprod report` in a fresh process and reports the peak RSS of its largest descendant.
_WRAP = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": done.returncode, "out": done.stdout, "err": done.stderr,
                  "seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def make_project(where: Path) -> Path:
    """Copy config/, notebooks/, data/raw/ and the labelled statements into a fresh project."""
    root = where / "project"
    shutil.copytree(
        ROOT / "config", root / "config", ignore=shutil.ignore_patterns("pseudonym.key")
    )
    shutil.copytree(
        ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    # What config/project.yml points at: the labelled statements it trains and is measured on.
    shutil.copytree(ROOT / "data" / "labelled", root / "data" / "labelled")
    # What a clone has besides: the audit plan and the shipped models (scripts/build_models.py).
    for folder in ("coding", "models"):
        if (ROOT / "data" / folder).is_dir():
            shutil.copytree(ROOT / "data" / folder, root / "data" / folder)
    (root / "tests" / "data").mkdir(parents=True)
    for path in (ROOT / "tests" / "data").glob("*_statements.csv"):
        shutil.copy(path, root / "tests" / "data" / path.name)
    for folder in ("data/processed", "reports"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    return root


def add_session(root: Path, *, turns: int = 90, seed: int = 5) -> None:
    """Add one roundtable: new facilitator notes and a survey, plus its row in sessions.csv."""
    raw = root / "data" / "raw"
    with (raw / "sessions.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    last = rows[-1]
    pool = list(
        csv.DictReader((ROOT / "config" / "written" / "dev3_statements.csv").open(encoding="utf-8"))
    )
    speakers = sorted(
        set(
            re.findall(
                r"^([A-Z][a-z]+ [A-Z][A-Za-z]+):",
                (raw / last["session_id"] / "facilitator-notes.md").read_text("utf-8"),
                re.M,
            )
        )
    )
    rng = random.Random(seed)
    folder = raw / ADDED
    folder.mkdir()
    lines = ["# Roundtable 5 – added for the benchmark", "", "## Open discussion", ""]
    for _ in range(turns):
        lines += [f"{rng.choice(speakers)}: {rng.choice(pool)['text']}", ""]
    (folder / "facilitator-notes.md").write_text("\n".join(lines), encoding="utf-8")
    survey = next(
        p for p in sorted((raw / last["session_id"]).iterdir()) if p.name.startswith("survey")
    )
    shutil.copy(survey, folder / survey.name)
    rows.append(
        {**last, "session_id": ADDED, "date": "2024-09-10", "title": "Added for the benchmark"}
    )
    with (raw / "sessions.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def run_report(root: Path) -> dict:
    """Run `coprod report` in the project; return wall time, stage times, counts and peak memory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPROD_")}
    env["COPROD_ROOT"] = str(root)
    env["COPROD_PSEUDONYM_KEY"] = "6265" * 16  # a fixed benchmark key: no key file is written
    done = subprocess.run(
        [sys.executable, "-c", _WRAP, str(COPROD), "report"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        sys.exit(
            f"coprod report failed ({result['rc']}): {result['err'].strip().splitlines()[-1:]}"
        )
    stages = dict(re.findall(r"^  (\w+)\s+([\d.]+) s  \d+ warning", result["out"], re.M))
    counts = re.search(r"(\d+) sessions, (\d+) segments", result["out"])
    return {
        "seconds": result["seconds"],
        "peak_mb": result["peak_mb"],
        "stages": {k: float(v) for k, v in stages.items()},
        "sessions": int(counts.group(1)) if counts else None,
        "segments": int(counts.group(2)) if counts else None,
    }


def main() -> None:
    """Run the three reports and print their figures and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()
    where = Path(tempfile.mkdtemp(prefix="coprod-bench-report-"))
    root = make_project(where)
    runs = {}
    try:
        for name in ("first full run", "re-run, nothing changed", "one more session"):
            if name == "one more session":
                add_session(root)
            started = time.perf_counter()
            runs[name] = run_report(root)
            print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print(f"project kept at {root}", file=sys.stderr)
        else:
            shutil.rmtree(where, ignore_errors=True)

    stage_names = list(next(iter(runs.values()))["stages"])
    print(
        f"{'run':<26}{'sessions':>9}{'segments':>9}{'wall s':>8}"
        + "".join(f"{s:>11}" for s in stage_names)
        + f"{'peak MB':>9}"
    )
    for name, r in runs.items():
        print(
            f"{name:<26}{r['sessions']:>9}{r['segments']:>9}{r['seconds']:>8.1f}"
            + "".join(f"{r['stages'].get(s, float('nan')):>11.1f}" for s in stage_names)
            + f"{r['peak_mb']:>9.0f}"
        )
    first, warm, added = (runs[k]["seconds"] for k in runs)
    print("\nTargets:")
    print(
        f"  first full run, training included, under 6 minutes (issue 12): {first:.1f} s "
        f"({'met' if first < 360 else 'NOT met'}; setting up the environment not included)"
    )
    print(
        f"  warm `make report` on the sample under 60 s (issue 12; 90 s in issue 6): {warm:.1f} s "
        f"({'met' if warm < 60 else 'NOT met'})"
    )
    print(
        f"  one more session, warm caches, faster than the first full run: {added:.1f} s vs {first:.1f} s, "
        f"ratio {added / first:.2f} ({'met' if added < first else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
