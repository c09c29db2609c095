"""Errors and warnings that name the file, the place and the fix, in one line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def _where(path: str | Path | None, place: str | None) -> str:
    parts = [str(path)] if path else []
    if place:
        parts.append(place)
    return ", ".join(parts)


class InputError(ValueError):
    """Bad input or configuration: one line naming the file, the place and the fix.

    The command line prints it without a traceback and exits with code 2.

    Example:
        >>> from coprod_analysis.errors import InputError
        >>> str(InputError("data/raw/sessions.csv", "line 3", "date 'soon' is not a date",
        ...                fix="write it as YYYY-MM-DD"))
        "data/raw/sessions.csv, line 3: date 'soon' is not a date. Fix: write it as YYYY-MM-DD"
    """

    def __init__(
        self,
        path: str | Path | None,
        place: str | None,
        message: str,
        *,
        fix: str | None = None,
    ) -> None:
        self.path = str(path) if path else None
        self.place = place
        self.message = message
        self.fix = fix
        super().__init__(self.line())

    def line(self) -> str:
        """Return the whole error as one line of text."""
        where = _where(self.path, self.place)
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f". Fix: {self.fix}"
        return " ".join(text.split())


@dataclass(frozen=True)
class Problem:
    """A problem that does not stop the run (an empty file, an unmapped column)."""

    path: str | None
    place: str | None
    message: str
    fix: str | None = None

    def line(self) -> str:
        """Return the warning as one line of text."""
        return InputError(self.path, self.place, self.message, fix=self.fix).line()


@dataclass
class Problems:
    """Collects warnings during a run, to show in the summary and in run.json."""

    items: list[Problem] = field(default_factory=list)

    def warn(
        self,
        path: str | Path | None,
        place: str | None,
        message: str,
        *,
        fix: str | None = None,
    ) -> None:
        """Record a warning."""
        self.items.append(Problem(str(path) if path else None, place, message, fix))

    def lines(self) -> list[str]:
        """Return every warning as one line of text, in the order they were found."""
        return [p.line() for p in self.items]

    def __len__(self) -> int:
        return len(self.items)
