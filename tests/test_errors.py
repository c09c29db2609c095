"""One channel for problems: a Problem names the file, the place and the fix, wherever it goes."""

import warnings

import click
import pytest

from coprod_analysis import cli
from coprod_analysis.errors import CoprodWarning, InputError, Problem, Problems


@pytest.mark.parametrize(
    ("path", "place", "message", "fix", "expected"),
    [
        (
            "a.csv",
            "line 3",
            "bad date",
            "write YYYY-MM-DD",
            "a.csv, line 3: bad date. Fix: write YYYY-MM-DD",
        ),
        ("a.csv", None, "is empty", None, "a.csv: is empty"),
        (None, "row 2", "no text", "add text", "row 2: no text. Fix: add text"),
        (None, None, "nothing", None, "nothing"),
        ("a.csv", None, "spread\n  over   lines", None, "a.csv: spread over lines"),
    ],
)
def test_a_problem_is_one_line_naming_file_place_and_fix(path, place, message, fix, expected):
    assert Problem(path, place, message, fix).line() == expected
    assert str(InputError(path, place, message, fix=fix)) == expected
    problems = Problems()
    problems.warn(path, place, message, fix=fix)
    assert problems.lines() == [expected]
    assert str(CoprodWarning(Problem(path, place, message, fix))) == expected


@pytest.mark.parametrize(
    ("own_path", "given", "expected_path"),
    [(None, "b.qdpx", "b.qdpx"), ("a.qdpx", "b.qdpx", "a.qdpx"), (None, None, None)],
)
def test_delivered_problems_go_to_the_collector_not_to_warnings(own_path, given, expected_path):
    found = Problems()
    found.warn(own_path, "source 'x'", "skipped", fix="export again")
    run = Problems()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found.deliver(run, path=given)
    assert [p.path for p in run] == [expected_path]


def read_a_codebook(problems: Problems | None = None) -> Problems:
    """A reader as the package writes them: problems go to ``problems``, else to warnings."""
    found = Problems()
    found.warn("a.qdc", None, "no patterns", fix="add phrases")
    found.warn("a.qdc", "code 'x'", "no colour")
    found.deliver(problems)
    return found


def test_with_no_collector_each_problem_is_a_coprod_warning_with_its_fix():
    with pytest.warns(CoprodWarning) as caught:
        found = read_a_codebook()
    assert [w.message.problem for w in caught] == list(found)
    assert caught[0].filename == __file__  # points at the reader's caller


@pytest.fixture
def warn_command():
    """A throwaway ``coprod warn-once`` command that raises the given warning."""
    raised = []

    @cli.cli.command("warn-once")
    def warn_once() -> None:
        warnings.warn(raised[0], stacklevel=1)

    yield raised
    cli.cli.commands.pop("warn-once")


def test_the_command_line_shows_a_coprod_warning_as_one_line(warn_command, capsys):
    warn_command.append(CoprodWarning(Problem("a.qdc", None, "no patterns", "add phrases")))
    assert cli.main(["warn-once"]) == 0
    assert (
        click.unstyle(capsys.readouterr().err) == "warning: a.qdc: no patterns. Fix: add phrases\n"
    )


def test_the_command_line_leaves_other_warnings_to_python(warn_command, capsys):
    warn_command.append(DeprecationWarning("plain"))
    with pytest.warns(DeprecationWarning, match="plain"):
        assert cli.main(["warn-once"]) == 0
    assert capsys.readouterr().err == ""
