"""Plotly charts, one function per chart, each returning a ``go.Figure`` in one visual language."""

from coprod_analysis.charts.picker import add_picker, session_profile
from coprod_analysis.charts.style import describe, template
from coprod_analysis.charts.survey import ladder_distribution_chart, ladder_dumbbell, prepost_bars
from coprod_analysis.charts.themes import (
    cooccurrence_heatmap,
    question_multiples,
    theme_prevalence,
    tone_chart,
)
from coprod_analysis.charts.topics import topics_over_sessions

__all__ = [
    "add_picker",
    "cooccurrence_heatmap",
    "describe",
    "ladder_distribution_chart",
    "ladder_dumbbell",
    "prepost_bars",
    "question_multiples",
    "session_profile",
    "template",
    "theme_prevalence",
    "tone_chart",
    "topics_over_sessions",
]
