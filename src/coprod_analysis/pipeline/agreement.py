"""Agreement and calibration: how the tagger agrees with people, and its thresholds tuned.

What ``coprod agreement`` and ``coprod calibrate`` run; the command line only parses options.
"""

from __future__ import annotations

from pathlib import Path

from coprod_analysis.config import Paths
from coprod_analysis.errors import Problems
from coprod_analysis.pipeline.base import Echo, echo_problems, embedding_cache

DEFAULT_STATEMENTS = Path("config") / "written" / "dev_statements.csv"


def measure_agreement(
    where: Paths,
    *,
    statements: tuple[str, ...] = (),
    rules_only: bool = False,
    card: bool = False,
    echo: Echo,
) -> None:
    """Print how the tagger agrees with hand-coding, and coders with each other.

    In turn: the coded sample (``human_codes.csv``), the coding panel's coders, and statement
    sets (by default ``config/written/dev_statements.csv``).

    The classifier used for each set learns from the training statements minus that set, and
    never from the project's own hand-coding, so no set is scored by a model that saw it.

    Example:
        >>> measure_agreement(paths(), echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project
    from coprod_analysis.corpus import read_corpus
    from coprod_analysis.pipeline import training_data
    from coprod_analysis.themes import learn_themes, read_human_codes
    from coprod_analysis.themes.evaluate import evaluate, evaluate_statements

    project = load_project(where.config)
    codebook = load_codebook(where.config / "codebook.yml")
    model = project.embeddings.model
    cache = embedding_cache(where, model)
    said: set[str] = set()  # each set's training data is gathered anew; say a problem once

    def options(exclude: str | Path | None = None) -> dict:
        learned = None
        if not rules_only:
            problems = Problems()
            texts, codes = training_data(
                where, project, codebook, exclude=exclude, problems=problems, echo=echo
            )
            fresh = Problems([p for p in problems if p.line() not in said])
            said.update(echo_problems(fresh, echo))
            if texts is not None:
                learned = learn_themes(texts, codes, codebook, model=model, cache=cache)
                echo(f"  classifier used for: {', '.join(learned.used) or 'none'}")
        return {"semantic": not rules_only, "learned": learned, "model": model, "cache": cache}

    codes_path = where.raw / project.themes.human_codes
    if codes_path.is_file():
        corpus = read_corpus(where.processed)
        human = read_human_codes(codes_path, theme_ids=codebook.ids)
        result = evaluate(str(codes_path), corpus.segments, human, codebook, **options())
        echo(result.text() + "\n")
    else:
        echo(f"No hand-coding at {codes_path}; skipped.\n")
    coding_agreement(where, codebook, echo=echo)
    default = where.root / DEFAULT_STATEMENTS
    for path in statements or ([default] if default.is_file() else []):
        chosen = options(exclude=path)
        echo(evaluate_statements(path, codebook, **chosen).text() + "\n")
        if card:
            echo(card_text(path, codebook, chosen) + "\n")
    cache.save()


def card_text(path: str | Path, codebook, chosen: dict) -> str:
    """The reliability card of one statement set, as aligned text."""
    from coprod_analysis.pipeline.tag import reliability_card
    from coprod_analysis.reliability import card_table

    table = reliability_card(
        Path(path),
        codebook,
        learned=chosen["learned"],
        model=chosen["model"],
        cache=chosen["cache"],
        semantic=chosen["semantic"],
    )
    return (
        f"Reliability card, {path} (95% bootstrap intervals, 1000 resamples of the statements):\n"
        + card_table(table).to_string(index=False)
    )


def qdpx_agreement(where: Paths, qdpx: str, *, echo: Echo) -> None:
    """Agreement of the automatic tags with each coder in a .qdpx, and between coders."""
    from coprod_analysis.agreement import coder_agreement
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.corpus import read_corpus, read_table
    from coprod_analysis.refi import read_qdpx

    segments = read_corpus(where.processed).segments
    tags = read_table(where.processed, "tagged", stage="coprod tag")  # the tagger's own codes
    codebook = load_codebook(where.config / "codebook.yml")
    problems = Problems()
    codes = read_qdpx(qdpx, segments=segments, codebook=codebook, problems=problems)
    echo_problems(problems, echo)
    codes = codes.dropna(subset=["segment_id"])
    unknown = sorted(set(codes.loc[codes["theme"].isna() & codes["code"].notna(), "code"]))
    if unknown:
        echo(f"Codes that are not codebook themes (left out): {', '.join(unknown)}")
    if codes["coder"].dropna().empty:
        echo(f"No human codes in {qdpx} that match the segments; nothing to compare.")
        return
    print_coders(coder_agreement(codes, tags, theme_ids=codebook.ids), echo=echo)


_COLUMNS = ["theme", "n", "human", "auto", "precision", "recall", "f1", "kappa", "alpha"]


def print_coders(table, *, echo: Echo) -> None:
    """Print :func:`~coprod_analysis.agreement.coder_agreement`, one block per pair."""
    for (first, second), part in table.groupby(["first", "second"], sort=False):
        n = int(part["segments"].iloc[0])
        if first == "tagger":
            echo(f"\nAutomatic tags vs {second} ({n} segments):")
        else:
            echo(f"\n{first} vs {second} ({n} segments both coded):")
        echo(part[_COLUMNS].round(3).to_string(index=False))


def coding_agreement(where: Paths, codebook, *, echo: Echo) -> None:
    """Agreement between the coders of the coding panel (data/coding), and with the tagger.

    The tagger is its own codes (the ``tagged`` table), not the ``themes`` table, where the
    coders' checked codes have replaced its codes. Then the segments coders disagree on that
    nobody has settled: until then they keep the tagger's codes.
    """
    from coprod_analysis.agreement import coder_agreement, disagreements
    from coprod_analysis.corpus import read_table
    from coprod_analysis.themes.coding import read_coding

    codes = read_coding(where.coding, theme_ids=codebook.ids)
    if codes.empty:
        echo(f"No coding in {where.coding} yet: code segments with cp.coding_panel().")
        return
    tagged = where.processed / "tagged.parquet"
    tags = read_table(where.processed, "tagged", stage="coprod tag") if tagged.is_file() else None
    echo(
        f"Coding panel ({where.coding}): {codes['segment_id'].nunique()} segments coded by "
        f"{', '.join(sorted(codes['coder'].unique()))}."
        + ("" if tags is not None else " (Run `coprod tag` to compare them with the tagger.)")
    )
    print_coders(coder_agreement(codes, tags, theme_ids=codebook.ids), echo=echo)
    open_ = disagreements(codes, labels={t.id: t.label for t in codebook.themes})
    if len(open_):
        echo(
            f"To settle: coders disagree on {len(open_)} segment(s), which keep the tagger's codes "
            "until settled (cp.coding_panel(name, mode='settle') saves to settled.csv):"
        )
        echo(open_.drop(columns=["memos"]).to_string(index=False))
    else:
        echo("To settle: none.")
    echo("")


def calibrate_thresholds(where: Paths, statements: str, *, echo: Echo) -> Path:
    """Calibrate each theme's semantic threshold on labelled statements; write thresholds.yml.

    Example:
        >>> calibrate_thresholds(paths(), "config/written/dev_statements.csv", echo=print)  # doctest: +SKIP
    """
    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.config import load_project
    from coprod_analysis.themes import read_statements
    from coprod_analysis.themes.calibrate import calibrate as run
    from coprod_analysis.themes.calibrate import write_thresholds

    model = load_project(where.config).embeddings.model
    codebook = load_codebook(where.config / "codebook.yml")
    segments, human = read_statements(statements, theme_ids=codebook.ids)
    cache = embedding_cache(where, model)
    table = run(segments, human, codebook, model=model, cache=cache)
    cache.save()
    path = write_thresholds(table, codebook, source=statements, model=model)
    echo(table.to_string(index=False))
    echo(f"Wrote {path}")
    return path
