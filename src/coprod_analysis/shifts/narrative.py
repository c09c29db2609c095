"""Plain-English findings written from the numbers (for notebooks and the funders' report)."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, cast

from coprod_analysis.shifts.changes import clear, latest

if TYPE_CHECKING:
    import pandas as pd


_MARKDOWN = re.compile(r"([\\`*_\[\]{}#|~])")


def as_markdown(lines: list[str], *, empty: str = "Nothing to report yet.") -> str:
    r"""Findings as a Markdown bullet list, with HTML and Markdown characters escaped.

    Labels and session ids come from the user's files, so they are escaped before a
    notebook renders them (``IPython.display.Markdown``) or nbconvert exports them.

    Example:
        >>> from coprod_analysis.shifts.narrative import as_markdown
        >>> print(as_markdown(["Power: 20% in s1", "<b>*bold*</b>"]))
        - Power: 20% in s1
        - &lt;b&gt;\*bold\*&lt;/b&gt;
        >>> as_markdown([])
        'Nothing to report yet.'
    """
    if not lines:
        return html.escape(empty, quote=False)
    return "\n".join(
        "- " + _MARKDOWN.sub(r"\\\1", html.escape(line, quote=False)) for line in lines
    )


def _pct(x: float) -> str:
    return f"{x:.0%}"


def plural(n: int, noun: str) -> str:
    """A count with its noun, plural unless it is one.

    Example:
        >>> from coprod_analysis.shifts.narrative import plural
        >>> plural(1, "session"), plural(36, "comparison"), plural(0, "session")
        ('1 session', '36 comparisons', '0 sessions')
    """
    return f"{n} {noun}" + ("" if n == 1 else "s")


def points(change: float) -> str:
    """A change in a share, in percentage points, in words.

    Example:
        >>> from coprod_analysis.shifts.narrative import points
        >>> points(0.25), points(-0.031), points(0.0)
        ('up 25 points', 'down 3 points', 'no change')
    """
    if change != change:
        return "not known"
    if round(abs(change) * 100) == 0:
        return "no change"
    return f"{'up' if change > 0 else 'down'} {abs(change) * 100:.0f} points"


def verdict(found: dict, tests: int) -> str:
    """How sure a change is, in words: clear, unchecked, or how large a change could have shown.

    Example:
        >>> from coprod_analysis.shifts.narrative import verdict
        >>> verdict({"within_noise": True, "method": "audit", "mdc": 0.42, "family": "exploratory"}, 36)
        'not clear once corrected for 36 comparisons: these numbers could only have shown a change of about 42 points or more'
    """
    if clear(found):
        return f"a change that stands out ({found.get('family')})"
    if found.get("within_noise") is False:
        return "it stands out only in the tagger's unchecked counts, which people have not checked"
    mdc = found.get("mdc", float("nan"))
    could = (
        ": these numbers are too uncertain for any change to have stood out"
        if mdc == mdc and mdc >= 1
        else f": these numbers could only have shown a change of about {mdc * 100:.0f} points or more"
        if mdc == mdc
        else ""
    )
    return f"not clear once corrected for {plural(tests, 'comparison')}{could}"


def theme_findings(
    shifts: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
) -> list[str]:
    """One sentence per theme: how many participants raised it, first to last, what changed.

    Changes are in percentage points of participants; only those with ``q`` below 0.05 after
    the Benjamini–Hochberg correction are called changes, and a change into a session whose
    agenda was the theme says so. Segment shares follow, corrected for the tagger's error
    where it was measured.

    Example:
        >>> theme_findings(results.theme_shifts)[0]  # doctest: +SKIP
        'Funding and funders: raised by 2 of 12 participants (17%) in s1 and 9 of 14 (64%) in s4; ...'
    """
    # Long because one sentence per case a finding can be in (rose, fell, within the noise, on the agenda, too few people), written out so each reads as said.
    labels, titles = labels or {}, titles or {}
    tests = int(shifts["comparisons"].max()) if "comparisons" in shifts and len(shifts) else 0

    def name(session_id: str) -> str:
        return titles.get(session_id, session_id)

    sentences = []
    for theme, part in shifts.sort_values("order").groupby("theme", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        ends = [first] if len(part) == 1 else [first, last]
        parts = [f"{labels.get(cast(str, theme), cast(str, theme))}:"]
        if first.n_participants and last.n_participants:
            parts.append(
                f"raised by {first.n_participants_with_theme} of {first.n_participants} "
                f"participants ({_pct(first.participant_share)}) in {name(first.session_id)}"
                + "".join(
                    f" and {r.n_participants_with_theme} of {r.n_participants} "
                    f"({_pct(r.participant_share)}) in {name(r.session_id)}"
                    for r in ends[1:]
                )
            )
            if last.get("overall_change") == last.get("overall_change") and "overall_q" in last:
                parts[-1] += (
                    f", {points(last.overall_change)} from first to last (95% interval "
                    f"{last.overall_low * 100:+.0f} to {last.overall_high * 100:+.0f} points; "
                    f"{verdict(latest(last), tests)})"
                )
            parts[-1] += ";"
        flagged = part[part["within_noise"].eq(False).fillna(False)]
        moves = []
        r: Any  # an itertuples() row: pandas-stubs types its fields as any scalar at all
        for r in flagged.itertuples():
            moves.append(
                f"{points(r.change)} into {name(r.session_id)} ({r.family}, q = {r.q:.3f}"
                + (", on the tagger's unchecked counts" if r.change_method == "unchecked" else "")
                + ")"
                + (", as expected: that session was about this theme" if r.on_agenda else "")
            )
        if moves:
            parts.append(
                f"changes between sessions after correcting for {plural(tests, 'comparison')}: "
                + "; ".join(moves)
                + "."
            )
        elif tests:
            parts.append(
                f"no change between sessions stands out after correcting for "
                f"{plural(tests, 'comparison')}."
            )
        elif len(part) == 1:
            parts.append("only one session so far, so no change to test.")
        else:
            parts.append("no change could be tested (no participants on one side).")
        segments = "Of contributions: " + ", ".join(
            f"{_pct(r.share)} in {name(r.session_id)} (n = {r.n_segments})" for r in ends
        )
        corrected = part.get("corrected_share")
        if corrected is not None and corrected.notna().iloc[[0, -1]].all():
            segments += "; corrected for the tagger's error, " + " and ".join(
                corrected_share(r) for r in ends
            )
            clamped = [name(r.session_id) for r in ends if _clamped(r)]
            if clamped:
                segments += (
                    f". In {' and '.join(clamped)}, the share tagged was above the tagger's "
                    "measured sensitivity, so the correction is clamped at 100%: its error on the "
                    "labelled text may not hold here, so read the raw share"
                )
        parts.append(segments + ".")
        sentences.append(" ".join(parts))
    return sentences


def _clamped(row: Any) -> bool:
    """Whether a row's corrected share was clamped at 100% (``corrected_clamped``)."""
    import pandas as pd

    clamped = row.get("corrected_clamped")
    return bool(pd.notna(clamped) and clamped)


