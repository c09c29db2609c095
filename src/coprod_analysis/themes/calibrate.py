"""Calibrate each theme's semantic threshold on labelled statements, and save it beside the codebook."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.agreement import f1_of
from coprod_analysis.embeddings import EmbeddingCache, model_id
from coprod_analysis.themes.codebook import THRESHOLDS_FILE, Codebook
from coprod_analysis.themes.signals import read_signals

if TYPE_CHECKING:
    import pandas as pd

OFF = 1.0  # a threshold no cosine similarity of distinct texts reaches: semantic matching off
MIN_GAIN = 0.02  # F1 that similarity must add over rules alone to be switched on
GRID = [round(0.20 + 0.01 * i, 2) for i in range(71)]  # 0.20 .. 0.90


def calibrate(
    segments: pd.DataFrame,
    human: pd.DataFrame,
    codebook: Codebook,
    *,
    model: str | None = None,
    cache: EmbeddingCache | None = None,
) -> pd.DataFrame:
    """Choose each theme's similarity threshold to maximise F1 of rules plus similarity.

    For every threshold from 0.20 to 0.90, a segment counts as tagged when a rule fires or its
    similarity reaches the threshold; the threshold with the best F1 against the hand codes
    wins (the highest one on ties). If no threshold beats rules alone by at least 0.02 F1,
    semantic matching is switched off for the theme (threshold 1.0): a smaller gain on one
    labelled set is more likely noise than signal.

    Returns:
        One row per theme: ``threshold``, ``f1_rules`` and ``f1_combined`` on these segments,
        and ``positives``.

    Example:
        >>> table = calibrate(*read_statements("config/written/dev_statements.csv"), load_codebook())  # doctest: +SKIP
    """
    import numpy as np
    import pandas as pd

    ids = segments["segment_id"].astype(str).tolist()
    texts = segments["text"].fillna("").astype(str).tolist()
    seen = read_signals(texts, codebook, model=model, cache=cache)
    flags, sim = seen.flags > 0, seen.semantic()[1]
    pairs = set(zip(human["segment_id"].astype(str), human["theme"], strict=True))
    rows = []
    for j, theme in enumerate(codebook.ids):
        truth = np.array([(s, theme) in pairs for s in ids])
        rules_only = f1_of(flags[:, j], truth)
        best_t, best_f1 = OFF, rules_only
        for t in reversed(GRID):
            f1 = f1_of(flags[:, j] | (sim.scores[:, j] >= t), truth)
            if f1 > best_f1 + 1e-9:
                best_t, best_f1 = t, f1
        if best_f1 < rules_only + MIN_GAIN:
            best_t, best_f1 = OFF, rules_only
        rows.append(
            {
                "theme": theme,
                "threshold": best_t,
                "f1_rules": round(rules_only, 4),
                "f1_combined": round(best_f1, 4),
                "positives": int(truth.sum()),
            }
        )
    return pd.DataFrame(rows)


def write_thresholds(
    table: pd.DataFrame, codebook: Codebook, *, source: str, model: str | None = None
) -> Path:
    """Write ``thresholds.yml`` beside the codebook, atomically, with how it was made.

    Example:
        >>> write_thresholds(table, codebook, source="config/written/dev_statements.csv")  # doctest: +SKIP
    """
    import yaml

    from coprod_analysis.outputs import atomic_write

    path = Path(codebook.source or "config/codebook.yml").with_name(THRESHOLDS_FILE)
    record = {
        "written_by": "coprod calibrate",
        "date": datetime.now(UTC).date().isoformat(),
        "model": model_id(model),
        "calibrated_on": source,
        "codebook_sha256": codebook.sha256,
        "themes": {
            str(theme): {"threshold": float(t), "f1_rules": float(a), "f1_combined": float(b)}
            for theme, t, a, b in zip(
                table["theme"],
                table["threshold"],
                table["f1_rules"],
                table["f1_combined"],
                strict=True,
            )
        },
    }
    header = (
        "# Semantic-similarity thresholds per theme, calibrated by `coprod calibrate`.\n"
        "# threshold 1.0 means semantic matching did not beat the rules and is off for that theme.\n"
    )
    atomic_write(
        path, lambda tmp: tmp.write_text(header + yaml.safe_dump(record, sort_keys=False), "utf-8")
    )
    return path
