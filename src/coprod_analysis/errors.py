"""Problems that name the file, the place and the fix, in one line: one channel for all of them.

A :class:`Problem` is the one record. A problem that stops the run is raised as an
:class:`InputError`; one that does not is collected in :class:`Problems`. The command line shows
the collected problems in its summary and ``run.json``; in a notebook, functions given no
collector hand each problem to Python's ``warnings`` as a :class:`CoprodWarning`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

Where = str | Path | None


@dataclass(frozen=True)
class Problem:
    """What went wrong, where (file and place), and the fix.

    Example:
        >>> from coprod_analysis.errors import Problem
        >>> Problem("data/raw/sessions.csv", "line 3", "date 'soon' is not a date",
        ...         fix="write it as YYYY-MM-DD").line()
        "data/raw/sessions.csv, line 3: date 'soon' is not a date. Fix: write it as YYYY-MM-DD"
    """

    path: str | None
    place: str | None
    message: str
    fix: str | None = None

    @classmethod
    def at(cls, path: Where, place: str | None, message: str, fix: str | None) -> Problem:
        """Make a problem, taking the path as a string or a :class:`~pathlib.Path`."""
        return cls(str(path) if path else None, place, message, fix)

    def line(self) -> str:
        """Return the problem as one line of text."""
        where = ", ".join(part for part in (self.path, self.place) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f". Fix: {self.fix}"
        return " ".join(text.split())


class InputError(ValueError):
    """Bad input or configuration that stops the run: one :class:`Problem`, as one line.

    The command line prints it without a traceback and exits with code 2.

    Example:
        >>> from coprod_analysis.errors import InputError
        >>> str(InputError("data/raw/sessions.csv", "line 3", "date 'soon' is not a date",
        ...                fix="write it as YYYY-MM-DD"))
        "data/raw/sessions.csv, line 3: date 'soon' is not a date. Fix: write it as YYYY-MM-DD"
    """

    def __init__(self, path: Where, place: str | None, message: str, *, fix: str | None = None):
        self.problem = Problem.at(path, place, message, fix)
        super().__init__(self.problem.line())

    def line(self) -> str:
        """Return the whole error as one line of text."""
        return self.problem.line()


class CoprodWarning(UserWarning):
    """A :class:`Problem` that did not stop the work, shown through Python's ``warnings``.

    Example:
        >>> import warnings
        >>> from coprod_analysis.errors import CoprodWarning, Problem
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     warnings.warn(CoprodWarning(Problem("a.qdpx", None, "odd", fix="look")))
        >>> caught[0].message.problem.fix
        'look'
    """

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.line())


@dataclass
class Problems:
    """Collects the problems that do not stop a run, to show in the summary and in run.json.

    Example:
        >>> from coprod_analysis.errors import Problems
        >>> problems = Problems()
        >>> problems.warn("s1/notes.md", None, "is empty; skipped", fix="remove it")
        >>> problems.lines()
        ['s1/notes.md: is empty; skipped. Fix: remove it']
    """

    items: list[Problem] = field(default_factory=list)

    def warn(self, path: Where, place: str | None, message: str, *, fix: str | None = None):
        """Record a problem."""
        self.items.append(Problem.at(path, place, message, fix))

    def lines(self) -> list[str]:
        """Return every problem as one line of text, in the order they were found."""
        return [p.line() for p in self.items]

    def deliver(self, to: Problems | None, *, path: Where = None, stacklevel: int = 3) -> None:
        """Add these problems to ``to``; with no collector, warn with each as a :class:`CoprodWarning`.

        Functions a notebook calls take ``problems=None`` and end with ``found.deliver(problems)``:
        the pipeline passes its collector, a researcher sees warnings. ``path``, when given,
        fills in the file of problems that do not name one.

        Example:
            >>> import warnings
            >>> from coprod_analysis.errors import CoprodWarning, Problems
            >>> found = Problems()
            >>> found.warn(None, "source 'a'", "skipped")
            >>> run = Problems()
            >>> found.deliver(run, path="coded.qdpx")
            >>> run.lines()
            ["coded.qdpx, source 'a': skipped"]
            >>> with warnings.catch_warnings(record=True) as caught:
            ...     warnings.simplefilter("always")
            ...     found.deliver(None)
            >>> caught[0].category is CoprodWarning
            True
        """
        import dataclasses
        import warnings

        items = [
            dataclasses.replace(p, path=str(path)) if path and not p.path else p for p in self.items
        ]
        if to is not None:
            to.items.extend(items)
            return
        for problem in items:
            warnings.warn(CoprodWarning(problem), stacklevel=stacklevel)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
