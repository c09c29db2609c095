"""The ``coprod`` command line.

Exit codes: 0 success (warnings allowed), 2 bad input or configuration, 1 internal error.
"""

from __future__ import annotations

import functools
import os
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click

from coprod_analysis import __version__
from coprod_analysis.config import Paths, paths
from coprod_analysis.errors import CoprodWarning, InputError

_FOLDERS = (
    ("raw", "data/raw", "Raw inputs: sessions.csv and one folder per session (never written)."),
    ("processed", "data/processed", "Where the tables are written."),
    ("reports", "reports", "Where the reports are written."),
    ("config", "config", "Settings: project.yml, codebook.yml and the pseudonym key."),
)


def _echo(message: str) -> None:
    click.echo(message)


def folders(command: Callable) -> Callable:
    """Add --raw, --processed, --reports and --config, resolved into one ``where`` argument."""

    @functools.wraps(command)
    def wrapper(raw, processed, reports, config, **kwargs):
        where = paths(raw=raw, processed=processed, reports=reports, config=config)
        return command(where=where, **kwargs)

    for name, default, text in reversed(_FOLDERS):
        wrapper = click.option(
            f"--{name}",
            type=click.Path(file_okay=False),
            envvar=f"COPROD_{name.upper()}",
            help=f"{text} [default: {default}; env COPROD_{name.upper()}]",
        )(wrapper)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coprod")
def cli() -> None:
    """Co-production roundtable analysis: ingest, tag, model topics and report.

    Run `coprod report` after each roundtable to rebuild every table and report.
    """


def _shown(folder: Path) -> str:
    """A folder as a person reads it: relative inside the working folder, else absolute."""
    from coprod_analysis.pipeline.base import shown

    return shown(folder)


def _stage(name: str, where: Paths, **options: object) -> None:
    """Run one stage and say how many outputs it wrote, and how many warnings it had."""
    from coprod_analysis.pipeline import STAGES

    result = STAGES[name](where, echo=_echo, **options)
    folders = Counter(_shown(path.parent) for path in result.outputs)
    wrote = ", ".join(f"{n} to {folder}" for folder, n in folders.items()) or "nothing"
    warned = f"; {len(result.warnings)} warning(s)" if result.warnings else ""
    click.echo(f"Wrote {wrote}{warned}")


@cli.command()
@folders
def ingest(where: Paths) -> None:
    """Read data/raw, pseudonymise and redact, and write sessions, segments and responses."""
    _stage("ingest", where)


@cli.command()
@folders
def tag(where: Paths) -> None:
    """Tag the segments with the codebook's themes and write the themes table."""
    _stage("tag", where)


@cli.command()
@folders
@click.option(
    "--refit", is_flag=True, help="Refit from scratch even if the topics could be extended."
)
def topics(where: Paths, refit: bool) -> None:
    """Fit topic models on the segments and write topics, topic_info and the saved model."""
    _stage("topics", where, refit=refit)


@cli.command()
@folders
def shifts(where: Paths) -> None:
    """Compute per-session shifts (tables) and write every chart to reports/figures/."""
    _stage("shifts", where)


def _output(default: str) -> Callable:
    """The ``--output`` option of an export, with the file it writes when not given."""
    return click.option(
        "--output", type=click.Path(dir_okay=False), help=f"Where to write it. [default: {default}]"
    )


