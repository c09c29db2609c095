"""The shifts stage's figure folder: this run's charts, and nothing stale of ours."""

import plotly.graph_objects as go
import pytest

from coprod_analysis.charts.style import finish
from coprod_analysis.pipeline.shifts import write_figures


def figure() -> go.Figure:
    return finish(go.Figure(go.Bar(x=["a"], y=[1])), title="A chart", description="One bar.")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({}, {"theme_tone.html", "plotly.min.js"}),
        # a page of ours under an old chart name goes
        ({"tone_chart.html": '<p class="alt-text">old</p>'}, {"theme_tone.html", "plotly.min.js"}),
        # anyone else's file stays
        ({"notes.html": "<p>mine</p>"}, {"theme_tone.html", "notes.html", "plotly.min.js"}),
    ],
)
def test_write_figures_leaves_this_runs_charts_and_other_files(tmp_path, before, after):
    for name, text in before.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    written = write_figures({"theme_tone": figure()}, tmp_path)
    assert [p.name for p in written] == ["theme_tone.html"]
    assert {p.name for p in tmp_path.iterdir()} == after
    page = (tmp_path / "theme_tone.html").read_text("utf-8")
    assert 'class="alt-text">A chart. One bar.<' in page


def shifts_table(rows):
    import pandas as pd

    columns = [
        "theme",
        "session_id",
        "change",
        "q",
        "within_noise",
        "on_agenda",
        "family",
        "change_method",
    ]
    table = pd.DataFrame(rows, columns=columns).astype({"within_noise": "boolean"})
    table["comparisons"] = len(rows)
    table["declared"] = int((table["family"] == "declared").sum())
    return table


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [],
            [
                "  0 changes tested on participants (0 declared in advance, Holm; the rest "
                "exploratory, Benjamini–Hochberg); 0 stand out"
            ],
        ),
        (
            [
                ("power", "s2", 0.1, 0.4, True, False, "exploratory", "audit"),
                ("funding", "s3", -0.25, 0.002, False, False, "exploratory", "checked"),
            ],
            [
                "  2 changes tested on participants (0 declared in advance, Holm; the rest "
                "exploratory, Benjamini–Hochberg); 1 stand out",
                "  funding: down 25 points of participants into s3, exploratory, q = 0.002",
            ],
        ),
        (
            [
                ("unlearning", "s4", 0.37, 0.01, False, True, "declared", "unchecked"),
                ("power", "s1", None, None, None, False, None, None),
            ],
            [
                "  2 changes tested on participants (1 declared in advance, Holm; the rest "
                "exploratory, Benjamini–Hochberg); 1 stand out",
                "  unlearning: up 37 points of participants into s4, declared, q = 0.010, on the "
                "tagger's unchecked counts (that session was about it)",
            ],
        ),
    ],
)
def test_standouts_lists_only_changes_beyond_the_noise(rows, expected):
    from coprod_analysis.pipeline.shifts import standouts

    assert standouts(shifts_table(rows)) == expected
