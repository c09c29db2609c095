"""The funders' report in words: every sentence written from the numbers, in plain English.

Pure functions from the processed tables to sentences and small tables, for
``notebooks/05-report.ipynb``. Sessions are named as people know them ("Session 3: Power,
funding and funders (19 Mar 2024)"), themes by their labels, changes in percentage points,
and certainty in words tied to the statistics ("a clear rise" only when the change stands out
after the correction for many comparisons).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from coprod_analysis.config import MIN_COUNT
from coprod_analysis.privacy.redact import PLACEHOLDER
from coprod_analysis.shifts.changes import clear, latest
from coprod_analysis.shifts.narrative import checking_easy, checking_summary, plural, points
from coprod_analysis.shifts.themes import NON_PARTICIPANTS

if TYPE_CHECKING:
    import pandas as pd


def session_names(sessions: pd.DataFrame, *, short: bool = False) -> dict[str, str]:
    """Name each session as people know it: number, title and date; never its folder name.

    Example:
        >>> from coprod_analysis.story import session_names
        >>> import pandas as pd
        >>> sessions = pd.DataFrame({"session_id": ["s3-power"], "order": [3],
        ...     "title": ["Power, funding and funders"], "date": [pd.Timestamp("2024-03-19")]})
        >>> session_names(sessions), session_names(sessions, short=True)
        ({'s3-power': 'Session 3: Power, funding and funders (19 Mar 2024)'}, {'s3-power': 'Session 3 (Mar 2024)'})
    """
    import pandas as pd

    names = {}
    for i, row in enumerate(sessions.to_dict("records"), start=1):
        number = int(row.get("order") or i)
        when = pd.Timestamp(row["date"]) if row.get("date") is not None else None
        if short:
            names[row["session_id"]] = f"Session {number}" + (
                f" ({when:%b %Y})" if when is not None else ""
            )
        else:
            title = str(row.get("title") or "").strip()
            names[row["session_id"]] = (
                f"Session {number}"
                + (f": {title}" if title else "")
                + (f" ({when.day} {when:%b %Y})" if when is not None else "")
            )
    return names


def in_ten(share: float) -> str:
    """A share as "about N in 10", the way people say it.

    Example:
        >>> from coprod_analysis.story import in_ten
        >>> in_ten(0.38), in_ten(0.04), in_ten(0.97)
        ('about 4 in 10', 'fewer than 1 in 10', 'nearly all')
    """
    if share != share:
        return "not known"
    if share < 0.05:
        return "fewer than 1 in 10"
    if share < 0.1:
        return "about 1 in 10"
    if share >= 0.95:
        return "nearly all"
    return f"about {round(share * 10)} in 10"


def _missing(value: object) -> bool:
    return value is None or value != value


def certainty(found: Mapping[str, Any]) -> str:
    """Words for a change (:func:`~coprod_analysis.shifts.changes.latest`), tied to the test.

    "A clear rise" only when the change stands out in its family and people checked the counts
    (:func:`~coprod_analysis.shifts.changes.clear`); a change on the tagger's unchecked counts
    is "not checked by people", however large.

    Example:
        >>> from coprod_analysis.story import certainty
        >>> rise = {"change": 0.3, "within_noise": False, "method": "audit"}
        >>> certainty(rise), certainty({**rise, "change": -0.2}), certainty({**rise, "within_noise": True})
        ('a clear rise', 'a clear fall', 'no clear change')
        >>> certainty({**rise, "method": "unchecked"})
        'not checked by people'
    """
    change = found.get("change", math.nan)
    if _missing(change):
        return "no clear change"
    if found.get("method") == "unchecked":
        return "not checked by people"
    if not clear(found):
        return "no clear change"
    return "a clear rise" if change > 0 else "a clear fall"


def fewer_than(count: int, min_count: int) -> str:
    """A count as the report shows it: "fewer than 3" below ``min_count`` (0 stays 0).

    Charts use the short form ``<3`` (:func:`coprod_analysis.charts.style.count`).

    Example:
        >>> from coprod_analysis.story import fewer_than
        >>> fewer_than(2, 3), fewer_than(0, 3), fewer_than(7, 3)
        ('fewer than 3', '0', '7')
    """
    return f"fewer than {min_count}" if 0 < count < min_count else str(count)


def raised(row: Mapping[str, Any] | pd.Series) -> str:
    """How many participants raised a theme in one session, saying how it was counted.

    Example:
        >>> from coprod_analysis.story import raised
        >>> row = {"participant_method": "audit", "participant_share": 0.4, "participant_ci_low": 0.2,
        ...     "participant_ci_high": 0.6, "n_participants": 15, "n_participants_with_theme": 9, "n_checked": 5}
        >>> raised(row)
        'an estimated 6 of 15 participants (40%, 95% interval 20% to 60%; from an audit of 5 participants)'
        >>> raised({**row, "participant_method": "checked"})
        '9 of 15 participants (checked by people)'
    """
    n, method = int(row["n_participants"]), row.get("participant_method", "unchecked")
    if method == "audit":
        return (
            f"an estimated {round(row['participant_share'] * n)} of {n} participants "
            f"({row['participant_share']:.0%}, 95% interval {row['participant_ci_low']:.0%} to "
            f"{row['participant_ci_high']:.0%}; from an audit of {plural(int(row['n_checked']), 'participant')})"
        )
    how = "checked by people" if method == "checked" else "the computer's count, not checked"
    return f"{int(row['n_participants_with_theme'])} of {n} participants ({how})"


def participation(
    segments: pd.DataFrame,
    responses: pd.DataFrame,
    names: Mapping[str, str],
    *,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """Who took part: people and organisations per session, and organisations by sector.

    People are the pseudonymised speakers and survey respondents (not facilitators);
    organisations come from the survey's ``organisation`` answers, sectors from ``sector``.
    Counts below ``min_count`` show as "fewer than 3".

    Returns:
        One row per session: ``Session``, ``People``, ``Organisations``, then one column per
        sector with its organisations.

    Example:
        >>> participation(corpus.segments, corpus.responses, session_names(corpus.sessions))  # doctest: +SKIP
    """
    import pandas as pd

    rows = []
    speakers = segments.dropna(subset=["speaker"])
    speakers = speakers[~speakers["speaker"].isin(NON_PARTICIPANTS)]
    answers = responses.pivot_table(
        index=["session_id", "respondent"], columns="question", values="answer", aggfunc="first"
    ).reset_index()
    sectors = sorted(answers["sector"].dropna().unique()) if "sector" in answers else []
    for session_id, name in names.items():
        people = set(speakers.loc[speakers["session_id"] == session_id, "speaker"])
        mine = answers[answers["session_id"] == session_id]
        people |= set(mine["respondent"])
        row = {"Session": name, "People": fewer_than(len(people), min_count)}
        if "organisation" in mine:
            orgs = mine.dropna(subset=["organisation"]).drop_duplicates("organisation")
            row["Organisations"] = fewer_than(len(orgs), min_count)
            for sector in sectors:
                count = int((orgs.get("sector") == sector).sum())
                row[sector] = fewer_than(count, min_count)
        rows.append(row)
    return pd.DataFrame(rows)


def caveat(found: Mapping[str, Any]) -> list[str]:
    """What a change's words leave out: how large a change could show, or that nobody checked.

    Example:
        >>> from coprod_analysis.story import caveat
        >>> caveat({"change": 0.1, "within_noise": True, "method": "audit", "mdc": 0.42})
        ['With these numbers, only a change of about 42 points or more could have stood out, so a smaller one may have been missed.']
    """
    word, mdc = certainty(found), found.get("mdc", math.nan)
    if word == "no clear change" and not _missing(mdc) and mdc >= 1:
        return [
            "These numbers are too few and too uncertain for any change to have stood out, so "
            "this says nothing either way."
        ]
    if word == "no clear change" and not _missing(mdc):
        return [
            f"With these numbers, only a change of about {mdc * 100:.0f} points or more could "
            "have stood out, so a smaller one may have been missed."
        ]
    if word == "not checked by people":
        return [
            "People have not checked the counts this rests on, so it is not reported as a "
            "change; checking a random sample of participants would settle it."
        ]
    return []


def _steps(part: pd.DataFrame, names: Mapping[str, str]) -> list[str]:
    """One theme's clear session-to-session changes, and the sessions it was on the agenda."""
    lines: list[str] = []
    flagged = part[part["within_noise"].eq(False).fillna(False)]
    # pandas-stubs types itertuples() fields as any scalar at all; these columns are known.
    row: Any
    for row in flagged.itertuples():
        note = (
            " As expected: that session was about this theme."
            if getattr(row, "on_agenda", False)
            else ""
        )
        lines.append(
            f"From one session to the next, the clearest change was into "
            f"{names.get(row.session_id, '')}: {points(row.change)} of participants.{note}"
        )
    on_agenda = (
        part[part["on_agenda"].fillna(False).astype(bool)]
        if "on_agenda" in part
        else part.iloc[0:0]
    )
    if len(on_agenda) and flagged.empty:
        sessions = ", ".join(names.get(s, "") for s in on_agenda["session_id"])
        lines.append(
            f"{sessions} had this theme on its agenda, so more talk of it there is expected."
        )
    return lines


