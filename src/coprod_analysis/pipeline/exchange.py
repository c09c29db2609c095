"""The exchange stage: the codebook and the coded project as REFI-QDA files for QDA tools."""

from __future__ import annotations

import time

from coprod_analysis.config import Paths
from coprod_analysis.pipeline.base import Echo, StageResult

QDC_FILE = "codebook.qdc"
QDPX_FILE = "coproduction.qdpx"


def export_codebook(where: Paths, *, output=None, echo: Echo) -> StageResult:
    """Write the codebook as ``reports/codebook.qdc``, valid against Codebook-mrt2019.xsd.

    Example:
        >>> export_codebook(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis import __version__
    from coprod_analysis.refi import write_qdc
    from coprod_analysis.themes import load_codebook

    start = time.perf_counter()
    codebook = load_codebook(where.config / "codebook.yml")
    path = write_qdc(
        output or where.reports / QDC_FILE, codebook, origin=f"coprod-analysis {__version__}"
    )
    echo(f"  {path}: {len(codebook.themes)} codes, valid against Codebook-mrt2019.xsd")
    return StageResult("codebook", [path], time.perf_counter() - start)


def export_project(where: Paths, *, output=None, echo: Echo) -> StageResult:
    """Write the redacted sources and every theme tag as ``reports/coproduction.qdpx``.

    Example:
        >>> export_project(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis import __version__
    from coprod_analysis.corpus import read_corpus, read_table
    from coprod_analysis.refi import write_qdpx
    from coprod_analysis.themes import load_codebook
    from coprod_analysis.themes.coding import read_coding

    start = time.perf_counter()
    corpus = read_corpus(where.processed)
    themes = read_table(where.processed, "themes", stage="coprod tag")
    codebook = load_codebook(where.config / "codebook.yml")
    codes = read_coding(where.coding, themes=codebook.ids)
    path = write_qdpx(
        output or where.reports / QDPX_FILE,
        corpus,
        themes,
        codebook,
        origin=f"coprod-analysis {__version__}",
        codes=codes,
    )
    sources = corpus.segments["source_file"].nunique()
    methods = ", ".join(f"{k} {v}" for k, v in themes["method"].value_counts().items())
    echo(
        f"  {path}: {sources} sources, {len(themes)} codings ({methods}), "
        f"{path.stat().st_size / 1e3:.0f} kB, valid against Project-mrt2019.xsd"
    )
    if len(codes):
        echo(
            f"  {path}: hand codes of {codes['segment_id'].nunique()} segments by "
            f"{', '.join(sorted(codes['coder'].unique()))}, "
            f"{int((codes.drop_duplicates(['segment_id', 'coder'])['memo'] != '').sum())} memo(s) as notes"
        )
    return StageResult("project", [path], time.perf_counter() - start)


def run_exchange(where: Paths, *, echo: Echo) -> StageResult:
    """Export the codebook (.qdc) and the coded project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder."""
    parts = [export_codebook(where, echo=echo), export_project(where, echo=echo)]
    return StageResult(
        "exchange", [p for r in parts for p in r.outputs], sum(r.seconds for r in parts)
    )
