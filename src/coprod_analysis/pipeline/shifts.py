"""The shifts stage: per-session statistics as tables, and every chart as a quick-look HTML file."""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_analysis.config import Paths, ShiftSettings, load_project
from coprod_analysis.outputs import atomic_text, update_run_json, write_tables
from coprod_analysis.pipeline.base import Echo, StageResult

if TYPE_CHECKING:
    import pandas as pd

FREE_TEXT_QUESTIONS = ("definition", "wishlist")


def shift_tables(
    corpus,
    tags,
    topic_shares,
    codebook,
    *,
    checked=None,
    settings: ShiftSettings | None = None,
    reliability=None,
    rungs: list[str] | None = None,
) -> dict:
    """Compute every shift table from the processed tables (pure: DataFrames in, out).

    ``tags`` is the tagger's own codes (``tagged``) when ``checked`` (what people coded) is
    given, else the counted ``themes`` table; ``settings`` the declared changes and the
    tests' levels (``shifts`` in project.yml); ``reliability`` is the tagger's reliability
    card, to correct contribution shares for its error; ``rungs`` the project's ladder,
    lowest first (default: the standard ladder).

    Example:
        >>> shift_tables(corpus, tagged, topic_shares, codebook, checked=checked)  # doctest: +SKIP
    """
    import pandas as pd

    from coprod_analysis import shifts
    from coprod_analysis.themes.checked import count_checked

    core = codebook.ids
    settings = settings or ShiftSettings()
    focus = shifts.session_focus(corpus.sessions, {t.id: t.label for t in codebook.themes})
    counted = count_checked(tags, checked) if checked is not None and len(checked) else tags
    tables = {
        "theme_shifts": shifts.theme_shifts(
            corpus.segments,
            tags,
            checked=checked,
            sessions=corpus.sessions,
            theme_ids=core,
            focus=focus,
            declared=[(q.theme, q.session) for q in settings.questions],
            alpha_declared=settings.alpha_declared,
            alpha_exploratory=settings.alpha_exploratory,
            reliability=reliability,
        ),
        "shares": pd.concat(
            [
                shifts.estimate_shares(
                    corpus.segments,
                    tags,
                    checked,
                    unit=unit,
                    sessions=corpus.sessions,
                    theme_ids=core,
                )
                for unit in ("participant", "contribution")
            ],
            ignore_index=True,
        ),
        "ladder": shifts.ladder_shifts(corpus.responses, rungs=rungs),
        "ladder_distribution": shifts.ladder_distribution(corpus.responses, rungs=rungs),
        "survey_shifts": shifts.survey_shifts(corpus.responses),
        "likert_distribution": shifts.likert_distribution(corpus.responses),
        "tone_by_theme": shifts.tone_by_theme(corpus.segments, counted, sessions=corpus.sessions),
        "cooccurrence": shifts.cooccurrence(counted, theme_ids=core),
    }
    asked = set(corpus.segments["question"].dropna())
    parts = [
        shifts.question_shifts(
            corpus.segments, counted, q, sessions=corpus.sessions, theme_ids=core
        ).assign(question=q)
        for q in FREE_TEXT_QUESTIONS
        if q in asked
    ]
    tables["question_shifts"] = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if topic_shares is not None:
        tables["topic_shares"] = topic_shares
    return tables