def theme_story(
    shifts: pd.DataFrame,
    theme: str,
    *,
    label: str,
    names: Mapping[str, str],
    trust: str | None = None,
) -> list[str]:
    """A short section for one theme: first against latest session, in plain words.

    With one session so far, it gives that session's share and participants, with no change.

    Example:
        >>> theme_story(results.theme_shifts, "funding", label="Funding", names=names)  # doctest: +SKIP
    """
    part = shifts[shifts["theme"] == theme].sort_values("order")
    if part.empty:
        return [f"{label} was not found in any session."]
    first, last = part.iloc[0], part.iloc[-1]
    if len(part) == 1:  # the first session: nothing to compare yet
        lines = [
            f"{label} came up in {in_ten(first.share)} contributions in "
            f"{names.get(first.session_id, '')}."
        ]
        if first.n_participants:
            lines.append(
                f"{first.n_participants_with_theme} of {first.n_participants} participants "
                "raised it."
            )
    else:
        lines = [
            f"{label} came up in {in_ten(last.share)} contributions in "
            f"{names.get(last.session_id, '')}, against {in_ten(first.share)} in "
            f"{names.get(first.session_id, '')}."
        ]
    if len(part) > 1 and first.n_participants and last.n_participants:
        found = latest(last)
        if _missing(found["change"]):
            found["change"] = last.participant_share - first.participant_share
        said = raised(last)
        lines.append(
            f"{said[:1].upper()}{said[1:]} in the latest session, against {raised(first)} in the "
            f"first: {points(found['change'])}, {certainty(found)}."
        )
        lines += caveat(found)
    lines += _steps(part, names)
    methods = (
        part["participant_method"] if "participant_method" in part else ["unchecked"] * len(part)
    )
    unchecked = [s for s, m in zip(part["session_id"], methods, strict=True) if m == "unchecked"]
    if trust and unchecked:  # only where the counts rest on the computer
        where = " and ".join(names.get(s, s) for s in unchecked)
        rest = "rests" if len(unchecked) == 1 else "rest"
        lines.append(f"Nobody checked {where}, which {rest} on the computer's counts. {trust}")
    return lines


