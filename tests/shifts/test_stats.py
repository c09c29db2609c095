import math

import pytest

from coprod_analysis.shifts.stats import mean_change, newcombe, wilson


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    [
        ((3), 12, (0.0889, 0.5323)),
        (0, 10, (0.0, 0.2775)),
        (10, 10, (0.7225, 1.0)),
        (56, 70, (0.6918, 0.8770)),
    ],
)
def test_wilson(k, n, expected):
    assert wilson(k, n) == pytest.approx(expected, abs=1e-4)


def test_wilson_of_nothing():
    assert all(math.isnan(x) for x in wilson(0, 0))


def test_newcombe_matches_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873-890, example (a): 56/70 vs 48/80.
    assert newcombe(48, 80, 56, 70) == pytest.approx((0.2, 0.0524, 0.3339), abs=1e-4)


@pytest.mark.parametrize(
    ("pre", "post", "paired", "change", "ci"),
    [
        ([1, 2, 2, 3], [2, 3, 3, 4], True, 1.0, (1.0, 1.0)),
        ([1, 2, 3, 4], [2, 2, 4, 5], True, 0.75, (-0.0457, 1.5457)),
        ([1, 2, 3], [2, 4, 5], False, 1.6667, (-1.4542, 4.7876)),
    ],
)
def test_mean_change(pre, post, paired, change, ci):
    result = mean_change(pre, post, paired=paired)
    assert result["change"] == pytest.approx(change, abs=1e-4)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(ci, abs=1e-4)
