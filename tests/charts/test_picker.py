import pytest

from coprod_analysis import charts
from tests.charts.conftest import CODEBOOK, strings


def visible(fig, choice: int) -> list[bool]:
    return fig.layout.updatemenus[0].buttons[choice].args[0]["visible"]


@pytest.mark.parametrize(
    ("choice", "label", "shown"),
    [
        (0, "All themes", [True, True, True, True]),
        (1, "Power and enabling spaces", [True, True, False, False]),
        (2, "Funding and funders", [False, False, True, True]),
    ],
)
def test_theme_picker_shows_one_theme_with_its_band(shifts, choice, label, shown):
    fig = charts.add_picker(charts.theme_prevalence(shifts, codebook=CODEBOOK), label="Theme")
    assert fig.layout.updatemenus[0].buttons[choice].label == label
    assert visible(fig, choice) == shown


def test_session_profile_has_a_bar_per_session_and_a_session_picker(shifts):
    fig = charts.session_profile(shifts, codebook=CODEBOOK)
    assert [t.name for t in fig.data] == ["a", "b", "c"]
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["All sessions", "a", "b", "c"]
    assert visible(fig, 2) == [False, True, False]
    assert list(fig.data[1].x) == [0.6, pytest.approx(0.15)]  # b: power 12/20, funding 3/20
    out = strings(fig)
    assert "(<3 of 20 contributions)" in out  # power in session a
    assert "in c the most frequent was Power and enabling spaces (65%)" in charts.describe(fig)


def test_picker_labels_are_escaped(shifts):
    hostile = shifts.assign(
        session_id=shifts["session_id"].replace({"a": "<img src=x onerror=alert(1)>"})
    )
    out = strings(charts.session_profile(hostile, codebook=CODEBOOK))
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