def shift_summary(shifts):
    """The theme shift table as a person reads it: shares, how estimated, points, q, agenda.

    Example:
        >>> print(shift_summary(results.theme_shifts).to_string(index=False))  # doctest: +SKIP
    """
    import pandas as pd

    from coprod_analysis.shifts.narrative import corrected_share

    def pct(v: float) -> str:
        return "" if pd.isna(v) else f"{v:.0%}"

    def pts(v: float, low: float, high: float) -> str:
        return "" if pd.isna(v) else f"{v * 100:+.0f} [{low * 100:+.0f}, {high * 100:+.0f}]"

    return pd.DataFrame(
        {
            "session": shifts["session_id"],
            "theme": shifts["theme"],
            "participants [95%]": [
                f"{pct(s)} [{pct(lo)}, {pct(hi)}] of {n}"
                for s, lo, hi, n in zip(
                    shifts["participant_share"],
                    shifts["participant_ci_low"],
                    shifts["participant_ci_high"],
                    shifts["n_participants"],
                    strict=True,
                )
            ],
            "how": shifts["participant_method"],
            "change, points [95%]": [
                pts(*v)
                for v in zip(
                    shifts["change"], shifts["change_low"], shifts["change_high"], strict=True
                )
            ],
            "family": shifts["family"].fillna(""),
            "q": ["" if pd.isna(q) else f"{q:.3f}" for q in shifts["q"]],
            "agenda": ["yes" if a else "" for a in shifts["on_agenda"]],
            "contributions": [pct(s) for s in shifts["share"]],
            "corrected [95%]": [
                corrected_share(row, brackets=True) for _, row in shifts.iterrows()
            ],
        }
    )


