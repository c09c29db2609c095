"""The stages the command line runs: each reads its inputs, writes its outputs, says what it did."""

from __future__ import annotations

from collections.abc import Callable

from coprod_analysis.pipeline.base import Echo, StageResult
from coprod_analysis.pipeline.exchange import export_codebook, export_project, run_exchange
from coprod_analysis.pipeline.ingest import run_ingest, summarise_ingest
from coprod_analysis.pipeline.notebooks import run_notebooks
from coprod_analysis.pipeline.shifts import run_shifts
from coprod_analysis.pipeline.tag import run_tag, tag_themes
from coprod_analysis.pipeline.topics import run_topics
from coprod_analysis.pipeline.training import training_data

STAGES: dict[str, Callable[..., StageResult]] = {
    "ingest": run_ingest,
    "tag": run_tag,
    "topics": run_topics,
    "shifts": run_shifts,
    "exchange": run_exchange,
    "notebooks": run_notebooks,
}

__all__ = [
    "STAGES",
    "Echo",
    "StageResult",
    "export_codebook",
    "export_project",
    "run_exchange",
    "run_ingest",
    "run_notebooks",
    "run_shifts",
    "run_tag",
    "run_topics",
    "summarise_ingest",
    "tag_themes",
    "training_data",
]
