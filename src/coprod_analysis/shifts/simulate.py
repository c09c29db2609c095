"""Simulated roundtables with a known truth, to check that the shift tests claim no more.

Each session has its own participants; each raises each theme with a given probability and,
when they do, puts it in one to three of their 3–10 contributions. With no true change, a
sound test flags a change in at most about 5% of runs; with a real one, it should find it.
See ``tests/shifts/test_simulate.py`` (fast, fixed seed) and ``benchmarks/simulate_shifts.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from coprod_analysis.shifts.themes import FLAG_BELOW

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def simulate_sessions(
    rates: Sequence[Sequence[float]],
    *,
    participants: int,
    rng: np.random.Generator,
    segments_per_person: tuple[int, int] = (3, 10),
    talkative: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate sessions: ``rates[s][t]`` is the chance a participant of session s raises theme t.

    Args:
        rates: one row per session, one probability per theme (themes ``t0``, ``t1``, …).
        participants: participants per session.
        rng: the random generator (``numpy.random.default_rng(seed)``).
        segments_per_person: the fewest and most contributions per participant.
        talkative: participants per session who contribute five times as much.

    Returns:
        ``(segments, themes)`` as :func:`~coprod_analysis.shifts.theme_shifts` takes them.

    Example:
        >>> from coprod_analysis.shifts.simulate import simulate_sessions
        >>> import numpy as np
        >>> segments, themes = simulate_sessions([[0.3], [0.3]], participants=5,
        ...                                      rng=np.random.default_rng(0))
        >>> sorted(segments["session_id"].unique()), set(themes["theme"])
        (['s1', 's2'], {'t0'})
    """
    import pandas as pd

    low, high = segments_per_person
    segments, tags = [], []
    for s, row in enumerate(rates, start=1):
        for person in range(participants):
            count = int(rng.integers(low, high + 1)) * (5 if person < talkative else 1)
            ids = [f"s{s}-p{person}-{i}" for i in range(count)]
            segments += [
                {"segment_id": sid, "session_id": f"s{s}", "speaker": f"P-{s}-{person}"}
                for sid in ids
            ]
            for t, rate in enumerate(row):
                if rng.random() < rate:
                    k = min(count, int(rng.integers(1, 4)) * (5 if person < talkative else 1))
                    tags += [
                        {"segment_id": sid, "theme": f"t{t}"}
                        for sid in rng.choice(ids, size=k, replace=False)
                    ]
    return pd.DataFrame(segments), pd.DataFrame(tags, columns=["segment_id", "theme"])


def flags(table: pd.DataFrame) -> dict[str, bool]:
    """Which themes have any change flagged: a step (``q`` < 0.05) or first to last.

    Example:
        >>> from coprod_analysis.shifts.simulate import flags
        >>> import pandas as pd
        >>> flags(pd.DataFrame({"theme": ["a", "b"], "q": [0.01, 0.2], "overall_q": [None, 0.3]}))
        {'a': True, 'b': False}
    """
    out: dict[str, bool] = {}
    for theme, part in table.groupby("theme", sort=False):
        out[cast(str, theme)] = bool(
            (part["q"] < FLAG_BELOW).any() or (part["overall_q"] < FLAG_BELOW).any()
        )
    return out


def segment_flags(table: pd.DataFrame) -> dict[str, bool]:
    """What the old test flagged: a segment-share change whose Newcombe interval excludes 0.

    Uncorrected for many comparisons; kept only to show what the new test fixes.
    """
    from coprod_analysis.shifts.stats import newcombe

    out: dict[str, bool] = {}
    for theme, part in table.sort_values("order").groupby("theme", sort=False):
        # itertuples() rows: pandas-stubs types their fields as any scalar at all.
        rows: list[Any] = list(part.itertuples())
        out[cast(str, theme)] = any(
            not (low <= 0 <= high)
            for a, b in itertools.pairwise(rows)
            for _, low, high in [
                newcombe(a.n_with_theme, a.n_segments, b.n_with_theme, b.n_segments)
            ]
        )
    return out