def _confidence(survey: pd.DataFrame) -> pd.DataFrame:
    """The survey shift rows for the confidence question (none from an empty table)."""
    return survey[survey["question"] == "confidence"] if len(survey) else survey


def confidence_story(
    survey: pd.DataFrame, names: Mapping[str, str], *, scale: int = 5
) -> list[str]:
    """One sentence per session on confidence before and after, paired where possible.

    Example:
        >>> confidence_story(results.survey_shifts, names)  # doctest: +SKIP
    """
    lines = []
    r: Any  # an itertuples() row: pandas-stubs types its fields as any scalar at all
    for r in _confidence(survey).itertuples():
        who = (
            f"the {r.n_pairs} people who answered both before and after"
            if r.design == "paired"
            else f"{r.n_pre} people before and {r.n_post} after"
        )
        clear = (
            "a clear rise"
            if r.ci_low > 0
            else "a clear fall"
            if r.ci_high < 0
            else "no clear change"
        )
        lines.append(
            f"{names.get(r.session_id, '')}: confidence in explaining co-production went from "
            f"{r.mean_pre:.1f} to {r.mean_post:.1f} out of {scale} among {who} "
            f"({clear}; the change could be anywhere from {r.ci_low:+.1f} to {r.ci_high:+.1f} "
            "points on the scale)."
        )
    return lines


