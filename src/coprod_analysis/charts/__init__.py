"""Plotly charts, one function per chart, each returning a ``go.Figure`` in one visual language."""

from coprod_analysis.charts.picker import add_picker, session_profile
from coprod_analysis.charts.style import describe, template
from coprod_analysis.charts.survey import ladder_change, ladder_distribution, prepost_answers
from coprod_analysis.charts.themes import (
    question_themes,
    theme_cooccurrence,
    theme_prevalence,
    theme_tone,
)
from coprod_analysis.charts.topics import topics_over_sessions

__all__ = [
    "add_picker",
    "describe",
    "ladder_change",
    "ladder_distribution",
    "prepost_answers",
    "question_themes",
    "session_profile",
    "template",
    "theme_cooccurrence",
    "theme_prevalence",
    "theme_tone",
    "topics_over_sessions",
]
