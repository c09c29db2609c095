"""How often the shift tests flag a change: with none (false alarms) and with a real one.

Usage:
    .venv/bin/python benchmarks/simulate_shifts.py [--runs 1000] [--seed 0]

Simulated roundtables (:mod:`coprod_analysis.shifts.simulate`): 4 sessions, 4 themes, each
participant raising each theme with probability 0.3 and then putting it in 1–3 of their 3–10
contributions. Printed, for the test `coprod shifts` uses (participants as the unit, Fisher's
mid-p, Benjamini–Hochberg over every step and first-to-last change, flagged at q < 0.05) and
for the old one (segment shares, Newcombe interval excluding 0, no correction):

- null: no true change, 15 participants per session; the share of runs with any change
  flagged in any theme (target: at most 5%);
- null with one talkative participant per session (five times the contributions);
- planted: theme t0 rises by 20 points (0.3 to 0.5) from session 3; the share of runs in
  which a change in t0 is flagged, at 30 participants per session (issue 13's target: 80%) and
  more, to show how many people it takes;
- a bound: how often even a test that knows which theme changed and when, with no correction
  and one-sided, finds the planted change at 30 participants per session.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import numpy as np

    from coprod_analysis.shifts import theme_shifts
    from coprod_analysis.shifts.simulate import flags, segment_flags, simulate_sessions

    themes = ["t0", "t1", "t2", "t3"]
    null = [[0.3] * 4] * 4
    planted = [[0.3] * 4, [0.3] * 4, [0.5, 0.3, 0.3, 0.3], [0.5, 0.3, 0.3, 0.3]]
    cases = [
        ("null, 15 per session", null, 15, 0, None),
        ("null, 15, one talkative", null, 15, 1, None),
        *[
            (f"planted 20 points, {p} per session", planted, p, 0, "t0")
            for p in (30, 60, 90, 120, 150)
        ],
    ]
    print(f"{'case':<34} {'runs':>5} {'new test':>9} {'old test':>9} {'s/run':>6}")
    for name, rates, people, talkative, theme in cases:
        rng = np.random.default_rng(args.seed)
        new = old = 0
        start = time.perf_counter()
        for _ in range(args.runs):
            segments, tags = simulate_sessions(
                rates, participants=people, rng=rng, talkative=talkative
            )
            table = theme_shifts(segments, tags, theme_ids=themes)
            found, before = flags(table), segment_flags(table)
            new += found[theme] if theme else any(found.values())
            old += before[theme] if theme else any(before.values())
        seconds = (time.perf_counter() - start) / args.runs
        print(
            f"{name:<34} {args.runs:>5} {new / args.runs:>9.1%} {old / args.runs:>9.1%} {seconds:>6.3f}"
        )
    print_bound(args.seed)


def print_bound(seed: int, *, draws: int = 20_000, people: int = 30) -> None:
    """The best any test at 5% could do on the planted change: an upper bound on power.

    The oracle knows the theme and the session the change came in, so it needs no correction
    for many comparisons, tests one-sided, and pools the two sessions before against the two
    after (2 × ``people`` a side). Participants raise the theme with probability 0.3, then 0.5.
    """
    import numpy as np
    from scipy.stats import norm

    rng = np.random.default_rng(seed)
    for label, n in (("one step (30 v 30)", people), ("oracle, pooled (60 v 60)", 2 * people)):
        before, after = rng.binomial(n, 0.3, draws), rng.binomial(n, 0.5, draws)
        pooled = (before + after) / (2 * n)
        se = np.sqrt(pooled * (1 - pooled) * 2 / n)
        z = (after - before) / n / np.where(se > 0, se, 1.0)
        one, two = (z > norm.ppf(0.95)).mean(), (z > norm.ppf(0.975)).mean()
        print(
            f"bound: {label}, no correction, {draws} draws: one-sided {one:.1%}, two-sided {two:.1%}"
        )


if __name__ == "__main__":
    main()