def ladder_story(ladder: pd.DataFrame, names: Mapping[str, str], rungs: list[str]) -> list[str]:
    """Where organisations placed themselves on the ladder, now and hoped for, by rung name.

    Example:
        >>> ladder_story(results.ladder, names, ["informing", "consultation"])  # doctest: +SKIP
    """
    lines = []
    for session_id, part in ladder.groupby("session_id", sort=False):
        now, hoped = part["now_rung"].dropna(), part["hoped_rung"].dropna()
        if now.empty:
            continue
        common_now = now.mode().iloc[0]
        common_hoped = hoped.mode().iloc[0] if not hoped.empty else "not given"
        higher = int((part["gap"] > 0).sum())
        lines.append(
            f"{names.get(cast(str, session_id), '')}: most often “{common_now}” now (of {len(now)} answers), "
            f"hoping for “{common_hoped}”; {higher} of {int(part['gap'].notna().sum())} who "
            "answered both hoped to climb at least one rung."
        )
    return lines


def trend_word(row: pd.Series) -> str:
    """One word for a theme's first-to-latest change: "rising", "falling", or why not.

    Example:
        >>> from coprod_analysis.story import trend_word
        >>> import pandas as pd
        >>> trend_word(pd.Series({"overall_change": 0.3, "overall_within_noise": False,
        ...     "overall_method": "checked"}))
        'rising'
    """
    word = certainty(latest(row))
    return {"a clear rise": "rising", "a clear fall": "falling"}.get(word, word)


def _unmoved(
    shifts: pd.DataFrame, last: Mapping[str, Any], themes_left: list[str], labels: Mapping[str, str]
) -> list[str]:
    """The summary's lines on the core themes with no clear change, and those nobody checked."""
    unchecked = [
        t for t in themes_left if t in last and trend_word(last[t]) == "not checked by people"
    ]
    steady = [labels.get(t, t) for t in themes_left if t not in unchecked]
    people = shifts.groupby("session_id")["n_participants"].first()
    few = f"{people.min()}" if people.min() == people.max() else f"{people.min()}–{people.max()}"
    lines = []
    if steady:
        lines.append(
            "No clear change, once chance is allowed for, in: " + ", ".join(steady) + ". "
            f"With {few} people a session, only large changes can stand out."
        )
    if unchecked:
        lines.append(
            "Not reported as changes, because people have not checked the counts they rest on: "
            + ", ".join(labels.get(t, t) for t in unchecked)
            + "."
        )
    return lines


def summary(
    shifts: pd.DataFrame,
    survey: pd.DataFrame,
    ladder: pd.DataFrame,
    *,
    core: list[str],
    labels: Mapping[str, str],
    names: Mapping[str, str],
    measured: bool,
    shares: pd.DataFrame | None = None,
    short: Mapping[str, str] | None = None,
) -> list[str]:
    """The report's summary: at most four findings, then how sure the counts are.

    Args:
        shifts: the theme shifts table.
        survey: the survey shifts table (confidence before and after).
        ladder: the ladder table.
        core: the core themes, in order.
        labels: theme labels.
        names: session names (:func:`session_names`).
        measured: whether the tagger has a reliability card.
        shares: the ``shares`` table: which sessions people checked, and how
            (:func:`~coprod_analysis.shifts.narrative.checking_summary`).
        short: short session names, for that line (default: ``names``).

    Example:
        >>> from coprod_analysis.story import summary
        >>> import pandas as pd
        >>> survey = pd.DataFrame({"question": ["confidence"], "session_id": ["s1"],
        ...     "ci_low": [0.2], "design": ["paired"]})
        >>> summary(pd.DataFrame(), survey, pd.DataFrame(), core=[], labels={},
        ...         names={"s1": "Session 1"}, measured=False)
        ['Confidence in explaining co-production rose clearly after Session 1, comparing the same people before and after.']
    """
    messages = []
    confidence = _confidence(survey)
    if len(confidence):
        rose = int((confidence["ci_low"] > 0).sum())
        how = (
            "comparing the same people before and after"
            if (confidence["design"] == "paired").all()
            else "before against after"
        )
        if len(confidence) == 1:
            name = names.get(confidence["session_id"].iloc[0], "the session")
            verb = "rose clearly" if rose else "did not clearly rise"
            messages.append(f"Confidence in explaining co-production {verb} after {name}, {how}.")
        else:
            messages.append(
                f"Confidence in explaining co-production rose clearly after {rose} of "
                f"{len(confidence)} sessions, {how}."
            )
    if not shifts.empty and shifts["session_id"].nunique() == 1:
        messages.append(
            "Only one session has been held, so there are no changes to report yet; they will "
            "be reported from the second session on."
        )
    elif not shifts.empty:
        ends = shifts.sort_values("order").groupby("theme").tail(1).set_index("theme")
        last = {cast(str, theme): row for theme, row in ends.iterrows()}
        moved = [t for t in core if t in last and trend_word(last[t]) in ("rising", "falling")]
        for theme in moved:
            row = last[theme]
            change = row["change"] if _missing(row["overall_change"]) else row["overall_change"]
            messages.append(
                f"{labels.get(theme, theme)}: {points(float(change))} in the share of participants "
                f"raising it from the first session to the latest, {trend_word(row)} beyond chance."
            )
        messages += _unmoved(shifts, last, [t for t in core if t not in moved], labels)
    if not ladder.empty:
        messages.append(ladder_headline(ladder) + ".")
    messages = messages[:4]
    if shares is not None and len(shares):
        messages.append(checking_summary(shares, dict(short or names)))
    elif measured:
        messages.append(
            "Nobody has checked the computer's theme tags on these roundtables, and on labelled "
            "text they agree with the coders only in part (see how far to trust each theme), so "
            "read the counts as a guide, beside the quotes."
        )
    return messages


