"""Proof by simulation that audited shares and changes are honest, however wrong the tagger.

Usage:
    .venv/bin/python benchmarks/simulate_audit.py [--runs 1000] [--seed 0] [--scenario all]

Simulated programmes (:func:`coprod_analysis.shifts.simulate.simulate_audit`, issue 25): 4
sessions of 60 participants with 2–6 contributions each; four themes whose contributions carry
them at rates 0.03, 0.08, 0.15 and 0.30 (each person with their own chance around that rate);
an audit of 15 participants per session, coded without error. Scenarios:

- ``errors``: a tagger with sensitivity 0.5 and a false-alarm rate rising from 0.05 in session 1
  to 0.30 in session 4, and no true change: the case where the tagger alone misleads;
- ``good``: a good tagger (sensitivity 0.8, false alarms 0.05), no true change: the audit's
  intervals should be narrower than the audit alone's;
- ``planted``: the ``errors`` tagger, and theme t1 rising from 0.08 to 0.25 in sessions 3–4
  (declared as session 3's focus).

For each: coverage of the true participant share (the share of that session's participants who
truly raised the theme) by the audit estimate's 95% interval, over all session × theme cells and
in the worst cell, beside the tagger-only interval's; coverage of the true change in the
participants' chance of raising the theme (each step and the first to the latest), likewise;
mean interval width against the audit alone's on the same sample; the share of runs flagging any
change (both families) where none is true; and, for ``planted``, how often the planted change
is found. The contribution view's coverage is printed too (it has no target).

Targets (issue 25): coverage at least 93% overall and 90% in every cell; audit intervals no
wider than the audit alone's, and narrower with a good tagger; with no true change, at most 5%
of runs flag any change.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np
import pandas as pd

from coprod_analysis.shifts import estimate_shares, theme_shifts
from coprod_analysis.shifts.simulate import raising_rate, simulate_audit

THEMES = ["t0", "t1", "t2", "t3"]
RATES = [0.03, 0.08, 0.15, 0.30]
SESSIONS = 4
SCENARIOS = {
    "errors": {"sensitivity": 0.5, "false_alarms": [0.05, 0.133, 0.217, 0.30], "planted": None},
    "good": {"sensitivity": 0.8, "false_alarms": [0.05] * 4, "planted": None},
    "planted": {
        "sensitivity": 0.5,
        "false_alarms": [0.05, 0.133, 0.217, 0.30],
        "planted": ("t1", 0.25),
    },
}


def rates_for(planted) -> list[list[float]]:
    """Each session's contribution rate per theme."""
    rows = [list(RATES) for _ in range(SESSIONS)]
    if planted:
        theme, rate = planted
        for s in (2, 3):
            rows[s][THEMES.index(theme)] = rate
    return rows


def true_shares(sim: dict) -> dict:
    """(session, theme) → the share of that session's participants who truly raised it."""
    people = sim["segments"].groupby("session_id")["speaker"].nunique()
    said = sim["truth"].merge(sim["segments"], on="segment_id")
    raised = said.groupby(["session_id", "theme"])["speaker"].nunique()
    return {(s, t): raised.get((s, t), 0) / people[s] for s in people.index for t in THEMES}


def true_contributions(sim: dict) -> dict:
    """(session, theme) → the share of that session's contributions truly about it."""
    total = sim["segments"].groupby("session_id").size()
    said = sim["truth"].merge(sim["segments"], on="segment_id")
    found = said.groupby(["session_id", "theme"]).size()
    return {(s, t): found.get((s, t), 0) / total[s] for s in total.index for t in THEMES}


