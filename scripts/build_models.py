"""Build data/models: what every clone would compute alike from the bundled statements.

Two files per encoder, both safe to load (no pickle):

* ``embeddings-<model>.safetensors``: the vectors of every training statement
  (``themes.training_statements``) and of the reliability set
  (``themes.reliability_statements``), so a fresh clone encodes only its own segments;
* ``learned-<model>.json``: the classifier's cross-validation on the training statements
  (which themes beat rules plus similarity), keyed by a hash of the statements, their codes,
  the codebook, the encoder and the settings (:mod:`coprod_analysis.themes.shipped`). A run
  whose statements match the key fits only the final layer.

Run it after changing the statements, the codebook, its thresholds or the encoder;
``tests/themes/test_shipped.py`` fails until you do. Takes about two minutes on 2 cores.

Usage::

    .venv/bin/python scripts/build_models.py
"""

from __future__ import annotations

import argparse
import time

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.config import MODELS, load_project, paths
from coprod_analysis.embeddings import EmbeddingCache, embed, shipped_path, text_key, write_vectors
from coprod_analysis.errors import Problems
from coprod_analysis.pipeline import training_data
from coprod_analysis.themes import learn_themes, read_statements
from coprod_analysis.themes.shipped import decision_path, statements_key, write_decision


def main() -> None:
    """Encode the bundled statements and cross-validate the classifier on them."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    where = paths()
    project = load_project(where.config)
    codebook = load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    problems = Problems()
    texts, codes = training_data(where, project, codebook, problems=problems, echo=print)
    if texts is None or problems:
        raise SystemExit(f"error: no training statements to build from ({problems})")
    everything = list(texts["text"])
    if project.themes.reliability_statements:
        scored, _ = read_statements(
            where.root / project.themes.reliability_statements, theme_ids=codebook.ids
        )
        everything += list(scored["text"])
    cache = EmbeddingCache(None, model)
    start = time.perf_counter()
    embed(everything, model=model, cache=cache, progress=print)
    folder = where.root / MODELS
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {text_key(t) for t in everything}
    write_vectors(
        shipped_path(folder, model),
        {k: v for k, v in cache.vectors.items() if k in wanted},
        model=model,
    )
    print(f"{len(wanted):,} vectors in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    learned = learn_themes(texts, codes, codebook, model=model, cache=cache)
    key = statements_key(texts, codes, codebook, model=model)
    write_decision(decision_path(folder, model), learned.report, key=key)
    print(f"cross-validated in {time.perf_counter() - start:.1f} s; classifier used for:")
    print(learned.report[["theme", "n", "positives", "f1_rules_semantic", "f1_learned", "used"]])
    print(f"wrote {shipped_path(folder, model)} and {decision_path(folder, model)}")


if __name__ == "__main__":
    main()
