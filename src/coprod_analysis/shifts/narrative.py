"""Plain-English findings written from the numbers (for notebooks and the funders' report)."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


_MARKDOWN = re.compile(r"([\\`*_\[\]{}#|~])")


def as_markdown(lines: list[str], *, empty: str = "Nothing to report yet.") -> str:
    r"""Findings as a Markdown bullet list, with HTML and Markdown characters escaped.

    Labels and session ids come from the user's files, so they are escaped before a
    notebook renders them (``IPython.display.Markdown``) or nbconvert exports them.

    Example:
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


def theme_findings(shifts: pd.DataFrame, *, labels: dict[str, str] | None = None) -> list[str]:
    """One sentence per theme: first and last share, and which changes are beyond the noise.

    Example:
        >>> theme_findings(results.theme_shifts)[0]  # doctest: +SKIP
        'Funding and funders: 6% of segments in s1 (n = 105), 35% in s4 (n = 123); ...'
    """
    labels = labels or {}
    sentences = []
    for theme, part in shifts.sort_values("order").groupby("theme", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        real = part[part["within_noise"].eq(False).fillna(False)]
        moves = ", ".join(
            f"{'up' if r.change > 0 else 'down'} {abs(r.change):.0%} into {r.session_id}"
            for r in real.itertuples()
        )
        tail = (
            f"changes beyond the noise: {moves}."
            if moves
            else "no change between sessions is beyond the noise."
        )
        sentences.append(
            f"{labels.get(theme, theme)}: {_pct(first.share)} of segments in {first.session_id} "
            f"(n = {first.n_segments}), {_pct(last.share)} in {last.session_id} (n = {last.n_segments}); {tail}"
        )
    return sentences


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
    for r in survey.itertuples():
        clear = "" if r.ci_low <= 0 <= r.ci_high else "; the interval excludes zero"
        out.append(
            f"{r.question} in {r.session_id}: {r.change:+.2f} from before to after, 95% interval "
            f"{r.ci_low:+.2f} to {r.ci_high:+.2f}, {r.design} (n = {r.n_pairs if r.design == 'paired' else f'{r.n_pre}/{r.n_post}'}){clear}."
        )
    return out
