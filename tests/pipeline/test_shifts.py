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
