"""Perception shifts across sessions: honest statistics (every share with its n and interval)."""

from coprod_analysis.shifts.advice import audit_advice
from coprod_analysis.shifts.cooccurrence import cooccurrence
from coprod_analysis.shifts.counts import theme_counts
from coprod_analysis.shifts.estimate import estimate_shares
from coprod_analysis.shifts.ladder import ladder_distribution, ladder_shifts
from coprod_analysis.shifts.narrative import (
    as_markdown,
    ladder_findings,
    survey_findings,
    theme_findings,
)
from coprod_analysis.shifts.questions import question_shifts
from coprod_analysis.shifts.survey import likert_distribution, survey_shifts
from coprod_analysis.shifts.themes import session_focus, session_order, theme_shifts
from coprod_analysis.shifts.tone import CAVEAT, tone_by_theme

__all__ = [
    "CAVEAT",
    "as_markdown",
    "audit_advice",
    "cooccurrence",
    "estimate_shares",
    "ladder_distribution",
    "ladder_findings",
    "ladder_shifts",
    "likert_distribution",
    "question_shifts",
    "session_focus",
    "session_order",
    "survey_findings",
    "survey_shifts",
    "theme_counts",
    "theme_findings",
    "theme_shifts",
    "tone_by_theme",
]
