"""The classifier's cross-validation as the repository ships it, keyed by what it was run on.

Which themes get a learned classifier is decided by cross-validating it against rules plus
similarity on the bundled statements (5 folds per theme). Every clone would get the same
answer, so ``scripts/build_models.py`` runs it once and writes the report to
``data/models/learned-<model>.json``, with a key: a hash of the statements and their codes,
the codebook and its thresholds, the encoder and the classifier's settings. A run whose
statements match the key fits only the final layer; any change cross-validates again.
The file is JSON, read with :func:`json.loads`: nothing in it can run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.embeddings import model_id
from coprod_analysis.themes.learned import MIN_EACH, C

if TYPE_CHECKING:
    import pandas as pd

    from coprod_analysis.themes.codebook import Codebook

FORMAT = 1
COLUMNS = ["theme", "n", "positives", "f1_rules_semantic", "f1_learned", "used", "note"]


def decision_path(folder: str | Path, model: str | None = None) -> Path:
    """Where the shipped cross-validation report for one encoder lives.

    Example:
        >>> from coprod_analysis.themes.shipped import decision_path
        >>> decision_path("data/models").name
        'learned-all-MiniLM-L6-v2.json'
    """
    return Path(folder) / f"learned-{model_id(model)}.json"


def statements_key(
    texts: pd.DataFrame, codes: pd.DataFrame, codebook: Codebook, *, model: str | None
) -> str:
    """The hash that says whether a shipped cross-validation fits these statements.

    It covers every statement's text and codes, the codebook and its thresholds, the encoder
    and the classifier's settings (its ``C``, the folds, the least examples a theme needs).

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.codebooks import load_codebook
        >>> from coprod_analysis.themes.shipped import statements_key
        >>> texts = pd.DataFrame({"segment_id": ["a"], "text": ["Funders hold the pen."]})
        >>> codes = pd.DataFrame({"segment_id": ["a"], "theme": ["funding"]})
        >>> book = load_codebook("config/codebook.yml")
        >>> one = statements_key(texts, codes, book, model=None)
        >>> one == statements_key(texts.assign(text="Other words."), codes, book, model=None)
        False
    """
    digest = hashlib.sha256()
    header = [FORMAT, model_id(model), codebook.sha256, codebook.thresholds, C, 5, 0, MIN_EACH]
    digest.update(json.dumps(header, sort_keys=True, default=str).encode())
    digest.update(texts[["segment_id", "text"]].to_csv(index=False).encode())
    digest.update(codes[["segment_id", "theme"]].to_csv(index=False).encode())
    return digest.hexdigest()


def write_decision(path: str | Path, report: pd.DataFrame, *, key: str) -> None:
    """Write a cross-validation report with its key, as JSON, atomically.

    Example:
        >>> write_decision("data/models/learned-all-MiniLM-L6-v2.json", learned.report, key=k)  # doctest: +SKIP
    """
    from coprod_analysis.outputs import atomic_text

    rows = report[COLUMNS].astype(object).where(report[COLUMNS].notna(), None)
    body = {"format": FORMAT, "key": key, "report": rows.to_dict(orient="records")}
    atomic_text(Path(path), json.dumps(body, indent=1, sort_keys=True) + "\n")


def read_decision(path: str | Path, *, key: str) -> pd.DataFrame | None:
    """Read a shipped cross-validation report, or None when absent, stale or damaged.

    Example:
        >>> from coprod_analysis.themes.shipped import read_decision
        >>> read_decision("/nonexistent.json", key="k") is None
        True
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        return None
    try:
        body = json.loads(path.read_text("utf-8"))
        if body.get("format") != FORMAT or body.get("key") != key:
            return None
        report = pd.DataFrame(body["report"], columns=COLUMNS)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if report["theme"].isna().any() or not report["used"].isin([True, False]).all():
        return None
    report["used"] = report["used"].astype(bool)
    return report
