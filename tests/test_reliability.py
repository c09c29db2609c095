"""The reliability card: measures per theme, bootstrap intervals, the coders' κ, plain words."""

import math

import pandas as pd
import pytest

from coprod_analysis.agreement import cohen_kappa, gwet_ac1
from coprod_analysis.reliability import reliability, trust_line


def _codes(ids, positive):
    return pd.DataFrame({"segment_id": ids, "theme": ["power" if p else None for p in positive]})


def _pair(tp, fp, fn, tn):
    """Human and automatic codes with these confusion counts."""
    n = tp + fp + fn + tn
    ids = [f"s{i}" for i in range(n)]
    human = [1] * tp + [0] * fp + [1] * fn + [0] * tn
    auto = [1] * tp + [1] * fp + [0] * fn + [0] * tn
    return _codes(ids, auto).dropna(), _codes(ids, human)


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "prevalence"),
    [
        ((20, 5, 5, 70), 0.8, 0.8, 0.25),
        ((10, 0, 10, 80), 1.0, 0.5, 0.2),
        ((1, 2, 2, 95), 1 / 3, 1 / 3, 0.03),
        ((0, 3, 0, 97), 0.0, math.nan, 0.0),
    ],
)
def test_card_measures_match_the_confusion_counts(counts, precision, recall, prevalence):
    auto, human = _pair(*counts)
    row = reliability(auto, human, theme_ids=["power"], resamples=300).iloc[0]
    assert row["n"] == sum(counts)
    assert row["precision"] == pytest.approx(precision, nan_ok=True)
    assert row["recall"] == pytest.approx(recall, nan_ok=True)
    assert row["prevalence"] == pytest.approx(prevalence)
    assert row["kappa"] == pytest.approx(cohen_kappa(*counts), nan_ok=True)
    assert row["ac1"] == pytest.approx(gwet_ac1(*counts), nan_ok=True)


@pytest.mark.parametrize(
    ("counts", "width_at_least"), [((20, 5, 5, 70), 0.1), ((4, 1, 1, 14), 0.3)]
)
def test_intervals_hold_the_value_and_widen_with_fewer_statements(counts, width_at_least):
    auto, human = _pair(*counts)
    row = reliability(auto, human, theme_ids=["power"], resamples=500).iloc[0]
    for name in ("precision", "recall", "f1", "kappa", "ac1"):
        assert row[f"{name}_low"] <= row[name] <= row[f"{name}_high"]
    assert row["kappa_high"] - row["kappa_low"] >= width_at_least


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ([1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], 1.0),
        ([1, 1, 0, 0, 0, 0], [1, 0, 1, 0, 0, 0], cohen_kappa(1, 1, 1, 3)),
        (None, None, None),
    ],
)
def test_the_two_coders_kappa_sits_beside_the_taggers(first, second, expected):
    ids = list("abcdef")
    auto, human = _codes(ids, [1, 1, 0, 0, 0, 0]).dropna(), _codes(ids, [1, 1, 0, 0, 0, 0])
    coders = {}
    if first is not None:
        coders = {"first": _codes(ids, first), "second": _codes(ids, second)}
    card = reliability(auto, human, theme_ids=["power"], resamples=100, **coders)
    if expected is None:
        assert "human_kappa" not in card
    else:
        assert card.loc[0, "human_kappa"] == pytest.approx(expected)


def test_card_is_the_same_each_run():
    auto, human = _pair(8, 3, 4, 40)
    one = reliability(auto, human, theme_ids=["power"], resamples=200, seed=3)
    two = reliability(auto, human, theme_ids=["power"], resamples=200, seed=3)
    pd.testing.assert_frame_equal(one, two)


@pytest.mark.parametrize(
    ("kappa", "low", "high", "verdict"),
    [
        (0.85, 0.7, 0.95, "trust the counts"),
        (0.65, 0.5, 0.8, "fair to trust"),
        (0.5, 0.3, 0.65, "treat the counts with caution"),
        (0.2, 0.0, 0.4, "do not rely on the counts"),
        (math.nan, math.nan, math.nan, "not measured"),
    ],
)
def test_trust_line_says_how_far_to_trust(kappa, low, high, verdict):
    row = {
        "n": 100,
        "positives": 20,
        "kappa": kappa,
        "kappa_low": low,
        "kappa_high": high,
        "recall": 0.5,
        "precision": 0.5,
    }
    line = trust_line(row, "Power")
    assert line.startswith(f"Power: {verdict}")
    assert "<" not in line
