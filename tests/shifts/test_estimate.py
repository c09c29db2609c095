"""Shares from checked codes, an audit, or the tagger alone: cases worked by hand, and PPI."""

import numpy as np
import pandas as pd
import pytest
from ppi_py import ppi_mean_ci, ppi_mean_pointestimate

from coprod_analysis.shifts.estimate import estimate_shares
from coprod_analysis.shifts.simulate import simulate_audit
from coprod_analysis.shifts.stats import wilson


def programme(people):
    """One session: ``people`` is a list of (tagger says, truth, checked, audit), one per person.

    Each person makes one contribution; ``truth`` only matters where it is checked.
    """
    segments = pd.DataFrame(
        {
            "segment_id": [f"c{i}" for i in range(len(people))],
            "session_id": "s1",
            "speaker": [f"P-{i}" for i in range(len(people))],
        }
    )
    tags = pd.DataFrame(
        [{"segment_id": f"c{i}", "theme": "power"} for i, (said, *_) in enumerate(people) if said],
        columns=["segment_id", "theme"],
    )
    checked = pd.DataFrame(
        [
            {"segment_id": f"c{i}", "themes": "power" if true else "", "audit": audit}
            for i, (_, true, done, audit) in enumerate(people)
            if done
        ],
        columns=["segment_id", "themes", "audit"],
    )
    return segments, tags, checked


YES, NO = (True, False, False, False), (False, False, False, False)  # the tagger only


@pytest.mark.parametrize(
    ("people", "share", "low", "high", "method", "n_checked"),
    [
        # every contribution checked: an exact count, whatever the tagger said
        ([(True, True, True, False), (True, False, True, False)] * 2, 0.5, 0.5, 0.5, "checked", 4),
        # nobody checked: the tagger's count, with a Wilson interval (chance only)
        ([YES, NO, NO, NO], 0.25, *wilson(1, 4), "unchecked", 0),
        # a contribution checked for another reason replaces the tagger's code for itself
        # (here the tagger missed it), but is no random sample: still unchecked
        ([YES, (False, True, True, False), NO, NO], 0.5, *wilson(2, 4), "unchecked", 1),
        ([(True, False, True, False), NO, NO, NO], 0.0, *wilson(0, 4), "unchecked", 1),
        # an audit of two, one in each of the tagger's groups, and the split helps (spread 0.75
        # against 1.0 alone): each unchecked person counted at their group's rate; the exact
        # interval from the two beta-binomials, Beta(1½, ½) and Beta(½, 1½) (worked by hand:
        # P(total = 1, 2, 3) = 0.188, 0.625, 0.188, so 1/4 to 3/4)
        (
            [(True, True, True, True), (False, False, True, True), YES, NO],
            0.5,
            0.25,
            0.75,
            "audit",
            2,
        ),
        # one audited person in each of the tagger's groups: splitting is less sure than the
        # audit alone (spread 1.50 against 1.04), so the tuning uses the audit alone, where
        # none of 2 raised it: Beta(½, 2½) for the 3 unchecked, P(all 3) = 0.031, so up to 3/5
        (
            [(True, False, True, True), (False, False, True, True), YES, YES, NO],
            0.0,
            0.0,
            0.6,
            "audit",
            2,
        ),
        # all three audited raised it, whatever the tagger said: its split tells nothing the
        # audit alone does not, so the tuning keeps the audit alone (spread 1.97 against 3.33
        # split), and the interval is narrower for it (5/9 to 1; split, it would be 4/9 to 1)
        (
            [(True, True, True, True)] * 2 + [(False, True, True, True)] + [YES] * 6,
            1.0,
            5 / 9,
            1.0,
            "audit",
            3,
        ),
        # an audit all in one group of the tagger's: the audit alone (Jeffreys)
        ([(True, True, True, True), (True, True, True, True), YES, NO], 1.0, 0.5, 1.0, "audit", 2),
    ],
)
def test_participant_shares_by_how_they_were_checked(people, share, low, high, method, n_checked):
    segments, tags, checked = programme(people)
    [row] = estimate_shares(segments, tags, checked).to_dict("records")
    assert row["method"] == method and row["n_checked"] == n_checked
    assert row["n_total"] == len(people)
    assert row["share"] == pytest.approx(share)
    assert (row["low"], row["high"]) == pytest.approx((low, high))


def test_a_participant_is_counted_once_however_many_contributions():
    segments = pd.DataFrame(
        {"segment_id": ["a", "b", "c"], "session_id": "s1", "speaker": ["P-1", "P-1", "P-2"]}
    )
    tags = pd.DataFrame({"segment_id": ["a", "b"], "theme": ["power", "power"]})
    [row] = estimate_shares(segments, tags, None).to_dict("records")
    assert (row["share"], row["n_total"]) == (0.5, 2)
    [row] = estimate_shares(segments, tags, None, unit="contribution").to_dict("records")
    assert row["share"] == pytest.approx(2 / 3) and row["n_total"] == 3


