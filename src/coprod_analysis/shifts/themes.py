"""Theme prevalence per session, with changes tested on participants, not segments.

Segments from one person are not independent: a talkative participant who raises funding
five times would count five times. So each change between sessions is tested on the share of
*participants* (pseudonymised speakers and respondents, not facilitators) who raised the theme
at least once, as estimated from what people checked (:mod:`.estimate`), in two families:
the changes declared in advance, and the rest (:mod:`.changes`). Segment shares stay as a
descriptive view, with Wilson intervals and, where the tagger has been measured on labelled
text, a share corrected for its error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from coprod_analysis.config import ALPHA_DECLARED, ALPHA_EXPLORATORY
from coprod_analysis.corpus import NON_PARTICIPANTS, session_order
from coprod_analysis.shifts.stats import rogan_gladen, wilson

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def session_focus(sessions: pd.DataFrame | None, labels: Mapping[str, str]) -> dict[str, set[str]]:
    """Return the themes each session was about, by its agenda.

    A ``focus`` column in ``sessions.csv`` (theme ids separated by ``;``) says so directly.
    Where a session has none, a title that names a theme's id or label ("Power, funding and
    funders") counts as focused on that theme.

    Example:
        >>> from coprod_analysis.shifts.themes import session_focus
        >>> import pandas as pd
        >>> sessions = pd.DataFrame({"session_id": ["s1", "s2"],
        ...                          "title": ["Power, funding and funders", "Welcome"],
        ...                          "focus": ["", "values"]})
        >>> focus = session_focus(sessions, {"power": "Power", "funding": "Funds", "values": "Values"})
        >>> sorted(focus["s1"]), sorted(focus["s2"])
        (['funding', 'power'], ['values'])
    """
    found: dict[str, set[str]] = {}
    if sessions is None:
        return found
    for row in sessions.to_dict("records"):
        focus = str(row.get("focus") or "").strip()
        if focus and focus.lower() != "nan":
            found[row["session_id"]] = {t.strip() for t in focus.split(";") if t.strip()}
            continue
        title = str(row.get("title") or "")
        found[row["session_id"]] = {
            theme
            for theme, label in labels.items()
            if any(
                re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title, re.I)
                for name in (theme, label)
                if name
            )
        }
    return found


def _people(part: pd.DataFrame) -> set[str]:
    if "speaker" not in part:
        return set()
    return {p for p in part["speaker"].dropna() if p not in NON_PARTICIPANTS}


def _split(tags: pd.DataFrame, checked: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tagger's own codes and the checked table, from what ``theme_shifts`` was given.

    Given the counted ``themes`` table and no ``checked``, its checked rows become the checked
    table (none of them drawn by an audit: that needs the ``checked`` table itself).
    """
    import pandas as pd

    people = tags["method"].eq("checked") if "method" in tags else pd.Series(False, tags.index)
    if checked is not None:
        return tags[~people], checked
    rows = tags[people]
    found = (
        rows.groupby("segment_id", sort=False)["theme"]
        .agg(lambda t: ";".join(t.dropna()))
        .rename("themes")
        .reset_index()
        .assign(audit=False)
    )
    return tags[~people], found


def _counts(
    segments: pd.DataFrame,
    counted: pd.DataFrame,
    *,
    sessions: pd.DataFrame | None,
    theme_ids: list[str],
    focus: Mapping[str, Iterable[str]] | None,
) -> pd.DataFrame:
    """Per session × theme: segments and participants with the theme by the counted codes."""
    import pandas as pd

    order = session_order(segments, sessions)
    tagged = counted[["segment_id", "theme"]].drop_duplicates()
    seg = segments[["segment_id", "session_id", *(["speaker"] if "speaker" in segments else [])]]
    merged = tagged.merge(seg, on="segment_id")
    agenda = {s: set(t) for s, t in (focus or {}).items()}
    rows = []
    for session_id in sorted(seg["session_id"].unique(), key=lambda s: order.get(s, 0)):
        in_session = seg[seg["session_id"] == session_id]
        people = _people(in_session)
        found = merged[merged["session_id"] == session_id]
        for theme in theme_ids:
            hits = found[found["theme"] == theme]
            k = hits["segment_id"].nunique()
            low, high = wilson(k, len(in_session))
            rows.append(
                {
                    "session_id": session_id,
                    "order": order.get(session_id, 0),
                    "theme": theme,
                    "n_segments": len(in_session),
                    "n_with_theme": k,
                    "share": k / len(in_session) if len(in_session) else float("nan"),
                    "ci_low": low,
                    "ci_high": high,
                    "n_participants": len(people),
                    "n_participants_with_theme": len(_people(hits) & people),
                    "on_agenda": theme in agenda.get(session_id, set()),
                }
            )
    return pd.DataFrame(rows)


