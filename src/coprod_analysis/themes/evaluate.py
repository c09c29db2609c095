"""How well the tagger agrees with hand-coding: on the project's coded sample and on statement sets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coprod_analysis.agreement import agreement
from coprod_analysis.themes.codebook import Codebook
from coprod_analysis.themes.coding import read_statements
from coprod_analysis.themes.tag import tag_segments

if TYPE_CHECKING:
    import pandas as pd

SHOWN = ["theme", "human", "auto", "precision", "recall", "f1", "macro_f1", "kappa", "alpha"]


@dataclass
class Evaluation:
    """Agreement of one labelled set: per theme and pooled."""

    name: str
    n_segments: int
    table: pd.DataFrame

    def text(self) -> str:
        """Return the agreement table as aligned text."""
        shown = self.table[SHOWN].copy()
        for col in SHOWN[3:]:
            shown[col] = shown[col].map(lambda v: "   n/a" if v != v else f"{v:6.3f}")
        return f"{self.name} ({self.n_segments} segments)\n" + shown.to_string(index=False)


def evaluate(
    name: str, segments: pd.DataFrame, human: pd.DataFrame, codebook: Codebook, **options: Any
) -> Evaluation:
    """Tag the coded segments and compare with the codes, theme by theme.

    ``options`` are :func:`~coprod_analysis.themes.tag.tag_segments`'s: ``semantic``,
    ``learned``, ``model`` and ``cache``.

    Example:
        >>> evaluate("dev", *read_statements("config/written/dev_statements.csv"), load_codebook())  # doctest: +SKIP
    """
    coded = segments[segments["segment_id"].astype(str).isin(set(human["segment_id"].astype(str)))]
    tags = tag_segments(coded, codebook, **options)
    table = agreement(tags, human, theme_ids=codebook.ids, segments=coded["segment_id"].astype(str))
    return Evaluation(name, len(coded), table)


def evaluate_statements(path: str | Path, codebook: Codebook, **options: Any) -> Evaluation:
    """Evaluate the tagger on a labelled statement file (``id,text,themes``), as :func:`evaluate`."""
    segments, human = read_statements(path, theme_ids=codebook.ids)
    return evaluate(str(path), segments, human, codebook, **options)
