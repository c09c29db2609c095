"""The notebooks stage: run every notebook headless and export the reports."""

from __future__ import annotations

import time

from coprod_analysis.config import Paths
from coprod_analysis.outputs import update_run_json
from coprod_analysis.pipeline.base import Echo, StageResult, reuse_note


def run_notebooks(where: Paths, *, echo: Echo) -> StageResult:
    """Execute the notebooks on the processed tables and write the HTML reports.

    Example:
        >>> run_notebooks(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.report import REPORT_FILE, build_reports

    start = time.perf_counter()
    written, reused = build_reports(where, echo=echo)
    seconds = time.perf_counter() - start
    report = where.reports / REPORT_FILE
    size = report.stat().st_size / 1e6 if report.is_file() else 0.0
    echo(f"The funders' report: {report} ({size:.1f} MB, opens offline)")
    written.append(
        update_run_json(
            where.processed,
            "notebooks",
            {"seconds": round(seconds, 3), "report_mb": round(size, 2), "reused": reused},
        )
    )
    total = len(list((where.root / "notebooks").glob("[0-9][0-9]-*.ipynb")))
    return StageResult("notebooks", written, seconds, [], reused=reuse_note(len(reused), total))
