"""What every analysis notebook starts with: the results, the codebook and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coprod_analysis.config import Paths, Project
    from coprod_analysis.results import Results
    from coprod_analysis.themes.codebook import Codebook


@dataclass(frozen=True)
class Setup:
    """A notebook's starting point (see :func:`notebook_setup`)."""

    results: Results
    codebook: Codebook
    project: Project
    paths: Paths
    labels: dict[str, str]  # theme id → label, in codebook order
    core: list[str]  # the core themes' ids
    others: list[str]  # the other themes' ids
    names: dict[str, str]  # session id → "Session 3: Power and funding (19 Mar 2024)"
    short: dict[str, str]  # session id → "Session 3 (Mar 2024)"


def notebook_setup(processed: str | Path | None = None, *, renderer: str | None = None) -> Setup:
    """Read what ``make report`` wrote, the codebook and the settings; set the chart renderer.

    Args:
        processed: the processed folder (default: ``data/processed``, or ``$COPROD_PROCESSED``).
        renderer: a plotly renderer (``"notebook"`` inlines plotly.js for HTML export).

    Example:
        >>> import coprod_analysis as cp
        >>> setup = cp.notebook_setup()  # doctest: +SKIP
        >>> setup.core  # doctest: +SKIP
        ['power', 'funding', 'unlearning', 'values']
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project, paths
    from coprod_analysis.results import read_results
    from coprod_analysis.story import session_names

    if renderer:
        import plotly.io as pio

        pio.renderers.default = renderer
    where = paths(processed=processed)
    results = read_results(where.processed)
    codebook = load_codebook(where.config / "codebook.yml")
    sessions = results.corpus.sessions
    return Setup(
        results=results,
        codebook=codebook,
        project=load_project(where.config),
        paths=where,
        labels={t.id: t.label for t in codebook.themes},
        core=[t.id for t in codebook.themes if t.core],
        others=[t.id for t in codebook.themes if not t.core],
        names=session_names(sessions),
        short=session_names(sessions, short=True),
    )