def highlights_table(
    shifts: pd.DataFrame, theme_ids: list[str], labels: Mapping[str, str], names: Mapping[str, str]
) -> pd.DataFrame:
    """The other highlights in one table: first and latest share of contributions and a trend.

    With one session so far, only the first share: there is no latest one and no trend yet.

    Example:
        >>> highlights_table(results.theme_shifts, ["policy"], labels, names)  # doctest: +SKIP
    """
    import pandas as pd

    rows = []
    for theme in theme_ids:
        part = shifts[shifts["theme"] == theme].sort_values("order")
        if part.empty:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        row = {
            "Theme": labels.get(theme, theme),
            "First session": f"{first.share:.0%} of {first.n_segments} contributions",
        }
        if len(part) > 1:  # with one session there is no latest one and no trend yet
            row["Latest session"] = f"{last.share:.0%} of {last.n_segments} contributions"
            row["Trend"] = trend_word(last)
        rows.append(row)
    return pd.DataFrame(rows)


GLOSSARY = {
    "Co-production": "people who use services and people who run them designing them together, "
    "sharing power.",
    "Contribution": "one turn of speech, one note or one survey answer.",
    "Percentage points": "the difference between two percentages: from 30% to 40% is up 10 points.",
    "95% interval": "the range the true value probably lies in, given how few people took part.",
    "A clear change": "one that stands out from chance even after allowing for the many "
    "comparisons made (a q-value below 0.05).",
    "κ (kappa)": "how well the computer's tags agree with people's, beyond chance: 1 is "
    "perfect, 0 no better than chance.",
    "Ladder of participation": "steps from being told (informing) to sharing power "
    "(co-production).",
    "Pseudonym": "a code used instead of a person's name.",
}


def glossary_html() -> str:
    """The glossary as an HTML definition list.

    Example:
        >>> from coprod_analysis.story import glossary_html
        >>> glossary_html().startswith("<dl>")
        True
    """
    items = "".join(
        f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>"
        for term, text in GLOSSARY.items()
    )
    return f"<dl>{items}</dl>"