def test_facilitators_and_unattributed_notes_are_not_participants():
    segments = pd.DataFrame(
        {
            "segment_id": ["a", "b", "c"],
            "session_id": "s1",
            "speaker": ["P-1", "Facilitator", None],
        }
    )
    tags = pd.DataFrame({"segment_id": ["b", "c"], "theme": ["power", "power"]})
    [row] = estimate_shares(segments, tags, None).to_dict("records")
    assert (row["share"], row["n_total"]) == (0.0, 1)


@pytest.mark.parametrize(
    ("tags", "unit", "message"),
    [
        (
            pd.DataFrame({"segment_id": ["c0"], "theme": ["power"], "method": ["checked"]}),
            "participant",
            "tagged",
        ),
        (pd.DataFrame({"segment_id": ["c0"], "theme": ["power"]}), "person", "unit"),
    ],
)
def test_wrong_inputs_are_refused(tags, unit, message):
    segments, _, checked = programme([YES, NO])
    with pytest.raises(ValueError, match=message):
        estimate_shares(segments, tags, checked, unit=unit)


def test_the_audit_estimate_is_prediction_powered_inference():
    """Checked against ppi-python (Angelopoulos et al.) on a large programme.

    For the participants nobody checked, the estimate is PPI's with λ the regression slope of
    the truth on the tagger's yes/no (the optimum of PPI++'s power tuning when every
    participant's prediction is known): exactly equal. ppi-python's own tuned λ also weighs the
    noise of the unlabelled mean, so its estimate and interval are close, not equal.
    """
    rng = np.random.default_rng(3)
    total, audited = 6000, 600
    truth = rng.random(total) < 0.3
    said = np.where(truth, rng.random(total) < 0.7, rng.random(total) < 0.1)
    audit = np.zeros(total, bool)
    audit[rng.choice(total, audited, replace=False)] = True
    people = [(s, t, a, a) for s, t, a in zip(said, truth, audit, strict=True)]
    segments, tags, checked = programme(people)
    [row] = estimate_shares(segments, tags, checked).to_dict("records")

    y, yhat, others = (
        truth[audit].astype(float),
        said[audit].astype(float),
        said[~audit].astype(float),
    )
    slope = y[yhat == 1].mean() - y[yhat == 0].mean()
    unlabelled = ppi_mean_pointestimate(y, yhat, others, lam=slope)[0]
    assert row["share"] == pytest.approx(
        (y.sum() + (total - audited) * unlabelled) / total, abs=1e-12
    )

    tuned = ppi_mean_pointestimate(y, yhat, others)[0]
    assert row["share"] == pytest.approx((y.sum() + (total - audited) * tuned) / total, abs=0.005)
    low, high = ppi_mean_ci(y, yhat, others, alpha=0.05)
    theirs = (high[0] - low[0]) * (total - audited) / total
    assert 0.8 < (row["high"] - row["low"]) / theirs < 1.1


def test_audit_intervals_cover_the_truth_in_a_quick_simulation():
    """A fast, seeded version of benchmarks/simulate_audit.py (the full proof is there)."""
    rng = np.random.default_rng(0)
    themes = ["t0", "t1"]
    hits, tagger_hits, cells = 0, 0, 0
    for _ in range(40):
        sim = simulate_audit(
            [[0.08, 0.3]] * 4,
            participants=60,
            audit=15,
            sensitivity=0.5,
            false_alarms=[0.05, 0.13, 0.22, 0.3],
            rng=rng,
        )
        found = estimate_shares(sim["segments"], sim["tagged"], sim["checked"], theme_ids=themes)
        alone = estimate_shares(sim["segments"], sim["tagged"], None, theme_ids=themes)
        truth = sim["truth"].merge(sim["segments"], on="segment_id")
        people = sim["segments"].groupby("session_id")["speaker"].nunique()
        for row, raw in zip(found.itertuples(), alone.itertuples(), strict=True):
            said = truth[(truth.session_id == row.session_id) & (truth.theme == row.theme)]
            true = said["speaker"].nunique() / people[row.session_id]
            hits += row.low <= true <= row.high
            tagger_hits += raw.low <= true <= raw.high
            cells += 1
    assert hits / cells >= 0.9  # the benchmark, with 2,000 runs, gives about 95%
    assert tagger_hits / cells < 0.6  # the tagger alone is biased, and its interval misses
