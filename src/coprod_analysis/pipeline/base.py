"""What every stage returns, and how it reports progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Echo = Callable[[str], None]


@dataclass
class StageResult:
    """What one stage wrote and how long it took."""

    name: str
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
