"""``coprod audit``: draw the audit sample, say how far its coding has got, and what more to check."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

import pandas as pd

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.config import Paths, load_project
from coprod_analysis.corpus import contributions, read_corpus, read_table
from coprod_analysis.errors import InputError
from coprod_analysis.pipeline.base import Echo
from coprod_analysis.pipeline.tag import checked_table
from coprod_analysis.shifts.advice import audit_advice
from coprod_analysis.themes.audit import (
    audit_segments,
    draw,
    drawn,
    plan_path,
    read_plan,
    write_plan,
)


def audit_status(segments: pd.DataFrame, plan: pd.DataFrame, checked: pd.DataFrame) -> pd.DataFrame:
    """Per session: participants, how many the audit drew, and how far their coding has got.

    Returns:
        ``session_id, participants, drawn, contributions`` (of the drawn participants),
        ``coded`` (of those contributions) and ``complete`` (drawn participants with every
        contribution coded).

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.pipeline.audit import audit_status
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c"], "session_id": ["s1"] * 3,
        ...     "speaker": ["P-1", "P-1", "P-2"]})
        >>> plan = pd.DataFrame({"session_id": ["s1"], "participant": ["P-1"], "first_segment": ["a"],
        ...     "seed": ["1"], "drawn_at": [""]})
        >>> audit_status(segments, plan, pd.DataFrame({"segment_id": ["a"]})).values.tolist()
        [['s1', 2, 1, 2, 1, 0]]
    """
    mine = contributions(segments)
    who = drawn(segments, plan)
    done = set(checked["segment_id"])
    rows = []
    for session_id, part in mine.groupby("session_id", sort=False):
        picked = set(who.loc[who["session_id"] == session_id, "participant"])
        theirs = part[part["speaker"].isin(picked)]
        coded = theirs["segment_id"].isin(done)
        complete = sum(bool(g.all()) for _, g in coded.groupby(theirs["speaker"]))
        rows.append(
            {
                "session_id": session_id,
                "participants": part["speaker"].nunique(),
                "drawn": len(picked),
                "contributions": len(theirs),
                "coded": int(coded.sum()),
                "complete": complete,
            }
        )
    columns = ["session_id", "participants", "drawn", "contributions", "coded", "complete"]
    return pd.DataFrame(rows, columns=columns)


def run_audit(
    where: Paths,
    *,
    participants: int | None = None,
    seed: int | None = None,
    sessions: Iterable[str] = (),
    advice: bool = False,
    target: float = 0.10,
    echo: Echo,
) -> pd.DataFrame:
    """Draw (or top up) the audit sample, then say where its coding stands; advise if asked.

    Args:
        where: the folders.
        participants: draw until each session has this many participants in the audit; None
            draws nothing.
        seed: the random seed (default: a fresh one), recorded in the plan.
        sessions: the sessions to draw for (default: all).
        advice: also say how many more participants to audit for each theme's interval to
            be within ±``target``.
        target: the half-width wanted, in share units.
        echo: where to print.

    Returns:
        The status table (:func:`audit_status`).

    Raises:
        InputError: a session named in ``sessions`` does not exist, or the tables are missing.

    Example:
        >>> run_audit(paths(), participants=5, echo=print)  # doctest: +SKIP
    """
    segments = read_corpus(where.processed).segments
    known = set(segments["session_id"])
    unknown = [s for s in sessions if s not in known]
    if unknown:
        raise InputError(
            None,
            None,
            f"no session {', '.join(unknown)} in the segments",
            fix=f"use one of: {', '.join(sorted(known))}",
        )
    path = plan_path(where.coding)
    plan = read_plan(path)
    if participants is not None:
        seed = seed if seed is not None else secrets.randbelow(2**31)
        before = len(plan)
        plan = draw(segments, plan, participants=participants, seed=seed, sessions=sessions or None)
        if len(plan) > before:
            write_plan(path, plan)
            echo(
                f"Drew {len(plan) - before} participant(s) with seed {seed}; the plan is in {path}"
            )
        else:
            echo(f"Every session already has {participants} participant(s) in the audit; drew none")
    project = load_project(where.config)
    codebook = load_codebook(where.config / "codebook.yml")
    checked, _ = checked_table(where, project, codebook, segments)
    status = audit_status(segments, plan, checked)
    echo("The audit (participants drawn at random; code all their contributions, blind):")
    echo(status.to_string(index=False))
    if len(plan):
        left = len(audit_segments(segments, plan) - set(checked["segment_id"]))
        echo(
            f"{left} contribution(s) left to code: cp.coding_panel('your-initials', mode='audit') "
            "in notebook 02, then make report."
        )
    if advice:
        tagged = read_table(where.processed, "tagged", stage="coprod tag")
        core = [t.id for t in codebook.themes if t.core] or codebook.ids
        found = audit_advice(segments, tagged, checked, target=target, theme_ids=core)
        echo(advice_text(found, target=target))
    return status


def advice_text(found: pd.DataFrame, *, target: float) -> str:
    """The audit advice as lines a person reads: per session, how many more to audit.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.pipeline.audit import advice_text
        >>> found = pd.DataFrame({"session_id": ["s1", "s1"], "theme": ["power", "funding"],
        ...     "method": ["audit", "audit"], "half_width": [0.2, 0.08], "n_audited": [5, 5],
        ...     "n_total": [15, 15], "audit_to": [11, 5], "more": [6, 0]})
        >>> print(advice_text(found, target=0.1))
        To bring each theme's share within ±10 points (participants):
          s1: audit 6 more participant(s), 11 of 15 in all; power ±20 now, funding ±8 now
    """
    lines = [f"To bring each theme's share within ±{target * 100:.0f} points (participants):"]
    for session_id, part in found.groupby("session_id", sort=False):
        rows: list[Any] = part.to_dict("records")
        now = ", ".join(
            f"{r['theme']} unchecked"
            if r["half_width"] != r["half_width"]
            else f"{r['theme']} ±{r['half_width'] * 100:.0f} now"
            for r in rows
        )
        most = max(rows, key=lambda r: r["more"])
        if (part["method"] == "checked").all():
            say = "checked in full: nothing more to check"
        elif most["more"] == 0:
            say = "within the target already"
        else:
            say = (
                f"audit {int(most['more'])} more participant(s), {int(most['audit_to'])} of "
                f"{int(most['n_total'])} in all"
            )
        lines.append(f"  {session_id}: {say}; {now}")
    return "\n".join(lines)