def run(name: str, *, runs: int, seed: int) -> dict:
    """Run one scenario; return its figures."""
    spec = SCENARIOS[name]
    rates = rates_for(spec["planted"])
    chance = {
        (f"s{s + 1}", t): raising_rate(rates[s][i])
        for s in range(SESSIONS)
        for i, t in enumerate(THEMES)
    }
    declared = [(spec["planted"][0], "s3")] if spec["planted"] else [("t1", "s3")]
    rng = np.random.default_rng(seed)
    cover, tagger, width, alone = (defaultdict(list) for _ in range(4))
    change, contrib, naive = defaultdict(list), defaultdict(list), defaultdict(list)
    flagged, found = 0, 0
    for _ in range(runs):
        sim = simulate_audit(
            rates,
            participants=60,
            audit=15,
            sensitivity=spec["sensitivity"],
            false_alarms=spec["false_alarms"],
            rng=rng,
        )
        truth, truth_c = true_shares(sim), true_contributions(sim)
        table = theme_shifts(
            sim["segments"],
            sim["tagged"],
            checked=sim["checked"],
            theme_ids=THEMES,
            declared=declared,
        )
        blind = theme_shifts(sim["segments"], sim["tagged"], theme_ids=THEMES, declared=declared)
        solo = estimate_shares(
            sim["segments"], sim["tagged"].iloc[:0], sim["checked"], theme_ids=THEMES
        )
        raw = estimate_shares(sim["segments"], sim["tagged"], None, theme_ids=THEMES)
        per = estimate_shares(
            sim["segments"], sim["tagged"], sim["checked"], theme_ids=THEMES, unit="contribution"
        )
        for row, a, b, c, d in zip(
            table.itertuples(),
            solo.itertuples(),
            raw.itertuples(),
            per.itertuples(),
            blind.itertuples(),
            strict=True,
        ):
            key = (row.session_id, row.theme)
            true = truth[key]
            cover[key].append(row.participant_ci_low <= true <= row.participant_ci_high)
            width[key].append(row.participant_ci_high - row.participant_ci_low)
            alone[key].append(a.high - a.low)
            tagger[key].append(b.low <= true <= b.high)
            contrib[key].append(c.low <= truth_c[key] <= c.high)
            if row.change == row.change:
                before = f"s{int(row.session_id[1:]) - 1}"
                step = chance[key] - chance[(before, row.theme)]
                change[("step", *key)].append(row.change_low <= step <= row.change_high)
                naive[("step", *key)].append(d.change_low <= step <= d.change_high)
            if row.overall_change == row.overall_change:
                whole = chance[key] - chance[("s1", row.theme)]
                change[("overall", *key)].append(row.overall_low <= whole <= row.overall_high)
                naive[("overall", *key)].append(d.overall_low <= whole <= d.overall_high)
        stands = table["within_noise"].eq(False).fillna(False) | table["overall_within_noise"].eq(
            False
        ).fillna(False)
        flagged += bool(stands.any())
        if spec["planted"]:
            mine = table[table["theme"] == spec["planted"][0]]
            found += bool(
                mine["within_noise"].eq(False).fillna(False).any()
                | mine["overall_within_noise"].eq(False).fillna(False).any()
            )
    mean = lambda d: {k: float(np.mean(v)) for k, v in d.items()}  # noqa: E731
    return {
        "cover": mean(cover),
        "tagger": mean(tagger),
        "width": mean(width),
        "alone": mean(alone),
        "change": mean(change),
        "naive": mean(naive),
        "contribution": mean(contrib),
        "flagged": flagged / runs,
        "found": found / runs if spec["planted"] else None,
    }


def report(name: str, figures: dict, runs: int) -> None:
    """Print one scenario's figures, and whether each target is met."""
    cover, tagger, change = figures["cover"], figures["tagger"], figures["change"]
    width, alone = figures["width"], figures["alone"]
    ratios = {k: width[k] / alone[k] for k in width if alone[k]}
    print(f"\n== {name} ({runs} runs) ==")
    table = pd.DataFrame(
        [
            {
                "session": k[0],
                "theme": k[1],
                "coverage": cover[k],
                "tagger only": tagger[k],
                "width": width[k],
                "audit alone": alone[k],
            }
            for k in cover
        ]
    ).set_index(["session", "theme"])
    print(table.round(3).to_string())
    low, mean_cover = min(cover.values()), float(np.mean(list(cover.values())))
    print(
        f"share coverage: {mean_cover:.3f} overall, {low:.3f} worst cell "
        f"({'met' if mean_cover >= 0.93 and low >= 0.90 else 'NOT met'}: ≥ 0.93 and ≥ 0.90); "
        f"tagger only {np.mean(list(tagger.values())):.3f} overall, {min(tagger.values()):.3f} worst"
    )
    steps = {k: v for k, v in change.items() if k[0] == "step"}
    overall = {k: v for k, v in change.items() if k[0] == "overall"}
    every = list(change.values())
    print(
        f"change coverage: {np.mean(every):.3f} overall, {min(every):.3f} worst cell "
        f"(steps {np.mean(list(steps.values())):.3f}, first to latest "
        f"{np.mean(list(overall.values())):.3f}) "
        f"({'met' if np.mean(every) >= 0.93 and min(every) >= 0.90 else 'NOT met'}); "
        f"tagger only {np.mean(list(figures['naive'].values())):.3f} overall, "
        f"{min(figures['naive'].values()):.3f} worst"
    )
    wider = sum(r > 1 + 1e-9 for r in ratios.values())
    print(
        f"width against the audit alone: mean ratio {np.mean(list(ratios.values())):.3f}, "
        f"largest {max(ratios.values()):.3f}, {wider} of {len(ratios)} cells wider "
        f"({'met' if not wider else 'NOT met'})"
    )
    contribution = list(figures["contribution"].values())
    print(
        f"contribution view coverage: {np.mean(contribution):.3f} overall, "
        f"{min(contribution):.3f} worst cell (no target)"
    )
    if figures["found"] is None:
        print(
            f"runs flagging any change (none is true): {figures['flagged']:.3f} "
            f"({'met' if figures['flagged'] <= 0.05 else 'NOT met'}: ≤ 0.05)"
        )
    else:
        print(
            f"runs finding the planted change in t1: {figures['found']:.3f}; flagging any change: "
            f"{figures['flagged']:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    args = parser.parse_args()
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    for name in names:
        start = time.perf_counter()
        figures = run(name, runs=args.runs, seed=args.seed)
        report(name, figures, args.runs)
        print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
