"""Themes: the codebook, rule and semantic tagging, learning from hand-coding, highlights."""

from coprod_analysis.themes.codebook import Codebook, Theme, load_codebook
from coprod_analysis.themes.coding import read_human_codes, read_statements
from coprod_analysis.themes.highlight import show_themes
from coprod_analysis.themes.learned import LearnedThemes, learn_themes
from coprod_analysis.themes.tag import tag_segments

__all__ = [
    "Codebook",
    "LearnedThemes",
    "Theme",
    "learn_themes",
    "load_codebook",
    "read_human_codes",
    "read_statements",
    "show_themes",
    "tag_segments",
]