def pick_quotes(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    theme: str,
    *,
    names: Mapping[str, str],
    sectors: Mapping[tuple[str, str], str] | None = None,
    sector_counts: Mapping[tuple[str, str], int] | None = None,
    k: int = 3,
    min_count: int = MIN_COUNT,
) -> list[tuple[str, str]]:
    """Choose up to ``k`` representative quotes for a theme, from participants' own words.

    Only speaker turns of non-facilitators and free-text survey answers count, never notes or
    headings; none with a placeholder of a removed identifier (``[NAME]``, ``[PHONE]``,
    ``[EMAIL]``, ``[POSTCODE]``, ``[ID]``: a quote beside a removed name may hold a missed one);
    12–60 words; at most one per person; highest tag score first, taken in turn from each
    session so that quotes span the series.

    Args:
        segments: the segments table (already redacted and pseudonymised).
        tags: the ``themes`` table (its ``score`` ranks the quotes).
        theme: the theme id.
        names: session id → the short name to attribute by ("Session 2 (Dec 2023)").
        sectors: (session id, pseudonym) → sector, from the survey.
        sector_counts: (session id, sector) → participants; a sector is named only when at
            least ``min_count`` of its participants took part in that session.
        k: how many quotes at most.
        min_count: the smallest count shown.

    Returns:
        ``(text, attribution)`` pairs: "participant, Session 2 (Dec 2023)", or
        "participant (Third sector), Session 2 (Dec 2023)".

    Example:
        >>> pick_quotes(corpus.segments, tags, "power", names=names)  # doctest: +SKIP
    """
    tagged = tags[tags["theme"] == theme][["segment_id", "score"]]
    pool = segments.merge(tagged, on="segment_id")
    pool = pool[
        pool["source_kind"].isin(["transcript", "survey"])
        & pool["speaker"].notna()
        & ~pool["speaker"].isin(NON_PARTICIPANTS)
        & pool["n_words"].between(12, 60)
        & ~pool["text"].astype(str).str.contains(PLACEHOLDER)
    ]
    pool = pool.sort_values(["score", "segment_id"], ascending=[False, True])
    pool = pool.drop_duplicates("speaker")
    queues = [list(part.itertuples()) for _, part in pool.groupby("session_id", sort=True)]
    chosen: list[Any] = []  # itertuples() rows (pandas-stubs types their fields as any scalar)
    while len(chosen) < k and any(queues):
        for queue in queues:
            if queue and len(chosen) < k:
                chosen.append(queue.pop(0))
    out = []
    for row in chosen:
        who = "participant"
        sector = (sectors or {}).get((row.session_id, row.speaker))
        if sector and (sector_counts or {}).get((row.session_id, sector), 0) >= min_count:
            who = f"participant ({sector})"
        out.append((str(row.text), f"{who}, {names.get(row.session_id, '')}"))
    return out


def blockquotes_html(quotes: list[tuple[str, str]]) -> str:
    """Quotes as escaped HTML block quotes, each with its attribution.

    Example:
        >>> from coprod_analysis.story import blockquotes_html
        >>> blockquotes_html([("<b>We</b> held the pen.", "participant, Session 2 (Dec 2023)")])
        '<blockquote><p>&lt;b&gt;We&lt;/b&gt; held the pen.</p><footer>— participant, Session 2 (Dec 2023)</footer></blockquote>'
    """
    if not quotes:
        return "<p>No quote from participants' own words for this theme.</p>"
    return "".join(
        f"<blockquote><p>{html.escape(text)}</p><footer>— {html.escape(who)}</footer></blockquote>"
        for text, who in quotes
    )


def markdown_html(text: str) -> str:
    """Render evaluators' Markdown as HTML, with any raw HTML in it escaped.

    Example:
        >>> from coprod_analysis.story import markdown_html
        >>> markdown_html("We will **meet again**. <script>x</script>")
        '<p>We will <strong>meet again</strong>. &lt;script&gt;x&lt;/script&gt;</p>\\n'
    """
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).render(text)


def chart_notes(description: str, table: pd.DataFrame, *, name: str) -> str:
    """A chart's text alternative and its numbers: a caption, a table and a CSV download.

    Args:
        description: what the chart shows, in words (``charts.describe(fig)``).
        table: the numbers plotted, with readable column names.
        name: the CSV file's name, without ``.csv``.

    Example:
        >>> from coprod_analysis.story import chart_notes
        >>> import pandas as pd
        >>> page = chart_notes("Power rose.", pd.DataFrame({"Session": ["<1>"]}), name="power")
        >>> "&lt;1&gt;" in page and 'download="power.csv"' in page and "<details>" in page
        True
    """
    from urllib.parse import quote

    data = quote(table.to_csv(index=False))
    return (
        f'<p class="chart-caption">{html.escape(description)}</p>'
        "<details><summary>The numbers in this chart</summary>"
        f"{table.to_html(index=False, border=0, classes='chart-data')}"
        f'<p><a download="{html.escape(name)}.csv" href="data:text/csv;charset=utf-8,{data}">'
        "Download these numbers (CSV)</a></p></details>"
    )


