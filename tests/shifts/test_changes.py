"""Changes between sessions on the estimates: one test for every case, two families."""

import math

import pandas as pd
import pytest

from coprod_analysis.shifts.changes import changes, clear, compare, latest, weaker
from coprod_analysis.shifts.stats import effective, holm, mid_p, newcombe


def row(share, *, variance=0.0, n=20, method="checked"):
    return pd.Series(
        {
            "participant_share": share,
            "participant_variance": variance,
            "n_participants": n,
            "participant_method": method,
        }
    )


@pytest.mark.parametrize(
    ("before", "after", "method"),
    [
        (row(0.1), row(0.6), "checked"),
        (row(0.1, method="unchecked"), row(0.6), "unchecked"),
        (row(0.1), row(0.6, variance=0.01, method="audit"), "audit"),
    ],
)
def test_a_change_is_the_weaker_of_its_two_estimates(before, after, method):
    assert compare(before, after)["method"] == method


def test_exact_counts_are_tested_as_they_are():
    found = compare(row(0.1), row(0.6))
    assert found["p"] == pytest.approx(mid_p(2, 20, 12, 20))
    assert (found["change"], found["low"], found["high"]) == pytest.approx(newcombe(2, 20, 12, 20))


@pytest.mark.parametrize("variance", [0.002, 0.01, 0.03])
def test_an_audited_estimate_counts_as_a_smaller_sample(variance):
    exact = compare(row(0.1), row(0.6))
    audited = compare(row(0.1), row(0.6, variance=variance, method="audit"))
    assert audited["change"] == pytest.approx(exact["change"])
    assert audited["high"] - audited["low"] > exact["high"] - exact["low"]
    assert audited["p"] > exact["p"]
    k, n = effective(0.6, variance, 20)
    assert n < 20 and k / n == pytest.approx(0.6)


def table(shares, *, agenda=None, theme="power", variance=0.0):
    return pd.DataFrame(
        {
            "session_id": [f"s{i + 1}" for i in range(len(shares))],
            "theme": theme,
            "participant_share": shares,
            "participant_variance": variance,
            "n_participants": 20,
            "participant_method": "checked",
            "on_agenda": agenda or [False] * len(shares),
        }
    )


@pytest.mark.parametrize(
    ("agenda", "declared", "family"),
    [
        ([False, False], (), "exploratory"),
        ([False, True], (), "declared"),  # the session was about the theme
        ([False, False], {("power", "s2")}, "declared"),  # shifts.questions
    ],
)
def test_declared_changes_form_their_own_family(agenda, declared, family):
    out = changes(table([0.1, 0.6], agenda=agenda), declared=declared)
    assert out.at[1, "family"] == family
    assert pd.isna(out.at[0, "family"])  # the first session has no step change


def test_holm_for_the_declared_and_bh_for_the_rest_each_at_its_own_level():
    shares = pd.concat(
        [
            table([0.1, 0.6], theme="power", agenda=[False, True]),
            table([0.1, 0.6], theme="funding"),
            table([0.3, 0.35], theme="values"),
        ],
        ignore_index=True,
    )
    out = changes(shares, alpha_declared=0.04, alpha_exploratory=0.01)
    p = mid_p(2, 20, 12, 20)
    power, funding = out.iloc[1], out.iloc[3]
    assert power["q"] == pytest.approx(holm([p])[0]) and not power["within_noise"]
    assert funding["family"] == "exploratory"
    # two exploratory changes, Benjamini–Hochberg: the large one keeps q = 2p
    assert funding["q"] == pytest.approx(min(1.0, 2 * p))
    assert bool(funding["within_noise"]) == (2 * p >= 0.01)
    assert out["comparisons"].iloc[0] == 3 and out["declared"].iloc[0] == 1


def test_no_clear_change_says_how_large_a_change_could_have_shown():
    out = changes(table([0.3, 0.35]))
    assert out.at[1, "within_noise"]
    assert 0.3 < out.at[1, "mdc"] < 0.7  # 20 a session: only large changes can show


def test_three_sessions_add_a_first_to_latest_change_on_the_last_row():
    out = changes(table([0.1, 0.3, 0.6]))
    assert math.isnan(out.at[1, "overall_change"])
    assert out.at[2, "overall_change"] == pytest.approx(0.5)
    assert latest(out.iloc[2])["change"] == pytest.approx(0.5)
    two = changes(table([0.1, 0.6]))
    assert latest(two.iloc[1])["change"] == pytest.approx(0.5)  # the step is the overall


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ({"within_noise": False, "method": "checked"}, True),
        ({"within_noise": False, "method": "audit"}, True),
        ({"within_noise": False, "method": "unchecked"}, False),
        ({"within_noise": True, "method": "checked"}, False),
        ({"within_noise": None, "method": "checked"}, False),
    ],
)
def test_only_a_checked_change_beyond_the_noise_is_clear(found, expected):
    assert clear(found) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("checked", "checked", "checked"),
        ("checked", "audit", "audit"),
        ("unchecked", "audit", "unchecked"),
    ],
)
def test_weaker(a, b, expected):
    assert weaker(a, b) == expected


@pytest.mark.parametrize(("audited", "wider"), [(0, False), (1, False), (5, True), (15, True)])
def test_an_audited_variance_gets_t_tails_for_its_small_sample(audited, wider):
    plain = compare(row(0.1), row(0.6, variance=0.01, method="audit"))
    after = row(0.6, variance=0.01, method="audit")
    after["n_audited"] = audited
    tailed = compare(row(0.1), after)
    assert bool(tailed["high"] - tailed["low"] > plain["high"] - plain["low"]) is wider
    assert tailed["p"] >= plain["p"]


def test_an_estimate_is_never_less_sure_than_the_people_checked_in_full():
    # the sample's unlearning: 2 of 15 checked in session 1; all 5 audited raised it in
    # session 4, so an estimated 100% of 15. Near 100% the effective size alone would be 1.3
    # people, fewer than the 5 whose answers are known.
    first = row(2 / 15, n=15)
    latest = row(1.0, variance=0.0102, n=15, method="audit")
    latest["n_audited"] = latest["n_checked"] = 5
    found = compare(first, latest)
    assert found["counts"][3] == 5 and found["p"] == pytest.approx(mid_p(2, 15, 5, 5))
    assert found["p"] < 0.01
