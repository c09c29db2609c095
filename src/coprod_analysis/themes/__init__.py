"""Themes: the codebook, rule and semantic tagging, learning from hand-coding, highlights.

A codebook file is read by :func:`coprod_analysis.codebooks.load_codebook` (YAML or .qdc).
"""

from coprod_analysis.themes.codebook import Codebook, Theme
from coprod_analysis.themes.coding import read_human_codes, read_statements
from coprod_analysis.themes.highlight import show_themes
from coprod_analysis.themes.learned import LearnedThemes, learn_themes
from coprod_analysis.themes.tag import tag_segments

__all__ = [
    "Codebook",
    "LearnedThemes",
    "Theme",
    "learn_themes",
    "read_human_codes",
    "read_statements",
    "show_themes",
    "tag_segments",
]