# Easy Read: plain names for the core themes (others keep their codebook label).
EASY_NAMES = {
    "power": "Power: who makes the decisions",
    "funding": "Money and funders",
    "unlearning": "Changing old habits",
    "values": "What we believe in",
    "conditions": "Really sharing, or just asking",
    "examples": "Learning from other projects",
    "tokenism": "Calling it sharing when it is not",
    "policy": "Laws and plans, like The Promise",
    "ladder": "Steps to sharing power",
}
# A simple picture for each core theme: SVG paths on a 48 × 48 grid.
ICONS = {
    "power": '<circle cx="24" cy="14" r="7"/><path d="M10 42c0-9 6-15 14-15s14 6 14 15z"/>',
    "funding": '<circle cx="24" cy="24" r="16" fill="none" stroke-width="5"/>'
    '<path d="M21 14h6v20h-6z"/>',
    "unlearning": '<path d="M8 24a16 16 0 1 1 5 11.5l3.5-3.5A11 11 0 1 0 13 24h5l-7.5 8L3 24z"/>',
    "values": '<path d="M24 41 9 26a9 9 0 0 1 15-10 9 9 0 0 1 15 10z"/>',
}


def _about(share: float) -> str:
    """A share in words: "about a quarter", "about half", "most"."""
    if share != share or share == 0:
        return "none"
    if share < 0.15:
        return "a few"
    for limit, words in (
        (0.29, "about a quarter"),
        (0.42, "about a third"),
        (0.6, "about half"),
        (0.9, "most"),
    ):
        if share < limit:
            return words
    return "nearly all"


def easy_read(
    shifts: pd.DataFrame,
    survey: pd.DataFrame,
    ladder: pd.DataFrame,
    wishlist: pd.Series,
    *,
    theme_ids: list[str],
    labels: Mapping[str, str],
    meetings: int,
    shares: pd.DataFrame | None = None,
) -> list[tuple[str | None, list[str]]]:
    """What we heard, in Easy Read: short sentences, one idea each, words not numbers.

    Args:
        shifts: the theme shifts table.
        survey: the survey shifts table (confidence before and after).
        ladder: the ladder table.
        wishlist: wishlist answers per theme, most first.
        theme_ids: the core themes, in order.
        labels: theme labels, for themes without a plain name.
        meetings: how many roundtables there were.
        shares: the ``shares`` table, to say at which meeting a person checked the
            computer's work (:func:`~coprod_analysis.shifts.narrative.checking_easy`).

    Returns:
        Sections as ``(theme or None, sentences)``.

    Example:
        >>> easy_read(results.theme_shifts, results.survey_shifts, results.ladder,
        ...           counts, theme_ids=core, labels=labels, meetings=4)  # doctest: +SKIP
    """
    sections: list[tuple[str | None, list[str]]] = [
        (
            None,
            [
                "Thank you for taking part.",
                f"We met {meetings} times." if meetings != 1 else "We met once.",
                "This is what we heard from you.",
            ],
        )
    ]
    for theme in theme_ids:
        part = shifts[shifts["theme"] == theme].sort_values("order")
        if part.empty or not part["n_participants"].iloc[-1]:
            continue
        first, last = part.iloc[0], part.iloc[-1]
        if len(part) == 1:
            said = f"At the meeting, {_about(first.participant_share)} of you talked about this."
            sections.append((theme, [said]))
            continue
        trend = trend_word(last)
        said = {
            "rising": "More people talked about this by the last meeting.",
            "falling": "Fewer people talked about this by the last meeting.",
            "not checked by people": "No person has checked this yet, so we are not sure.",
        }.get(trend, "We are not sure if this changed.")
        sections.append(
            (
                theme,
                [
                    f"At the first meeting, {_about(first.participant_share)} of you talked about this.",
                    f"At the last meeting, {_about(last.participant_share)} of you did.",
                    said,
                ],
            )
        )
    confidence = _confidence(survey)
    if len(confidence) and (confidence["ci_low"] > 0).all():
        sections.append(
            (
                None,
                [
                    f"After {'the' if meetings == 1 else 'each'} meeting, you felt more sure "
                    "about explaining co-production."
                ],
            )
        )
    if len(ladder) and (ladder["gap"] > 0).sum() > ladder["gap"].notna().sum() / 2:
        sections.append((None, ["Most of you want your group to share more power."]))
    asked = [EASY_NAMES.get(t, labels.get(t, t)).split(":")[0] for t in wishlist.index[:3]]
    if asked:
        sections.append((None, ["You asked to talk more about:", *asked]))
    if shares is not None and len(shares):
        order = dict(zip(shifts["session_id"], shifts["order"], strict=False))
        meetings_by = {s: f"meeting {order.get(s, '')}" for s in order}
        counted = ["A computer sorted what you said into topics."]
        sections.append((None, counted + checking_easy(shares, meetings_by)))
    sections.append((None, ["We will use what you said to plan the next meetings.", "Thank you."]))
    return sections


