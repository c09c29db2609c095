"""coprod-analysis: qualitative analysis of co-production roundtables.

The public API is imported lazily, so ``import coprod_analysis`` is fast and loads
neither spaCy nor torch::

    import coprod_analysis as cp
    corpus = cp.ingest()            # data/raw under the project root
    corpus.segments.head()
"""

from importlib import import_module as _import_module
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("coprod-analysis")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

# `ingest`, `agreement` and `reliability` are modules and their main functions; importing the
# functions here makes `cp.ingest` and friends the functions for good (the import system sets the
# submodule attribute once, when the module is first imported). All three are light.
from coprod_analysis.agreement import agreement
from coprod_analysis.ingest import ingest
from coprod_analysis.reliability import reliability

_API = {
    "Corpus": "coprod_analysis.corpus",
    "read_corpus": "coprod_analysis.corpus",
    "read_results": "coprod_analysis.results",
    "read_classifier": "coprod_analysis.results",
    "notebook_setup": "coprod_analysis.notebook",
    "InputError": "coprod_analysis.errors",
    "load_project": "coprod_analysis.config",
    "paths": "coprod_analysis.config",
    "load_codebook": "coprod_analysis.codebooks",
    "tag_themes": "coprod_analysis.pipeline",
    "tag_segments": "coprod_analysis.themes",
    "show_themes": "coprod_analysis.themes",
    "learn_themes": "coprod_analysis.themes",
    "read_human_codes": "coprod_analysis.themes",
    "read_statements": "coprod_analysis.themes",
    "read_coding": "coprod_analysis.themes.coding",
    "coding_panel": "coprod_analysis.panel",
    "CodingPanel": "coprod_analysis.panel",
    "coder_agreement": "coprod_analysis.agreement",
    "disagreements": "coprod_analysis.agreement",
    "framework_matrix": "coprod_analysis.framework",
    "framework_cells": "coprod_analysis.framework",
    "quote_table": "coprod_analysis.quotes",
    "read_qdpx": "coprod_analysis.refi",
    "quotes_html": "coprod_analysis.quotes",
    "show_quotes": "coprod_analysis.quotes",
    "fit_topics": "coprod_analysis.topics",
    "load_topic_model": "coprod_analysis.topics",
    "theme_shifts": "coprod_analysis.shifts",
    "estimate_shares": "coprod_analysis.shifts",
    "audit_advice": "coprod_analysis.shifts",
    "ladder_shifts": "coprod_analysis.shifts",
    "ladder_distribution": "coprod_analysis.shifts",
    "survey_shifts": "coprod_analysis.shifts",
    "likert_distribution": "coprod_analysis.shifts",
    "question_shifts": "coprod_analysis.shifts",
    "tone_by_theme": "coprod_analysis.shifts",
    "cooccurrence": "coprod_analysis.shifts",
}
_MODULES = {"charts": "coprod_analysis.charts"}

__all__ = ["__version__", "agreement", "charts", "ingest", "reliability", *_API]


def __getattr__(name: str):
    """Import a public name on first use."""
    if name in _API:
        value = getattr(_import_module(_API[name]), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        return _import_module(_MODULES[name])
    raise AttributeError(f"module 'coprod_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API) | set(_MODULES))