@cli.command("export-qdc")
@folders
@_output("reports/codebook.qdc")
def export_qdc(where: Paths, output: str | None) -> None:
    """Write the codebook as a REFI-QDA codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    from coprod_analysis.pipeline import export_codebook

    export_codebook(where, output=output, echo=_echo)


@cli.command("export-qdpx")
@folders
@_output("reports/coproduction.qdpx")
def export_qdpx(where: Paths, output: str | None) -> None:
    """Write the redacted sources and the automatic coding as a REFI-QDA project (.qdpx).

    Import it in your QDA tool to review the coding; export it again (.qdpx) and run
    `coprod agreement --qdpx FILE` to measure agreement with your codes.
    """
    from coprod_analysis.pipeline import export_project

    export_project(where, output=output, echo=_echo)


@cli.command()
@folders
@click.option(
    "--statements",
    "statements",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A labelled statement file (id,text,themes) to evaluate on; repeatable. "
    "[default: config/written/dev_statements.csv when present]",
)
@click.option("--rules-only", is_flag=True, help="Leave out semantic matching.")
@click.option(
    "--card",
    is_flag=True,
    help="Also print each statement set's reliability card: precision, recall, F1, Cohen's κ "
    "and Gwet's AC1 with bootstrap 95% intervals, and the two coders' κ when the file has "
    "coder_a and coder_b.",
)
@click.option(
    "--qdpx",
    type=click.Path(dir_okay=False),
    help="A REFI-QDA project coded in NVivo, ATLAS.ti, MAXQDA or QualCoder: compare each "
    "coder's codes with the automatic tags (and coders with each other), then stop.",
)
def agreement(
    where: Paths, statements: tuple[str, ...], rules_only: bool, card: bool, qdpx: str | None
) -> None:
    """Print how the tagger agrees with hand-coding: the coded sample and statement sets.

    The classifier used for each set learns from the training statements minus that set, and
    never from the project's own hand-coding, so no set is scored by a model that saw it.
    """
    from coprod_analysis.pipeline.agreement import measure_agreement, qdpx_agreement

    if qdpx:
        qdpx_agreement(where, qdpx, echo=_echo)
        return
    measure_agreement(where, statements=statements, rules_only=rules_only, card=card, echo=_echo)


@cli.command()
@folders
@click.option(
    "-n", "count", default=20, show_default=True, type=click.IntRange(1), help="How many."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help="Also write the list as CSV (e.g. to fill in and add to data/raw/human_codes.csv).",
)
def suggest(where: Paths, count: int, output: str | None) -> None:
    """List the segments to hand-code next: those whose tags are least certain."""
    from coprod_analysis.outputs import atomic_write, csv_safe
    from coprod_analysis.pipeline.suggest import suggest_coding

    table = suggest_coding(n=count, where=where, echo=_echo)
    if table.empty:
        click.echo("Every segment is hand-coded already; nothing to suggest.")
        return
    click.echo(f"The {len(table)} segment(s) whose tags are least certain, most first:")
    for row in table.itertuples():
        text = " ".join(str(row.text).split())
        click.echo(
            f"  {row.segment_id}  {row.session_id}  {row.source_kind:<10} "
            f"uncertainty {row.uncertainty:.2f} ({row.theme} p={row.probability:.2f})  "
            f"{text[:90]}{'…' if len(text) > 90 else ''}"
        )
    if output:
        atomic_write(Path(output), lambda tmp: csv_safe(table).to_csv(tmp, index=False))
        click.echo(f"Wrote {output}")
    click.echo(
        "Code them in the coding panel (cp.coding_panel in notebook 02, 'Suggested next') or in "
        "data/raw/human_codes.csv (segment_id,themes), and run make report: the classifier "
        "learns from them."
    )


@cli.command()
@folders
@click.option(
    "--participants",
    type=click.IntRange(1),
    help="Draw at random until each session has this many participants in the audit "
    "(a second run with the same number draws nothing new).",
)
@click.option("--seed", type=int, help="The random seed, recorded in the plan. [default: fresh]")
@click.option(
    "--session",
    "sessions",
    multiple=True,
    help="Draw only for this session (repeatable). [default: every session]",
)
@click.option(
    "--advise",
    is_flag=True,
    help="Also say how many more participants to audit, in which session, for each core "
    "theme's share to be within ±--target points.",
)
@click.option(
    "--target",
    type=click.FloatRange(1, 50),
    default=10,
    show_default=True,
    help="The interval's half-width wanted, in percentage points.",
)
def audit(
    where: Paths,
    participants: int | None,
    seed: int | None,
    sessions: tuple[str, ...],
    advise: bool,
    target: float,
) -> None:
    """Draw a random audit of participants to code blind, and say how far it has got.

    The plan is kept in data/coding/audit.csv. Coding every contribution of a few random
    participants per session makes every share honest, however good the tagger
    (prediction-powered inference); `coprod report` then estimates the shares with it.
    """
    from coprod_analysis.pipeline.audit import run_audit

    run_audit(
        where,
        participants=participants,
        seed=seed,
        sessions=sessions,
        advice=advise,
        target=target / 100,
        echo=_echo,
    )


@cli.command()
@folders
@click.option(
    "--statements",
    type=click.Path(dir_okay=False),
    default="config/written/dev_statements.csv",
    show_default=True,
    help="Labelled statements (id,text,themes) to calibrate on.",
)
def calibrate(where: Paths, statements: str) -> None:
    """Calibrate each theme's semantic threshold and write thresholds.yml beside the codebook."""
    from coprod_analysis.pipeline.agreement import calibrate_thresholds

    calibrate_thresholds(where, statements, echo=_echo)


@cli.command()
@folders
def report(where: Paths) -> None:
    """Run every stage on data/raw and regenerate all outputs."""
    from coprod_analysis.pipeline import STAGES

    start = time.perf_counter()
    results = []
    for i, (name, stage) in enumerate(STAGES.items(), start=1):
        click.echo(click.style(f"[{i}/{len(STAGES)}] {name}", bold=True))
        results.append(stage(where, echo=_echo))
    click.echo(click.style("Summary", bold=True))
    for result in results:
        reused = f"  ({result.reused})" if result.reused else ""
        click.echo(
            f"  {result.name:<10} {result.seconds:6.1f} s  {len(result.warnings)} warning(s)"
            f"{reused}"
        )
        for path in result.outputs:
            click.echo(f"    {os.path.relpath(path)}")
    click.echo(f"  total      {time.perf_counter() - start:6.1f} s")


def _one_line(default: Callable[..., None]) -> Callable[..., None]:
    """Show a :class:`CoprodWarning` as one ``warning:`` line; any other warning as ``default``."""

    def show(message, category, *args, **kwargs) -> None:
        if issubclass(category, CoprodWarning):
            click.secho(f"warning: {message}", err=True, fg="yellow")
        else:
            default(message, category, *args, **kwargs)

    return show


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (the ``coprod`` entry point)."""
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line(warnings.showwarning)
            cli.main(args=argv, prog_name="coprod", standalone_mode=False)
    except InputError as exc:
        click.secho(f"error: {exc.line()}", err=True, fg="red")
        return 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted; earlier outputs are left as they were.", err=True)
        return 130
    except Exception as exc:
        if os.environ.get("COPROD_DEBUG"):
            raise
        click.secho(
            f"internal error: {type(exc).__name__}: {exc} (set COPROD_DEBUG=1 for the traceback, "
            "and please report it)",
            err=True,
            fg="red",
        )
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