def figures(tables: dict, codebook, *, min_count: int, rungs: list[str] | None = None) -> dict:
    """Build every chart from the shift tables: name → plotly Figure.

    Each name is the chart function's (with ``_<question>`` for one per question), and the
    file in reports/figures is named the same.

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
        "theme_cooccurrence": charts.theme_cooccurrence(
            tables["cooccurrence"], codebook=codebook, min_count=min_count
        ),
        "theme_tone": charts.theme_tone(
            tables["tone_by_theme"], codebook=codebook, min_count=min_count
        ),
    }
    if not tables["ladder"].empty:
        found["ladder_change"] = charts.ladder_change(
            tables["ladder"], rungs=rungs, min_count=min_count
        )
        found["ladder_distribution"] = charts.ladder_distribution(
            tables["ladder_distribution"], min_count=min_count
        )
    likert = tables["likert_distribution"]
    for question in likert["question"].unique() if not likert.empty else []:
        found[f"prepost_answers_{question}"] = charts.prepost_answers(
            likert, question=question, min_count=min_count
        )
    qs = tables["question_shifts"]
    for question in qs["question"].unique() if not qs.empty else []:
        found[f"question_themes_{question}"] = charts.question_themes(
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


_OURS = 'class="alt-text"'  # in every figure page this package writes


def write_figures(found: dict, folder: Path) -> list[Path]:
    """Write each chart as an HTML file that opens offline (plotly.js saved once beside them).

    A figure page this package wrote before that is not among ``found`` (a chart renamed, a
    question dropped) is removed, so the folder holds only this run's charts; other files stay.
    """
    import plotly.io as pio

    from coprod_analysis.charts import describe

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in found.items():
        path = folder / f"{name}.html"
        chart = pio.to_html(
            fig,
            include_plotlyjs="directory",
            full_html=False,
            div_id=name,
            config={"displayModeBar": False},
        )
        title = html.escape(str(fig.layout.title.text or name.replace("_", " ")))
        page = (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body><main><h1>{title}</h1>{chart}"
            f"<p {_OURS}>{html.escape(describe(fig))}</p></main></body></html>\n"
        )
        atomic_text(path, page)
        written.append(path)
    for old in sorted(set(folder.glob("*.html")) - set(written)):
        if _OURS in old.read_text("utf-8", errors="replace"):
            old.unlink()
    bundle = folder / "plotly.min.js"
    if not bundle.is_file():
        from plotly.offline import get_plotlyjs

        atomic_text(bundle, get_plotlyjs())
    return written


def standouts(shifts: pd.DataFrame) -> list[str]:
    """Say how many changes were tested, in which families, and list those that stand out.

    Args:
        shifts: the theme shift table (``comparisons``, ``declared``, ``within_noise``,
            ``theme``, ``change``, ``session_id``, ``q``, ``family``, ``change_method``,
            ``on_agenda``).

    Returns:
        One line for the count, then one per step change beyond the noise, in points.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.pipeline.shifts import standouts
        >>> standouts(pd.DataFrame({"comparisons": [2, 2], "declared": [1, 1],
        ...     "within_noise": [True, False], "theme": ["power", "funding"], "change": [0.1, 0.3],
        ...     "session_id": ["s2", "s3"], "q": [0.4, 0.01], "family": ["exploratory", "declared"],
        ...     "change_method": ["audit", "audit"], "on_agenda": [False, True]}))[1]
        '  funding: up 30 points of participants into s3, declared, q = 0.010 (that session was about it)'
    """
    from coprod_analysis.shifts.narrative import points

    tested = int(shifts["comparisons"].max()) if "comparisons" in shifts and len(shifts) else 0
    declared = int(shifts["declared"].max()) if "declared" in shifts and len(shifts) else 0
    flagged = shifts[shifts["within_noise"].eq(False).fillna(False)] if tested else shifts.iloc[:0]
    lines = [
        f"  {tested} changes tested on participants ({declared} declared in advance, Holm; "
        f"the rest exploratory, Benjamini–Hochberg); {len(flagged)} stand out"
    ]
    for row in flagged.to_dict("records"):
        agenda = " (that session was about it)" if row["on_agenda"] else ""
        unchecked = (
            ", on the tagger's unchecked counts" if row["change_method"] == "unchecked" else ""
        )
        lines.append(
            f"  {row['theme']}: {points(row['change'])} of participants into "
            f"{row['session_id']}, {row['family']}, q = {row['q']:.3f}{unchecked}{agenda}"
        )
    return lines


def run_shifts(where: Paths, *, echo: Echo) -> StageResult:
    """Compute the per-session shifts, write them as tables, and every chart to reports/figures.

    Example:
        >>> run_shifts(paths(), echo=print)  # doctest: +SKIP
    """
    import pandas as pd

    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.errors import InputError

    start = time.perf_counter()
    project = load_project(where.config)
    corpus = read_corpus(where.processed)
    codebook = load_codebook(where.config / "codebook.yml")
    themes_path = where.processed / "themes.parquet"
    if not themes_path.is_file():
        raise InputError(themes_path, None, "does not exist", fix="run `coprod tag` first")
    tags = pd.read_parquet(themes_path)
    tagged_path, checked_path = (
        where.processed / "tagged.parquet",
        where.processed / "checked.parquet",
    )
    checked = None
    if tagged_path.is_file() and checked_path.is_file():  # the tagger's own codes, and people's
        tags, checked = pd.read_parquet(tagged_path), pd.read_parquet(checked_path)
    shares_path = where.processed / "topic_shares.parquet"
    topic_shares = pd.read_parquet(shares_path) if shares_path.is_file() else None
    card_path = where.processed / "reliability.parquet"
    card = pd.read_parquet(card_path) if card_path.is_file() else None
    rungs = project.ladder.rungs
    tables = shift_tables(
        corpus,
        tags,
        topic_shares,
        codebook,
        checked=checked,
        settings=project.shifts,
        reliability=card,
        rungs=rungs,
    )
    written = {k: v for k, v in tables.items() if k != "topic_shares"}  # topics stage owns it
    outputs = write_tables(where.processed, written)
    found = figures(tables, codebook, min_count=project.report.min_count, rungs=rungs)
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
    for line in standouts(shifts):
        echo(line)
    if len(shifts):
        echo(
            "Theme changes (participants, estimated from what people checked; q adjusted within "
            "each family; contributions corrected by the tagger's card):"
        )
        echo(shift_summary(shifts).to_string(index=False))
    echo(f"{len(written)} tables and {len(found)} charts in {seconds:.1f} s")
    return StageResult("shifts", outputs, seconds, [])
