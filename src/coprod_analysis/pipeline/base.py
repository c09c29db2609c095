"""What every stage returns, and how it reports progress."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from coprod_analysis.config import Project
    from coprod_analysis.corpus import Corpus
    from coprod_analysis.embeddings import EmbeddingCache
    from coprod_analysis.errors import Problems
    from coprod_analysis.themes.codebook import Codebook

Echo = Callable[[str], None]


def shown(path: Path) -> str:
    """A path as a person reads it: relative inside the working folder, else absolute.

    Example:
        >>> from pathlib import Path
        >>> from coprod_analysis.pipeline.base import shown
        >>> shown(Path.cwd() / "data" / "coding"), shown(Path("/elsewhere/x"))
        ('data/coding', '/elsewhere/x')
    """
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


@dataclass
class StageResult:
    """What one stage wrote and how long it took."""

    name: str
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    reused: str = ""  # what was reused from the last run, in a few words ("" for nothing)


def reuse_note(reused: int, total: int) -> str:
    """Say how much of a stage's work was reused, for the run's summary.

    Example:
        >>> from coprod_analysis.pipeline.base import reuse_note
        >>> reuse_note(5, 5), reuse_note(2, 5), reuse_note(0, 5)
        ('reused', 'reused 2 of 5', '')
    """
    if not reused:
        return ""
    return "reused" if reused == total else f"reused {reused} of {total}"


def echo_problems(problems: Problems, echo: Echo | None) -> list[str]:
    """Say each problem once as a ``warning:`` line, and return the lines for ``run.json``.

    With no ``echo`` (a notebook's call), each problem is a Python warning instead.
    """
    lines = list(dict.fromkeys(problems.lines()))
    if echo is None:
        problems.deliver(None, stacklevel=4)
        return lines
    for line in lines:
        echo(f"warning: {line}")
    return lines


class Context(NamedTuple):
    """What the tag and topics stages both start from."""

    project: Project
    corpus: Corpus
    codebook: Codebook
    model: str
    cache: EmbeddingCache


def embedding_cache(where, model: str) -> EmbeddingCache:
    """The run's embedding cache: data/processed's, over the vectors the repository ships."""
    from coprod_analysis.config import MODELS
    from coprod_analysis.embeddings import EmbeddingCache

    return EmbeddingCache(where.processed, model, shipped=where.root / MODELS)


def context(where) -> Context:
    """Load the settings, the ingested corpus, the codebook and the embedding cache once."""
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project
    from coprod_analysis.corpus import read_corpus

    project = load_project(where.config)
    model = project.embeddings.model
    return Context(
        project,
        read_corpus(where.processed),
        load_codebook(where.config / "codebook.yml"),
        model,
        embedding_cache(where, model),
    )
