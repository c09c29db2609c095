"""Simulated roundtables with a known truth, to check that the shift tests claim no more.

Each session has its own participants; each raises each theme with a given probability and,
when they do, puts it in one to three of their 3–10 contributions. With no true change, a
sound test flags a change in at most about 5% of runs; with a real one, it should find it.
See ``tests/shifts/test_simulate.py`` (fast, fixed seed) and ``benchmarks/simulate_shifts.py``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

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
    """Which themes have any change flagged: a step or the first to the last, in either family.

    Example:
        >>> from coprod_analysis.shifts.simulate import flags
        >>> import pandas as pd
        >>> flags(pd.DataFrame({"theme": ["a", "b"], "within_noise": [False, True],
        ...     "overall_within_noise": [pd.NA, True]}))
        {'a': True, 'b': False}
    """
    out: dict[str, bool] = {}
    for theme, part in table.groupby("theme", sort=False):
        standing = [
            part[c].eq(False).fillna(False) for c in ("within_noise", "overall_within_noise")
        ]
        out[cast(str, theme)] = bool(standing[0].any() or standing[1].any())
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


def simulate_audit(
    rates: Sequence[Sequence[float]],
    *,
    participants: int,
    audit: int,
    sensitivity: float,
    false_alarms: Sequence[float],
    rng: np.random.Generator,
    contributions: tuple[int, int] = (2, 6),
    spread: float = 4.0,
) -> dict[str, pd.DataFrame]:
    """Simulate audited roundtables: a true coding, an imperfect tagger and a random audit.

    Each participant of session s has their own chance of speaking to theme t in any one
    contribution, drawn from a Beta with mean ``rates[s][t]`` and weight ``spread`` (so some
    people care about a theme and others do not, and one person's contributions hang
    together). The tagger finds a true mention with ``sensitivity`` and tags a contribution
    that lacks the theme with ``false_alarms[s]`` (errors that differ by session, as a new
    agenda brings new words). The audit draws ``audit`` participants per session at random
    and people code all their contributions: the truth.

    Returns:
        ``segments``, ``tagged`` (the tagger's codes), ``truth`` (the true codes, long) and
        ``checked`` (the audit's codes, as :func:`~coprod_analysis.shifts.estimate_shares`
        takes them); themes are ``t0``, ``t1``, …

    Example:
        >>> from coprod_analysis.shifts.simulate import simulate_audit
        >>> import numpy as np
        >>> sim = simulate_audit([[0.2], [0.2]], participants=10, audit=3, sensitivity=0.5,
        ...     false_alarms=[0.05, 0.3], rng=np.random.default_rng(0))
        >>> bool(sim["checked"]["audit"].all()), sim["segments"]["session_id"].nunique()
        (True, 2)
    """
    import pandas as pd

    low, high = contributions
    segments, tagged, truth, checked = [], [], [], []
    for s, row in enumerate(rates, start=1):
        drawn = set(rng.choice(participants, size=min(audit, participants), replace=False))
        for person in range(participants):
            count = int(rng.integers(low, high + 1))
            chance = [rng.beta(r * spread, (1 - r) * spread) for r in row]
            for i in range(count):
                sid = f"s{s}-p{person}-{i}"
                segments.append(
                    {"segment_id": sid, "session_id": f"s{s}", "speaker": f"P-{s}-{person}"}
                )
                true = [f"t{t}" for t, c in enumerate(chance) if rng.random() < c]
                found = [
                    f"t{t}"
                    for t in range(len(row))
                    if rng.random() < (sensitivity if f"t{t}" in true else false_alarms[s - 1])
                ]
                truth += [{"segment_id": sid, "theme": t} for t in true]
                tagged += [{"segment_id": sid, "theme": t} for t in found]
                if person in drawn:
                    checked.append({"segment_id": sid, "themes": ";".join(true), "audit": True})
    return {
        "segments": pd.DataFrame(segments),
        "tagged": pd.DataFrame(tagged, columns=["segment_id", "theme"]),
        "truth": pd.DataFrame(truth, columns=["segment_id", "theme"]),
        "checked": pd.DataFrame(checked, columns=["segment_id", "themes", "audit"]),
    }


def raising_rate(
    rate: float, *, contributions: tuple[int, int] = (2, 6), spread: float = 4.0
) -> float:
    """The chance that a participant of :func:`simulate_audit` raises a theme at least once.

    The true participant share of a session, before the luck of who came: averaged over the
    number of contributions and over people's own chances, 1 − E[(1 − p)^m].

    Example:
        >>> from coprod_analysis.shifts.simulate import raising_rate
        >>> round(raising_rate(0.15), 3)
        0.373
    """
    from scipy.special import betaln

    a, b = rate * spread, (1 - rate) * spread
    counts = range(contributions[0], contributions[1] + 1)
    never = [math.exp(betaln(a, b + m) - betaln(a, b)) for m in counts]
    return 1 - sum(never) / len(never)