def corrected_share(row: Any, *, brackets: bool = False) -> str:
    """A session's share corrected for the tagger's error, with its interval, in words.

    Empty without a correction; "clamped" where it is over 100% and held there. With
    ``brackets``, the interval is written as in a table: ``35% [19%, 54%]``.

    Example:
        >>> from coprod_analysis.shifts.narrative import corrected_share
        >>> row = {"corrected_share": 0.35, "corrected_low": 0.19, "corrected_high": 0.54}
        >>> corrected_share(row)
        '35% (19%–54%)'
        >>> corrected_share({**row, "corrected_share": 1.0, "corrected_clamped": True})
        '100%, clamped (19%–54%)'
        >>> corrected_share(row, brackets=True)
        '35% [19%, 54%]'
    """
    import pandas as pd

    share = row.get("corrected_share")
    if share is None or pd.isna(share):
        return ""
    clamped = ", clamped" if _clamped(row) else ""
    low, high = _pct(row["corrected_low"]), _pct(row["corrected_high"])
    return f"{_pct(share)}{clamped} " + (f"[{low}, {high}]" if brackets else f"({low}–{high})")


def ladder_findings(ladder: pd.DataFrame) -> list[str]:
    """One sentence per session: the mean rung now and hoped for, with the n.

    Example:
        >>> ladder_findings(results.ladder)  # doctest: +SKIP
    """
    out = []
    for session_id, part in ladder.groupby("session_id", sort=False):
        now, hoped = part["now"].dropna(), part["hoped"].dropna()
        out.append(
            f"{session_id}: mean rung now {now.mean():.1f} (n = {len(now)}), hoped for {hoped.mean():.1f} "
            f"(n = {len(hoped)}), a gap of {(part['gap'].dropna()).mean():.1f} rungs."
        )
    return out


def survey_findings(survey: pd.DataFrame) -> list[str]:
    """One sentence per question and session: the mean change with its interval and design.

    Example:
        >>> survey_findings(results.survey_shifts)  # doctest: +SKIP
    """
    out = []
    r: Any  # an itertuples() row: pandas-stubs types its fields as any scalar at all
    for r in survey.itertuples():
        clear = "" if r.ci_low <= 0 <= r.ci_high else "; the interval excludes zero"
        out.append(
            f"{r.question} in {r.session_id}: {r.change:+.2f} from before to after, 95% interval "
            f"{r.ci_low:+.2f} to {r.ci_high:+.2f}, {r.design} (n = {r.n_pairs if r.design == 'paired' else f'{r.n_pre}/{r.n_post}'}){clear}."
        )
    return out


