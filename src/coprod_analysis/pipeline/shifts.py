"""The shifts stage: per-session statistics as tables, and every chart as a quick-look HTML file."""

from __future__ import annotations

import html
import time
from pathlib import Path

from coprod_analysis.config import Paths, load_project
from coprod_analysis.outputs import atomic_write, update_run_json, write_tables
from coprod_analysis.pipeline.base import Echo, StageResult

FREE_TEXT_QUESTIONS = ("definition", "wishlist")


def shift_tables(corpus, themes, topic_shares, codebook) -> dict:
    """Compute every shift table from the processed tables (pure: DataFrames in, out).

    Example:
        >>> shift_tables(corpus, themes, topic_shares, codebook)  # doctest: +SKIP
    """
    import pandas as pd

    from coprod_analysis import shifts

    core = codebook.ids
    tables = {
        "theme_shifts": shifts.theme_shifts(
            corpus.segments, themes, sessions=corpus.sessions, theme_ids=core
        ),
        "ladder": shifts.ladder_shifts(corpus.responses),
        "ladder_distribution": shifts.ladder_distribution(corpus.responses),
        "survey_shifts": shifts.survey_shifts(corpus.responses),
        "likert_distribution": shifts.likert_distribution(corpus.responses),
        "tone_by_theme": shifts.tone_by_theme(corpus.segments, themes, sessions=corpus.sessions),
        "cooccurrence": shifts.cooccurrence(themes, theme_ids=core),
    }
    asked = set(corpus.segments["question"].dropna())
    parts = [
        shifts.question_shifts(
            corpus.segments, themes, q, sessions=corpus.sessions, theme_ids=core
        ).assign(question=q)
        for q in FREE_TEXT_QUESTIONS
        if q in asked
    ]
    tables["question_shifts"] = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if topic_shares is not None:
        tables["topic_shares"] = topic_shares
    return tables


def figures(tables: dict, codebook, *, min_count: int) -> dict:
    """Build every chart from the shift tables: name → plotly Figure.

    Example:
        >>> figures(shift_tables(...), codebook, min_count=3)  # doctest: +SKIP
    """
    from coprod_analysis import charts

    core = [t.id for t in codebook.themes if t.core] or codebook.ids
    prevalence = tables["theme_shifts"][tables["theme_shifts"]["theme"].isin(core)]
    found = {
        "theme_prevalence": charts.theme_prevalence(
            prevalence, codebook=codebook, min_count=min_count
        ),
        "cooccurrence": charts.cooccurrence_heatmap(
            tables["cooccurrence"], codebook=codebook, min_count=min_count
        ),
        "tone_by_theme": charts.tone_chart(
            tables["tone_by_theme"], codebook=codebook, min_count=min_count
        ),
    }
    if not tables["ladder"].empty:
        found["ladder_dumbbell"] = charts.ladder_dumbbell(tables["ladder"], min_count=min_count)
        found["ladder_distribution"] = charts.ladder_distribution_chart(
            tables["ladder_distribution"], min_count=min_count
        )
    likert = tables["likert_distribution"]
    for question in likert["question"].unique() if not likert.empty else []:
        found[f"prepost_{question}"] = charts.prepost_bars(
            likert, question=question, min_count=min_count
        )
    qs = tables["question_shifts"]
    for question in qs["question"].unique() if not qs.empty else []:
        found[f"question_{question}"] = charts.question_multiples(
            qs[qs["question"] == question],
            question=question,
            codebook=codebook,
            min_count=min_count,
        )
    if "topic_shares" in tables and not tables["topic_shares"].empty:
        found["topics_over_sessions"] = charts.topics_over_sessions(
            tables["topic_shares"], min_count=min_count
        )
    return found


def write_figures(found: dict, folder: Path) -> list[Path]:
    """Write each chart as an HTML file that opens offline (plotly.js saved once beside them)."""
    import plotly.io as pio

    from coprod_analysis.charts import describe

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in found.items():
        path = folder / f"{name}.html"
        page = pio.to_html(fig, include_plotlyjs="directory", full_html=True, div_id=name)
        alt = f'<p class="alt-text">{html.escape(describe(fig))}</p>'
        page = page.replace("</body>", f"{alt}</body>")
        atomic_write(path, lambda tmp, page=page: tmp.write_text(page, "utf-8"))
        written.append(path)
    bundle = folder / "plotly.min.js"
    if not bundle.is_file():
        from plotly.offline import get_plotlyjs

        atomic_write(bundle, lambda tmp: tmp.write_text(get_plotlyjs(), "utf-8"))
    return written


def run_shifts(where: Paths, *, echo: Echo) -> StageResult:
    """Compute the per-session shifts, write them as tables, and every chart to reports/figures.

    Example:
        >>> run_shifts(paths(), echo=print)  # doctest: +SKIP
    """
    import pandas as pd

    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.errors import InputError
    from coprod_analysis.themes import load_codebook

    start = time.perf_counter()
    project = load_project(where.config)
    corpus = read_corpus(where.processed)
    codebook = load_codebook(where.config / "codebook.yml")
    themes_path = where.processed / "themes.parquet"
    if not themes_path.is_file():
        raise InputError(themes_path, None, "does not exist", fix="run `coprod tag` first")
    themes = pd.read_parquet(themes_path)
    shares_path = where.processed / "topic_shares.parquet"
    topic_shares = pd.read_parquet(shares_path) if shares_path.is_file() else None
    tables = shift_tables(corpus, themes, topic_shares, codebook)
    written = {k: v for k, v in tables.items() if k != "topic_shares"}  # topics stage owns it
    outputs = write_tables(where.processed, written)
    found = figures(tables, codebook, min_count=project.report.min_count)
    outputs += write_figures(found, where.reports / "figures")
    seconds = time.perf_counter() - start
    outputs.append(
        update_run_json(
            where.processed,
            "shifts",
            {"seconds": round(seconds, 3), "tables": sorted(written), "figures": sorted(found)},
        )
    )
    shifts = tables["theme_shifts"]
    for row in shifts[shifts["within_noise"].eq(False).fillna(False)].itertuples():
        echo(
            f"  {row.theme}: {row.change:+.0%} from the previous session to {row.session_id} (beyond the noise)"
        )
    echo(f"{len(written)} tables and {len(found)} charts in {seconds:.1f} s")
    return StageResult("shifts", outputs, seconds, [])
