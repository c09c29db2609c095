"""What to code next: probabilities per theme, uncertainty, and the ranking."""

import numpy as np
import pytest

from coprod_analysis.themes.suggest import (
    RULE,
    rank_uncertain,
    theme_probabilities,
    uncertainty,
)


@pytest.mark.parametrize(
    ("score", "threshold", "flag", "learned", "expected"),
    [
        (0.40, 0.40, 0, None, 0.5),  # on the threshold: a coin toss
        (0.60, 0.40, 0, None, 0.982),  # far above: near certain
        (0.20, 0.40, 0, None, 0.018),  # far below: near certain it is absent
        (0.10, 0.40, 1, None, RULE),  # a rule matched
        (0.40, 0.40, 1, 0.3, 0.3),  # the classifier's probability wins where it tags
    ],
)
def test_theme_probabilities(score, threshold, flag, learned, expected):
    learned_probs = {} if learned is None else {0: np.array([learned])}
    probs = theme_probabilities(np.array([[score]]), [threshold], np.array([[flag]]), learned_probs)
    assert probs[0, 0] == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("probs", "expected"),
    [
        ([[0.5]], [1.0]),
        ([[0.0, 1.0]], [0.0]),
        ([[0.75, 0.1]], [0.5]),
        ([[0.9], [0.6]], [0.2, 0.8]),
    ],
)
def test_uncertainty_is_that_of_the_least_certain_theme(probs, expected):
    assert uncertainty(np.array(probs)).tolist() == pytest.approx(expected)


@pytest.mark.parametrize(
    ("n", "exclude", "order"),
    [
        (3, [], ["c", "b", "a"]),
        (2, [], ["c", "b"]),
        (3, ["c"], ["b", "a"]),
        (5, ["a", "b", "c"], []),
    ],
)
def test_rank_uncertain_puts_the_least_certain_first(n, exclude, order):
    probs = np.array([[0.95, 0.05], [0.7, 0.1], [0.5, 0.9]])
    ranked = rank_uncertain(["a", "b", "c"], probs, ["power", "funding"], n=n, exclude=exclude)
    assert ranked["segment_id"].tolist() == order