def easy_read_html(
    sections: list[tuple[str | None, list[str]]],
    *,
    labels: Mapping[str, str],
    colours: Mapping[str, str],
) -> str:
    """The Easy Read page: large text, one idea per line, a picture for each theme.

    Example:
        >>> from coprod_analysis.story import easy_read_html
        >>> page = easy_read_html([("power", ["Thank <you>."])], labels={}, colours={})
        >>> "Thank &lt;you&gt;." in page and '<html lang="en">' in page and "<svg" in page
        True
    """
    body = []
    for theme, sentences in sections:
        lines = "".join(f"<p>{html.escape(s)}</p>" for s in sentences)
        if theme is None:
            body.append(f"<section>{lines}</section>")
            continue
        name = html.escape(EASY_NAMES.get(theme, labels.get(theme, theme)))
        icon = ICONS.get(theme, '<circle cx="24" cy="24" r="16"/>')
        colour = html.escape(colours.get(theme, "#332288"))
        body.append(
            f'<section class="theme"><h2><svg viewBox="0 0 48 48" width="48" height="48" '
            f'aria-hidden="true" focusable="false" fill="{colour}" stroke="{colour}">{icon}</svg>'
            f"{name}</h2>{lines}</section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>What we heard</title><style>"
        "body{font-family:Atkinson Hyperlegible,Verdana,Arial,sans-serif;font-size:20px;"
        "line-height:1.6;color:#111;max-width:38em;margin:1.5rem auto;padding:0 1rem}"
        "h1{font-size:2rem}h2{font-size:1.4rem;display:flex;align-items:center;gap:.6rem}"
        "section{margin:1.5rem 0;padding-bottom:1rem;border-bottom:2px solid #ccc}"
        "p{margin:.4rem 0}"
        "</style></head><body><main><h1>What we heard</h1>"
        + "".join(body)
        + "</main></body></html>\n"
    )


def prevalence_headline(shifts: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """A chart title that states the finding: the clearest change, or that none stood out.

    With one session so far, it says there is nothing to compare yet.

    The change and the test are both on participants (who raised the theme at least once).

    Example:
        >>> from coprod_analysis.story import prevalence_headline
        >>> import pandas as pd
        >>> table = pd.DataFrame({"theme": ["power", "power"], "order": [1, 2],
        ...     "participant_share": [0.1, 0.6], "overall_change": [None, None],
        ...     "change": [None, 0.5], "within_noise": [None, False], "change_method": [None, "audit"]})
        >>> prevalence_headline(table, {"power": "Power"})
        'Power rose clearly: raised by 10% of participants in the first session, 60% in the latest'
    """
    if shifts["order"].nunique() == 1:
        return "How often each theme came up in the first session: no change to compare yet"
    best = None
    for theme, part in shifts.sort_values("order").groupby("theme", sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        word = trend_word(last)
        if word in ("rising", "falling"):
            size = abs(last.participant_share - first.participant_share)
            if best is None or size > best[0]:
                best = (
                    size,
                    cast(str, theme),
                    word,
                    first.participant_share,
                    last.participant_share,
                )
    if best is None:
        return "No theme changed clearly between the first session and the latest"
    _, theme, word, first, last = best
    verb = "rose" if word == "rising" else "fell"
    return (
        f"{labels.get(theme, theme)} {verb} clearly: raised by {first:.0%} of participants in "
        f"the first session, {last:.0%} in the latest"
    )


def ladder_headline(ladder: pd.DataFrame) -> str:
    """A ladder chart title that states the finding.

    Example:
        >>> from coprod_analysis.story import ladder_headline
        >>> import pandas as pd
        >>> ladder_headline(pd.DataFrame({"gap": [1, 2, 0, 1]}))
        '3 of 4 answers hoped to climb at least one rung of the ladder within a year'
    """
    higher = int((ladder["gap"] > 0).sum())
    answered = int(ladder["gap"].notna().sum())
    return f"{higher} of {answered} answers hoped to climb at least one rung of the ladder within a year"
