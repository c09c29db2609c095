"""Reading a codebook, whatever its format: the one loader above ``themes`` and ``refi``.

``themes.codebook`` defines the codebook and reads YAML; ``refi.codebook`` reads and writes
REFI-QDA ``.qdc``. This module chooses between them, so neither imports the other's loader.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from coprod_analysis.errors import InputError, Problems
from coprod_analysis.themes.codebook import (
    CODEBOOK_FILE,
    THRESHOLDS_FILE,
    Codebook,
    codebook_from_yaml,
    read_thresholds,
)


def load_codebook(path: str | Path | None = None, *, problems: Problems | None = None) -> Codebook:
    """Load and validate a codebook, with the semantic thresholds kept beside it.

    Args:
        path: a ``codebook.yml`` (default: ``config/codebook.yml`` under the project root), or
            a REFI-QDA codebook ``.qdc`` from NVivo, ATLAS.ti, MAXQDA or QualCoder, whose codes
            become themes matched by their descriptions (a problem says so).
        problems: where that problem is recorded (default: shown as a Python warning).

    Returns:
        The codebook. ``thresholds.yml`` in the same folder, when present, gives each theme's
        calibrated similarity threshold.

    Raises:
        InputError: the file is missing or invalid; the message names the file, the theme and
            the pattern (an unknown key, a theme with nothing to match on, a malformed
            token pattern, a duplicate id).

    Example:
        >>> from coprod_analysis.codebooks import load_codebook
        >>> codebook = load_codebook()
        >>> codebook.ids[:4]
        ['power', 'funding', 'unlearning', 'values']
    """
    from coprod_analysis.config import config_fix, paths

    given = path is not None
    path = Path(path) if path else paths().config / CODEBOOK_FILE
    if not path.is_file():
        raise InputError(
            path,
            None,
            "the codebook does not exist",
            fix="check the path" if given else config_fix(path.parent),
        )
    if path.suffix.lower() == ".qdc":
        from coprod_analysis.refi.codebook import codebook_from_qdc

        codebook = codebook_from_qdc(path, problems=problems)
    else:
        codebook = codebook_from_yaml(path)
    return codebook.model_copy(
        update={
            "thresholds": read_thresholds(path.with_name(THRESHOLDS_FILE)),
            "source": str(path),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    )
