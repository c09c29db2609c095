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

With ``--clone`` the project is a fresh ``git clone`` of the last commit and each run is
``make report``, so the first one includes the install (a new .venv; pip's download cache on
this machine is kept, as a newcomer's machine may not have it), and ``make test`` follows.

Targets (issue 26, 2 cores): first run, install included, <= 240 s; warm <= 20 s; a new fifth
session <= 60 s; peak memory <= 1.5 GB; make test <= 300 s.
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


def run_report(root: Path, command: list[str] | None = None) -> dict:
    """Run `coprod report` (or ``command``) in the project; return wall time, stage times,
    counts and peak memory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPROD_", "VIRTUAL_ENV"))}
    if command != ["make", "test"]:  # the tests set their own root and key
        env["COPROD_ROOT"] = str(root)
        env["COPROD_PSEUDONYM_KEY"] = "6265" * 16  # a fixed benchmark key: no key file written
    done = subprocess.run(
        [sys.executable, "-c", _WRAP, *(command or [str(COPROD), "report"])],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        tail = (result["out"] + result["err"]).strip().splitlines()[-5:]
        sys.exit(f"{' '.join(command or ['coprod report'])} failed ({result['rc']}): {tail}")
    stages = dict(re.findall(r"^  (\w+)\s+([\d.]+) s  \d+ warning", result["out"], re.M))
    counts = re.search(r"(\d+) sessions, (\d+) segments", result["out"])
    passed = re.search(r"(\d+) passed", result["out"])
    return {
        "seconds": result["seconds"],
        "peak_mb": result["peak_mb"],
        "stages": {k: float(v) for k, v in stages.items()},
        "sessions": int(counts.group(1)) if counts else None,
        "segments": int(counts.group(2)) if counts else None,
        "passed": int(passed.group(1)) if passed else None,
    }


def clone(where: Path) -> Path:
    """A fresh clone of this repository's last commit, as a newcomer gets it."""
    root = where / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(root)], check=True)
    return root


def main() -> None:
    """Run the reports (and, from a clone, make test) and print their figures and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    parser.add_argument(
        "--clone",
        action="store_true",
        help="from a fresh git clone with make: the install included, then make test",
    )
    args = parser.parse_args()
    where = Path(tempfile.mkdtemp(prefix="coprod-bench-report-"))
    root = clone(where) if args.clone else make_project(where)
    report = ["make", "report"] if args.clone else None
    # make test runs on the clone as committed, before the benchmark adds a session to it
    steps = ["first full run", "re-run, nothing changed", "make test", "one more session"]
    runs = {}
    try:
        for name in [step for step in steps if args.clone or step != "make test"]:
            if name == "one more session":
                add_session(root)
            started = time.perf_counter()
            runs[name] = run_report(root, ["make", "test"] if name == "make test" else report)
            print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print(f"project kept at {root}", file=sys.stderr)
        else:
            shutil.rmtree(where, ignore_errors=True)
    show(runs, cores=os.cpu_count(), install=args.clone)


def show(runs: dict, *, cores: int | None, install: bool) -> None:
    """Print the table of runs and the issue 26 targets."""
    stage_names = list(runs["first full run"]["stages"])
    print(
        f"{'run':<26}{'sessions':>9}{'segments':>9}{'wall s':>8}"
        + "".join(f"{s:>11}" for s in stage_names)
        + f"{'peak MB':>9}"
    )
    for name, r in runs.items():
        print(
            f"{name:<26}{r['sessions'] or '':>9}{r['segments'] or '':>9}{r['seconds']:>8.1f}"
            + "".join(f"{r['stages'].get(s, float('nan')):>11.1f}" for s in stage_names)
            + f"{r['peak_mb']:>9.0f}"
        )
    first, warm, added = (
        runs[k]["seconds"]
        for k in ("first full run", "re-run, nothing changed", "one more session")
    )
    peak = max(r["peak_mb"] for name, r in runs.items() if name != "make test")
    how = "make report from a fresh clone, install included" if install else "coprod report"

    def said(value: float, limit: float) -> str:
        return "met" if value <= limit else "NOT met"

    print(f"\nTargets (issue 26), {cores} cores, {how}:")
    print(f"  first run <= 240 s: {first:.1f} s ({said(first, 240)})")
    print(f"  warm run, nothing changed, <= 20 s: {warm:.1f} s ({said(warm, 20)})")
    print(f"  a new fifth session <= 60 s: {added:.1f} s ({said(added, 60)})")
    print(f"  peak memory of a report <= 1,536 MB: {peak:.0f} MB ({said(peak, 1536)})")
    if "make test" in runs:
        tests = runs["make test"]
        print(
            f"  make test <= 300 s: {tests['seconds']:.1f} s, {tests['passed']} passed "
            f"({said(tests['seconds'], 300)})"
        )


if __name__ == "__main__":
    main()
