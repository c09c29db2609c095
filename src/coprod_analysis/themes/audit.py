"""The audit plan: participants drawn at random, per session, to be coded blind by people.

A small random audit is what lets the counts be trusted whatever the tagger's accuracy
(:mod:`coprod_analysis.shifts.estimate`). The plan lives in ``data/coding/audit.csv``, one row
per drawn participant: ``session_id, participant, first_segment, seed, drawn_at``. Drawing again
only tops a session up to the size asked for, so a second run with the same size draws nothing
new, and a new session is drawn when it arrives.

Participants are pseudonyms, which change if the pseudonym key does (a fresh clone makes a new
key). So each row also keeps ``first_segment``, the id of one of the participant's contributions:
segment ids do not depend on the key, and the participant is found again through it. For the
same reason the draw orders participants by that id, not by pseudonym, so the same seed draws the
same people on any copy of the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from coprod_analysis.corpus import contributions
from coprod_analysis.outputs import atomic_write, csv_safe
from coprod_analysis.themes.coding import AUDIT, read_sheet

PLAN_COLUMNS = ["session_id", "participant", "first_segment", "seed", "drawn_at"]


def plan_path(folder: str | Path) -> Path:
    """The audit plan's file in the coding folder: ``<folder>/audit.csv``.

    Example:
        >>> from coprod_analysis.themes.audit import plan_path
        >>> plan_path("data/coding").as_posix()
        'data/coding/audit.csv'
    """
    return Path(folder) / f"{AUDIT}.csv"


def people(segments: pd.DataFrame) -> pd.DataFrame:
    """Each session's participants, with their first segment id and how many contributions.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.audit import people
        >>> segments = pd.DataFrame({"segment_id": ["s1-b", "s1-a", "s1-c"], "session_id": ["s1"] * 3,
        ...     "speaker": ["P-2", "P-2", "P-1"]})
        >>> people(segments).values.tolist()
        [['s1', 'P-2', 's1-a', 2], ['s1', 'P-1', 's1-c', 1]]
    """
    mine = contributions(segments)
    table = (
        mine.groupby(["session_id", "speaker"], sort=False)["segment_id"]
        .agg(first_segment="min", contributions="size")
        .reset_index()
        .rename(columns={"speaker": "participant"})
    )
    return table.sort_values(["session_id", "first_segment"], ignore_index=True)


def read_plan(path: str | Path) -> pd.DataFrame:
    """Read the audit plan (``data/coding/audit.csv``); no file is an empty plan.

    Raises:
        InputError: the file is not a readable CSV or lacks a column.

    Example:
        >>> from coprod_analysis.themes.audit import read_plan
        >>> read_plan("/nonexistent/audit.csv").columns.tolist()
        ['session_id', 'participant', 'first_segment', 'seed', 'drawn_at']
    """
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=PLAN_COLUMNS)
    fix = f"use the header {','.join(PLAN_COLUMNS)}, or delete the file and run coprod audit"
    return read_sheet(path, PLAN_COLUMNS, fix=fix)


def write_plan(path: str | Path, plan: pd.DataFrame) -> None:
    """Write the audit plan atomically (spreadsheet-safe cells).

    Example:
        >>> write_plan("data/coding/audit.csv", plan)  # doctest: +SKIP
    """
    atomic_write(Path(path), lambda tmp: csv_safe(plan[PLAN_COLUMNS]).to_csv(tmp, index=False))


def drawn(segments: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """The plan's participants as they are named now: ``session_id, participant``.

    A row's pseudonym is used when it is still a participant of its session; otherwise the
    participant is whoever spoke its ``first_segment`` (the pseudonym key changed). Rows that
    match nobody (the person's words are gone) are left out.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.audit import drawn
        >>> segments = pd.DataFrame({"segment_id": ["s1-a", "s1-b"], "session_id": ["s1", "s1"],
        ...     "speaker": ["P-NEW", "P-2"]})
        >>> plan = pd.DataFrame({"session_id": ["s1", "s1"], "participant": ["P-OLD", "P-2"],
        ...     "first_segment": ["s1-a", "s1-b"], "seed": ["7", "7"], "drawn_at": ["", ""]})
        >>> drawn(segments, plan).values.tolist()
        [['s1', 'P-NEW'], ['s1', 'P-2']]
    """
    mine = contributions(segments)
    now = set(zip(mine["session_id"], mine["speaker"], strict=True))
    speaker_of = dict(zip(mine["segment_id"], mine["speaker"], strict=True))
    rows = []
    for row in plan.to_dict("records"):
        if (row["session_id"], row["participant"]) in now:
            rows.append((row["session_id"], row["participant"]))
        elif row["first_segment"] in speaker_of:
            rows.append((row["session_id"], speaker_of[row["first_segment"]]))
    return pd.DataFrame(rows, columns=["session_id", "participant"]).drop_duplicates(
        ignore_index=True
    )


def audit_segments(segments: pd.DataFrame, plan: pd.DataFrame) -> set[str]:
    """The ids of every contribution of the plan's participants: the segments to code blind.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.audit import audit_segments
        >>> segments = pd.DataFrame({"segment_id": ["s1-a", "s1-b", "s1-c"], "session_id": ["s1"] * 3,
        ...     "speaker": ["P-1", "P-2", "P-1"]})
        >>> plan = pd.DataFrame({"session_id": ["s1"], "participant": ["P-1"],
        ...     "first_segment": ["s1-a"], "seed": ["7"], "drawn_at": [""]})
        >>> sorted(audit_segments(segments, plan))
        ['s1-a', 's1-c']
    """
    who = drawn(segments, plan)
    mine = contributions(segments)
    keys = set(zip(who["session_id"], who["participant"], strict=True))
    hits = [(s, p) in keys for s, p in zip(mine["session_id"], mine["speaker"], strict=True)]
    return set(mine.loc[hits, "segment_id"])


def draw(
    segments: pd.DataFrame,
    plan: pd.DataFrame,
    *,
    participants: int,
    seed: int,
    sessions: Iterable[str] | None = None,
    at: str | None = None,
) -> pd.DataFrame:
    """Draw participants at random, per session, until each has ``participants`` in the plan.

    Sessions already holding that many draw nothing; a session with fewer participants than
    asked draws them all. Each session's draw is random and independent of the others
    (stratified by session), from a generator seeded by ``seed`` and the session's id, over
    its not-yet-drawn participants in order of their first segment id.

    Args:
        segments: the segments table.
        plan: the plan so far (:func:`read_plan`; empty for none).
        participants: how many participants each session should have in the plan.
        seed: the random seed, recorded on every row drawn now.
        sessions: the sessions to draw for (default: every session).
        at: the time of the draw (default: now, UTC).

    Returns:
        The whole plan: the earlier rows, then the new ones.

    Raises:
        ValueError: ``participants`` is below 1.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.themes.audit import draw, read_plan
        >>> segments = pd.DataFrame({"segment_id": [f"s1-{i}" for i in range(6)],
        ...     "session_id": ["s1"] * 6, "speaker": ["P-1", "P-2", "P-3", "P-4", "P-5", "P-6"]})
        >>> plan = draw(segments, read_plan("/nonexistent"), participants=2, seed=7, at="t")
        >>> len(plan), len(draw(segments, plan, participants=2, seed=8, at="t"))
        (2, 2)
    """
    if participants < 1:
        raise ValueError("draw at least 1 participant per session")
    known = people(segments)
    wanted = set(sessions) if sessions is not None else None
    now = at or datetime.now(UTC).isoformat(timespec="seconds")
    have = drawn(segments, plan)
    new = []
    for session_id, part in known.groupby("session_id", sort=False):
        if wanted is not None and session_id not in wanted:
            continue
        taken = set(have.loc[have["session_id"] == session_id, "participant"])
        pool = part[~part["participant"].isin(taken)]
        k = min(participants - len(taken), len(pool))
        if k <= 0:
            continue
        rng = np.random.default_rng([seed, *str(session_id).encode()])
        chosen = pool.iloc[sorted(rng.choice(len(pool), size=k, replace=False))]
        new += [
            {
                "session_id": session_id,
                "participant": row["participant"],
                "first_segment": row["first_segment"],
                "seed": str(seed),
                "drawn_at": now,
            }
            for row in chosen.to_dict("records")
        ]
    added = pd.DataFrame(new, columns=PLAN_COLUMNS)
    return pd.concat([plan[PLAN_COLUMNS], added], ignore_index=True) if len(added) else plan