def _per_session(shares: pd.DataFrame) -> list[tuple[str, Any, Any]]:
    """Each session's participant row and contribution row of the shares table (any theme)."""
    first = shares.drop_duplicates(["session_id", "unit"]).set_index(["session_id", "unit"])
    return [
        (
            cast(str, session_id),
            first.loc[(session_id, "participant")]
            if (session_id, "participant") in first.index
            else None,
            first.loc[(session_id, "contribution")]
            if (session_id, "contribution") in first.index
            else None,
        )
        for session_id in dict.fromkeys(shares["session_id"])
    ]


def checking(shares: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """One sentence per session: how many contributions people checked, and how its shares were made.

    Args:
        shares: the ``shares`` table (:func:`~coprod_analysis.shifts.estimate_shares`, both units).
        names: session id → name.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.narrative import checking
        >>> shares = pd.DataFrame({"session_id": ["s1", "s1", "s2", "s2"],
        ...     "unit": ["participant", "contribution"] * 2, "method": ["checked", "checked", "audit", "audit"],
        ...     "n_checked": [15, 58, 5, 24], "n_total": [15, 58, 14, 54], "n_audited": [0, 0, 5, 20]})
        >>> for line in checking(shares, {"s1": "Session 1", "s2": "Session 2"}): print(line)
        Session 1: people checked all 58 contributions, so its shares are exact counts.
        Session 2: people checked 24 of 54 contributions, among them every contribution of 5 participants drawn at random; the computer's codes for the rest are corrected by what that audit found, and the intervals allow for it.
    """
    lines = []
    for session_id, people, said in _per_session(shares):
        if people is None or said is None:
            continue
        name, done, total = (
            names.get(session_id, session_id),
            int(said.n_checked),
            int(said.n_total),
        )
        if people.method == "checked":
            lines.append(
                f"{name}: people checked all {plural(total, 'contribution')}, so its shares are exact counts."
            )
        elif people.method == "audit":
            lines.append(
                f"{name}: people checked {done} of {plural(total, 'contribution')}, among them every "
                f"contribution of {plural(int(people.n_audited), 'participant')} drawn at random; "
                "the computer's codes for the rest are corrected by what that audit found, and the "
                "intervals allow for it."
            )
        elif done:
            lines.append(
                f"{name}: people checked {done} of {plural(total, 'contribution')}, but not a "
                "random sample, so its shares are the computer's counts, not checked."
            )
        else:
            lines.append(
                f"{name}: nobody has checked the computer's codes yet, so its shares are the "
                "computer's counts."
            )
    return lines


def checking_easy(shares: pd.DataFrame, meetings: dict[str, str]) -> list[str]:
    """The same, for the Easy Read page: short sentences, words for the meetings.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.narrative import checking_easy
        >>> shares = pd.DataFrame({"session_id": ["s1", "s2"], "unit": ["participant"] * 2,
        ...     "method": ["checked", "unchecked"], "n_audited": [0, 0]})
        >>> checking_easy(shares, {"s1": "meeting 1", "s2": "meeting 2"})
        ['At meeting 1, a person checked everything you said.', 'At meeting 2, no person has checked it yet.']
    """
    lines = []
    for session_id, people, _ in _per_session(shares):
        if people is None:
            continue
        when = f"At {meetings.get(session_id, session_id)}"
        if people.method == "checked":
            lines.append(f"{when}, a person checked everything you said.")
        elif people.method == "audit":
            count = int(people.n_audited)
            lines += [
                f"{when}, a person checked what {count} of you said.",
                f"Those {count} people were picked by chance.",
            ]
        else:
            lines.append(f"{when}, no person has checked it yet.")
    return lines


def checking_summary(shares: pd.DataFrame, names: dict[str, str]) -> str:
    """One sentence for a summary: which sessions' shares are exact, audited or unchecked.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.narrative import checking_summary
        >>> shares = pd.DataFrame({"session_id": ["s1", "s2", "s3", "s4"], "unit": ["participant"] * 4,
        ...     "method": ["checked", "unchecked", "audit", "audit"]})
        >>> checking_summary(shares, {"s1": "Session 1", "s2": "Session 2", "s3": "Session 3", "s4": "Session 4"})
        "How sure: people checked every contribution in Session 1, so its shares are exact counts; Session 3 and Session 4 are estimated from a random audit that people checked; Session 2 rests on the computer's counts, not checked by people."
    """
    people = shares[shares["unit"] == "participant"].drop_duplicates("session_id")
    parts = []
    for method in ("checked", "audit", "unchecked"):
        found = [names.get(s, s) for s in people.loc[people["method"] == method, "session_id"]]
        if not found:
            continue
        one = len(found) == 1
        who = found[0] if one else ", ".join(found[:-1]) + " and " + found[-1]
        parts.append(
            {
                "checked": f"people checked every contribution in {who}, so "
                f"{'its' if one else 'their'} shares are exact counts",
                "audit": f"{who} {'is' if one else 'are'} estimated from a random audit that "
                "people checked",
                "unchecked": f"{who} {'rests' if one else 'rest'} on the computer's counts, not "
                "checked by people",
            }[method]
        )
    return "How sure: " + "; ".join(parts) + "."
