"""Everything ``make report`` produced, read back in one call (for notebooks and the report)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.corpus import Corpus, read_corpus, read_table

if TYPE_CHECKING:
    import pandas as pd

    from coprod_analysis.themes.saved import LearnedThemes

TABLES = (
    "themes",
    "tagged",
    "checked",
    "shares",
    "topics",
    "topic_info",
    "topic_shares",
    "theme_shifts",
    "ladder",
    "ladder_distribution",
    "survey_shifts",
    "likert_distribution",
    "tone_by_theme",
    "cooccurrence",
    "question_shifts",
)
# Written only when their inputs exist: the reliability card needs labelled statements.
OPTIONAL = ("reliability",)


@dataclass
class Results:
    """The processed tables by name (``results.themes``, ``results.theme_shifts``, …)."""

    corpus: Corpus
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    run: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


def read_results(processed: str | Path | None = None) -> Results:
    """Read the tables that ``make report`` (``coprod report``) wrote.

    Args:
        processed: the processed folder (default: ``data/processed``, or ``$COPROD_PROCESSED``).

    Raises:
        InputError: a table is missing; the message says which stage to run.

    Example:
        >>> results = read_results()  # doctest: +SKIP
        >>> results.theme_shifts.head()  # doctest: +SKIP
    """
    from coprod_analysis.config import paths

    folder = Path(processed) if processed else paths().processed
    corpus = read_corpus(folder)
    tables = {name: read_table(folder, name, stage="coprod report") for name in TABLES}
    for name in OPTIONAL:
        if (folder / f"{name}.parquet").is_file():
            tables[name] = read_table(folder, name, stage="coprod tag")
    run = folder / "run.json"
    record = json.loads(run.read_text("utf-8")) if run.is_file() else {}
    return Results(corpus, tables, record)


def read_classifier(processed: str | Path | None = None) -> LearnedThemes | None:
    """The classifier the last ``coprod tag`` trained (``learned-<model>.npz``), or None.

    The file holds only numbers and text; it is read without running any code in it.

    Example:
        >>> from coprod_analysis.results import read_classifier
        >>> learned = read_classifier()
        >>> learned is None or "power" in learned.theme_ids
        True
    """
    from coprod_analysis.config import paths
    from coprod_analysis.themes.saved import read_learned

    folder = Path(processed) if processed else paths().processed
    saved = sorted(folder.glob("learned-*.npz"), key=lambda p: p.stat().st_mtime)
    return read_learned(saved[-1], key=None) if saved else None
