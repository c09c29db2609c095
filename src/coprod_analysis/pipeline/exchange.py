"""The exchange stage: the codebook and the coded project as REFI-QDA files for QDA tools."""

from __future__ import annotations

import time

from coprod_analysis.config import Paths
from coprod_analysis.pipeline.base import Echo, StageResult

QDC_FILE = "codebook.qdc"
QDPX_FILE = "coproduction.qdpx"
FRAMEWORK_FILE = "framework-matrix.xlsx"
VIEWS = {
    "session": "By session",
    "sector": "By sector",
    "organisation": "By organisation",
    "participant": "By participant",
}


def export_codebook(where: Paths, *, output=None, echo: Echo) -> StageResult:
    """Write the codebook as ``reports/codebook.qdc``, valid against Codebook-mrt2019.xsd.

    Example:
        >>> export_codebook(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis import __version__
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.refi import write_qdc

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
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.corpus import read_corpus, read_table
    from coprod_analysis.refi import write_qdpx
    from coprod_analysis.themes.coding import read_coding

    start = time.perf_counter()
    corpus = read_corpus(where.processed)
    # the automatic coding is the tagger's own; each coder's codes travel as theirs
    tags = read_table(where.processed, "tagged", stage="coprod tag")
    codebook = load_codebook(where.config / "codebook.yml")
    codes = read_coding(where.coding, theme_ids=codebook.ids)
    path = write_qdpx(
        output or where.reports / QDPX_FILE,
        corpus,
        tags,
        codebook,
        origin=f"coprod-analysis {__version__}",
        codes=codes,
    )
    sources = corpus.segments["source_file"].nunique()
    methods = ", ".join(f"{k} {v}" for k, v in tags["method"].value_counts().items())
    echo(
        f"  {path}: {sources} sources, {len(tags)} codings ({methods}), "
        f"{path.stat().st_size / 1e3:.0f} kB, valid against Project-mrt2019.xsd"
    )
    if len(codes):
        echo(
            f"  {path}: hand codes of {codes['segment_id'].nunique()} segments by "
            f"{', '.join(sorted(codes['coder'].unique()))}, "
            f"{int((codes.drop_duplicates(['segment_id', 'coder'])['memo'] != '').sum())} memo(s) as notes"
        )
    return StageResult("project", [path], time.perf_counter() - start)


def framework_views(where: Paths) -> dict:
    """The framework matrix's display tables, one per view (session, sector, organisation, participant).

    A view the data cannot give (no survey answer naming sectors, say) is left out. A sector or
    organisation with fewer than ``report.min_count`` participants is left out: its row would
    tell what one or two identifiable people said.

    Example:
        >>> sorted(framework_views(paths()))  # doctest: +SKIP
        ['By organisation', 'By participant', 'By sector', 'By session']
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project
    from coprod_analysis.corpus import read_corpus, read_table
    from coprod_analysis.errors import InputError
    from coprod_analysis.framework import framework_cells, framework_matrix
    from coprod_analysis.story import session_names

    corpus = read_corpus(where.processed)
    tags = read_table(where.processed, "themes", stage="coprod tag")
    codebook = load_codebook(where.config / "codebook.yml")
    min_count = load_project(where.config).report.min_count
    labels = {t.id: t.label for t in codebook.themes}
    views = {}
    for rows, title in VIEWS.items():
        try:
            matrix = framework_matrix(
                corpus.segments,
                tags,
                rows=rows,
                responses=corpus.responses,
                theme_ids=codebook.ids,
                names=session_names(corpus.sessions, short=True) if rows == "session" else None,
                min_count=min_count,
            )
        except InputError:
            continue  # this data has no such rows (e.g. no sector question)
        if rows in ("sector", "organisation"):
            people = matrix.groupby("row_id")["n"].max()
            matrix = matrix[matrix["row_id"].isin(people[people >= min_count].index)]
        if len(matrix):
            views[title] = framework_cells(matrix, labels=labels)
    return views


def export_framework(where: Paths, *, echo: Echo) -> StageResult:
    """Write the framework matrix as ``reports/framework-matrix.xlsx``, one sheet per view.

    Example:
        >>> export_framework(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.framework import framework_workbook

    start = time.perf_counter()
    views = framework_views(where)
    path = where.reports / FRAMEWORK_FILE
    framework_workbook(views, path)
    sizes = ", ".join(f"{name} {len(table)} rows" for name, table in views.items())
    echo(f"  {path}: {sizes}")
    return StageResult("framework", [path], time.perf_counter() - start)


def run_exchange(where: Paths, *, echo: Echo) -> StageResult:
    """Export the codebook (.qdc), the coded project (.qdpx) and the framework matrix (.xlsx).

    The first two are for NVivo, ATLAS.ti, MAXQDA and QualCoder; the last for spreadsheets.
    """
    parts = [
        export_codebook(where, echo=echo),
        export_project(where, echo=echo),
        export_framework(where, echo=echo),
    ]
    return StageResult(
        "exchange", [p for r in parts for p in r.outputs], sum(r.seconds for r in parts)
    )
