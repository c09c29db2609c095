"""Proof by simulation: no true change is rarely flagged; a real one is found with enough people."""

import numpy as np
import pytest

from coprod_analysis.shifts import theme_shifts
from coprod_analysis.shifts.simulate import flags, segment_flags, simulate_sessions

THEMES = ["t0", "t1", "t2", "t3"]
NULL = [[0.3] * 4] * 4
PLANTED = [[0.3] * 4, [0.3] * 4, [0.5, 0.3, 0.3, 0.3], [0.5, 0.3, 0.3, 0.3]]


def rate(rates, *, participants, runs, talkative=0, seed=0, theme=None, old=False, declared=()):
    """Share of runs with a change flagged (in any theme, or in ``theme``)."""
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(runs):
        segments, tags = simulate_sessions(
            rates, participants=participants, rng=rng, talkative=talkative
        )
        table = theme_shifts(segments, tags, theme_ids=THEMES, declared=declared)
        found = (segment_flags if old else flags)(table)
        hits += found[theme] if theme else any(found.values())
    return hits / runs


INTO_S3 = [("t0", "s3")]  # the planted change, declared in advance as a session's focus would


@pytest.mark.parametrize(
    ("rates", "participants", "talkative", "theme", "declared", "runs", "low", "high"),
    [
        (NULL, 15, 0, None, (), 100, 0.0, 0.05),  # no true change: at most 5% of runs flag any
        (NULL, 15, 1, None, (), 100, 0.0, 0.08),  # one talkative participant per session
        (NULL, 15, 0, None, INTO_S3, 100, 0.0, 0.05),  # one declared, the rest exploratory
        (PLANTED, 150, 0, "t0", INTO_S3, 50, 0.80, 1.0),  # 20 points, declared, 150 a session
    ],
)
def test_flag_rates(rates, participants, talkative, theme, declared, runs, low, high):
    found = rate(
        rates,
        participants=participants,
        talkative=talkative,
        theme=theme,
        runs=runs,
        declared=declared,
    )
    assert low <= found <= high


def test_the_old_segment_test_cried_wolf():
    assert rate(NULL, participants=15, runs=40, old=True) > 0.5