def theme_shifts(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    *,
    checked: pd.DataFrame | None = None,
    sessions: pd.DataFrame | None = None,
    theme_ids: list[str] | None = None,
    focus: Mapping[str, Iterable[str]] | None = None,
    declared: Iterable[tuple[str, str | None]] = (),
    alpha_declared: float = ALPHA_DECLARED,
    alpha_exploratory: float = ALPHA_EXPLORATORY,
    reliability: pd.DataFrame | None = None,
    resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per session × theme: how many contributions and participants raise it, and changes.

    Participant shares are estimated as :func:`~coprod_analysis.shifts.estimate_shares` does:
    exact where people checked every contribution, corrected by an audit where there is one,
    else the tagger's count. Changes are tested on those estimates
    (:func:`~coprod_analysis.shifts.changes.changes`).

    Args:
        segments: the ``segments`` table (``segment_id, session_id``; ``speaker`` for
            participants).
        tags: the tagger's own codes (the ``tagged`` table) when ``checked`` is given; else
            any ``themes`` table, whose ``checked`` rows (if any) count as checked, none of them
            audited.
        checked: the ``checked`` table (``segment_id, themes, audit``), or None.
        sessions: the ``sessions`` table, for session order (default: order of appearance).
        theme_ids: the themes to report, in this order (default: those in ``tags``).
        focus: the themes each session was about (:func:`session_focus`); a change into a
            session about the theme is marked ``on_agenda``, and is declared.
        declared: more changes declared in advance (``shifts.questions``): ``(theme,
            session_id)`` for the change into that session, ``(theme, None)`` for the first to
            the latest.
        alpha_declared: the level of the declared family (Holm).
        alpha_exploratory: the level of the exploratory family (Benjamini–Hochberg).
        reliability: the reliability card (:func:`coprod_analysis.reliability.reliability`),
            to correct contribution shares for the tagger's sensitivity and specificity.
        resamples: simulated draws for the corrected share's interval (:func:`correct`).
        seed: their random seed.

    Returns:
        One row per session × theme, sessions in order:

        - ``n_segments``, ``n_with_theme``, ``share``, ``ci_low``, ``ci_high``: every segment
          (notes too) counted with the checked codes where there are any, with a Wilson 95%
          interval (descriptive);
        - ``corrected_share``, ``corrected_low``, ``corrected_high``, ``corrected_clamped``:
          that share corrected for the tagger's error as its card measured it (:func:`correct`);
        - ``n_participants``, ``n_participants_with_theme``: participants (speakers and
          respondents, not facilitators), and how many raised the theme by the counted codes;
        - ``participant_share``, ``participant_ci_low``, ``participant_ci_high``,
          ``participant_method``, ``participant_variance``, ``n_checked``: the estimate of
          :func:`~coprod_analysis.shifts.estimate_shares` and how it was made;
        - the change columns of :func:`~coprod_analysis.shifts.changes.changes` (``change``
          … ``within_noise``, ``overall_*``, ``comparisons``, ``declared``);
        - ``on_agenda``: the session was about this theme (``focus``), so a rise is expected.

    Example:
        >>> theme_shifts(corpus.segments, results.tagged, checked=results.checked,
        ...              sessions=corpus.sessions)  # doctest: +SKIP
    """
    from coprod_analysis.shifts.changes import changes
    from coprod_analysis.shifts.estimate import estimate_shares
    from coprod_analysis.themes.checked import count_checked

    tagger, checked = _split(tags, checked)
    counted = count_checked(tagger, checked) if len(checked) else tagger
    theme_ids = theme_ids or list(dict.fromkeys([*tagger["theme"], *counted["theme"]]))
    table = _counts(segments, counted, sessions=sessions, theme_ids=theme_ids, focus=focus)
    if table.empty:
        return table
    estimates = estimate_shares(segments, tagger, checked, sessions=sessions, theme_ids=theme_ids)
    estimates = estimates.rename(
        columns={
            "share": "participant_share",
            "low": "participant_ci_low",
            "high": "participant_ci_high",
            "method": "participant_method",
            "variance": "participant_variance",
        }
    ).drop(columns=["n_total", "unit"])  # n_checked, n_audited: participants
    table = table.merge(estimates, on=["session_id", "theme"], how="left")
    nobody = table["participant_method"].isna()  # a session with no participant's words
    table.loc[nobody, "participant_method"] = "unchecked"
    table["n_checked"] = table["n_checked"].fillna(0).astype(int)
    table = changes(
        table,
        declared=set(declared),
        alpha_declared=alpha_declared,
        alpha_exploratory=alpha_exploratory,
    )
    return _corrected(table, reliability, resamples=resamples, seed=seed)


CORRECTED = ["corrected_share", "corrected_low", "corrected_high", "corrected_clamped"]
"""The columns :func:`correct` fills, in the order it returns them."""
_NOT_CORRECTED = (math.nan, math.nan, math.nan, None)


def _corrected(
    table: pd.DataFrame, card: pd.DataFrame | None, *, resamples: int, seed: int
) -> pd.DataFrame:
    """Add the segment share corrected for the tagger's error (see :func:`correct`)."""
    import numpy as np
    import pandas as pd

    table = table.copy()
    rates: dict[Any, Any] = {} if card is None else card.set_index("theme").to_dict("index")
    rng = np.random.default_rng(seed)
    rows = []
    row: Any  # an itertuples() row: pandas-stubs types its fields as any scalar at all
    for row in table.itertuples():
        card_for = rates.get(row.theme) or {}
        rows.append(correct(row.n_with_theme, row.n_segments, card_for, rng=rng, draws=resamples))
    for name, values in zip(CORRECTED, zip(*rows, strict=True), strict=True):
        table[name] = pd.array(values, dtype="boolean") if name == "corrected_clamped" else values
    return table


def correct(
    k: int, n: int, card: Mapping[str, float], *, rng: np.random.Generator, draws: int = 1000
) -> tuple[float, float, float, bool | None]:
    """Return k tagged of n corrected for the tagger's error: share, 95% interval, clamped.

    The share is Rogan–Gladen's, from the card's sensitivity ``tp / (tp + fn)`` and
    specificity ``tn / (tn + fp)``, clamped to [0, 1]. The interval comes from ``draws`` draws
    of the share and both rates, each from its Jeffreys distribution, Beta(k + ½, n − k + ½):
    a share of 0 of 97, or a tagger with no false alarms in 500, is still uncertain. A draw in
    which the tagger is no better than chance (sensitivity + specificity ≤ 1) could fit any
    share, so it counts as 0 at the interval's low end and 1 at its high end. The interval
    always holds the share.

    ``clamped`` is True when the share tagged is above the card's sensitivity: more than the
    tagger would tag even if every contribution were about the theme, so the correction is
    over 100% and clamped to it. Either the card's rates do not hold on this text or the
    share is high by chance; read the raw share. A share below the false-alarm rate is
    clamped to 0, which is a fair estimate (the theme may not have come up), so it is not
    marked. Without a usable card (no counts, no positives or negatives, or a tagger no
    better than chance), all four are empty.

    Example:
        >>> import numpy as np
        >>> from coprod_analysis.shifts.themes import correct
        >>> card = {"tp": 60, "fn": 40, "tn": 90, "fp": 10}
        >>> share, low, high, clamped = correct(60, 200, card, rng=np.random.default_rng(0))
        >>> round(share, 2), low < share < high, clamped
        (0.4, True, False)
    """
    import numpy as np

    if not n or not {"tp", "fp", "fn", "tn"} <= set(card):
        return _NOT_CORRECTED
    positives, negatives = card["tp"] + card["fn"], card["tn"] + card["fp"]
    if not positives or not negatives:
        return _NOT_CORRECTED
    sensitivity = card["tp"] / positives
    point = rogan_gladen(k / n, sensitivity, card["tn"] / negatives)
    if point != point:
        return _NOT_CORRECTED
    share = rng.beta(k + 0.5, n - k + 0.5, draws)
    sens = rng.beta(card["tp"] + 0.5, card["fn"] + 0.5, draws)
    spec = rng.beta(card["tn"] + 0.5, card["fp"] + 0.5, draws)
    youden = sens + spec - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        corrected = np.clip((share + spec - 1) / youden, 0, 1)
    low = float(np.percentile(np.where(youden > 0, corrected, 0.0), 2.5))
    high = float(np.percentile(np.where(youden > 0, corrected, 1.0), 97.5))
    return point, min(low, point), max(high, point), k / n > sensitivity
