import math

import pandas as pd
import pytest

from coprod_analysis.agreement import ALL, agreement, cohen_kappa, krippendorff_alpha


@pytest.mark.parametrize(
    ("counts", "kappa", "alpha"),
    [
        ((20, 5, 5, 70), 0.7333, 0.7347),
        ((10, 0, 0, 10), 1.0, 1.0),
        ((0, 10, 10, 0), -1.0, -0.95),  # total disagreement: α's small-sample correction
        ((5, 5, 5, 5), 0.0, 0.025),
        ((0, 0, 0, 10), math.nan, math.nan),  # nobody ever used the theme
    ],
)
def test_kappa_and_alpha(counts, kappa, alpha):
    for got, want in ((cohen_kappa(*counts), kappa), (krippendorff_alpha(*counts), alpha)):
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, abs=1e-4)


def frame(pairs):
    return pd.DataFrame(pairs, columns=["segment_id", "theme"])


def test_agreement_table():
    human = frame([("a", "power"), ("b", "power"), ("b", "funding"), ("c", None), ("d", "funding")])
    auto = frame(
        [("a", "power"), ("c", "power"), ("d", "funding"), ("z", "power")]
    )  # z was not coded
    table = agreement(auto, human, theme_ids=["power", "funding"]).set_index("theme")
    assert table.loc["power", ["n", "tp", "fp", "fn"]].tolist() == [4, 1, 1, 1]
    assert table.loc["funding", ["tp", "fp", "fn", "precision", "recall"]].tolist() == [
        1,
        0,
        1,
        1.0,
        0.5,
    ]
    assert table.loc[ALL, ["n", "tp", "fp", "fn"]].tolist() == [8, 2, 1, 2]
    assert table.loc["power", "macro_f1"] == pytest.approx((0.5 + 0.5) / 2)


def test_perfect_agreement():
    codes = frame([("a", "power"), ("b", "funding"), ("c", None)])
    table = agreement(codes, codes).set_index("theme")
    assert table[["f1", "kappa", "alpha"]].min().min() == 1.0
