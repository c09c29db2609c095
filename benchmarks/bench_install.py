"""Benchmark the install `make setup` does: pip alone against uv (with pip for torch).

Usage:
    .venv/bin/python benchmarks/bench_install.py            # both, pip first
    .venv/bin/python benchmarks/bench_install.py --only uv

Each way builds a new venv in a temporary folder with no download cache (``--no-cache-dir``,
``uv --no-cache``), as on a fresh machine, and installs what ``make setup`` installs:

* ``pip``: ``pip install torch==2.13.0`` then ``pip install -e .[dev]``;
* ``uv``: ``pip install torch==2.13.0`` (uv does not look at the CPU build this machine keeps
  on disk and would download a CUDA build of several GB), then ``pip install uv`` and
  ``uv pip install -e .[dev]``.

It prints each step's seconds, the total, and the ratio of the two totals (the machine is
noisy: compare within one run).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"error: {' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def install(way: str, folder: Path) -> dict[str, float]:
    """Install the project one way into a new venv; return each step's seconds."""
    env = {**os.environ, "PIP_NO_CACHE_DIR": "1", "UV_NO_CACHE": "1"}
    venv = folder / way
    steps = {"venv": _timed([sys.executable, "-m", "venv", str(venv)], env)}
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet"]
    steps["torch (pip)"] = _timed([*pip, "torch==2.13.0"], env)
    if way == "pip":
        steps["project (pip)"] = _timed([*pip, "-e", ".[dev]"], env)
    else:
        steps["uv (pip)"] = _timed([*pip, "uv"], env)
        uv = str(venv / "bin" / "uv")
        steps["project (uv)"] = _timed(
            [uv, "pip", "install", "--quiet", "--python", python, "-e", ".[dev]"], env
        )
    return steps


def main() -> None:
    """Time each way and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["pip", "uv"])
    args = parser.parse_args()
    ways = [args.only] if args.only else ["pip", "uv"]
    totals = {}
    with tempfile.TemporaryDirectory(prefix="coprod-install-") as folder:
        for way in ways:
            steps = install(way, Path(folder))
            totals[way] = sum(steps.values())
            shown = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())
            print(f"{way}: {totals[way]:.1f} s ({shown})", flush=True)
    if len(totals) == 2:
        print(f"uv / pip: {totals['uv'] / totals['pip']:.2f} (cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()
