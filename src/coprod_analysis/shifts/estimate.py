"""Shares people can stand behind: checked codes win, and an audit corrects the tagger.

For every session × theme, the share of participants who raised the theme (or the share of
participants' contributions about it), with a 95% interval, estimated in one of three ways:

- ``checked``: people coded every contribution in the session, so the share is an exact count.
- ``audit``: people coded, blind, every contribution of a random sample of participants
  (:mod:`coprod_analysis.themes.audit`). The tagger's codes for everyone else are corrected by
  how often the tagger was right on that sample: prediction-powered inference (Angelopoulos et
  al., *Science* 2023; PPI++, arXiv 2311.01453). The estimate stays unbiased however wrong the
  tagger is, and its interval narrows as the tagger improves.
- ``unchecked``: nobody checked a random sample, so the share is the tagger's count, with a
  Wilson interval that allows for chance only, not for the tagger's errors.

**How the audit estimate works.** Every participant in the audit is known exactly; so is anyone
else whose contributions were all checked, or who has a checked contribution about the theme.
For the rest, the tagger predicts whether they raised the theme (any contribution tagged). The
audit shows how often the theme is really there when the tagger says yes, and when it says no;
each unchecked participant is counted at those rates. That is PPI++'s estimate with λ, its
power-tuning weight, at the regression slope of the truth on the prediction (for a yes/no
prediction known for every participant, the two coincide; ``tests/shifts/test_estimate.py``
checks it against ``ppi-python``). The tuning also decides whether the prediction helps at all:
the split is kept only when it leaves the estimate surer than the audit alone (:func:`spread`),
else λ = 0 and the audit alone counts for everyone.

**The interval** is for these participants (a finite population), and small audits need it
exact: each group's rate gets a Beta posterior from the audit with Jeffreys' prior,
Beta(k + ½, n − k + ½), and the unchecked participants' count is its beta-binomial; the groups
are added exactly (a convolution), and the interval is the 2.5% and 97.5% points of the total.
Checked every one: no uncertainty is left. ``variance`` is the estimate's sampling variance
(:func:`spread`), which the change tests use. In ``benchmarks/simulate_audit.py`` and, on real
statements with the shipped tagger, ``benchmarks/audit_real_text.py``, these intervals cover the
true share in at least 93% of runs overall and 90% in every cell, and are no wider than the
audit alone's.

The contribution view treats contributions the same way, but an audited participant's
contributions are not independent of each other, so each group's variance is inflated by its
design effect (Kish) and the interval has t tails (its variance comes from the few participants
audited), kept within what is possible.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import betabinom, t

from coprod_analysis.corpus import contributions, session_order
from coprod_analysis.shifts.stats import wilson
from coprod_analysis.themes.checked import checked_long

Unit = Literal["participant", "contribution"]
METHODS = ("checked", "audit", "unchecked")
"""How a share was estimated, from the most certain to the least."""
SHARE_COLUMNS = [
    "session_id",
    "theme",
    "share",
    "low",
    "high",
    "n_checked",
    "n_total",
    "method",
    "unit",
    "variance",
    "n_audited",
]
PRIOR = 0.5  # Jeffreys: half an observation each side, for the audit's rate in each group


def estimate_shares(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    checked: pd.DataFrame | None,
    *,
    unit: Unit = "participant",
    sessions: pd.DataFrame | None = None,
    theme_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Each session × theme's share with its 95% interval, from checked codes, an audit or the tagger.

    Args:
        segments: the ``segments`` table (``segment_id, session_id, speaker``).
        tags: the tagger's own codes (the ``tagged`` table), one row per segment and theme.
            Not the ``themes`` table: its checked rows would hide what the tagger said about
            the audited segments, which is what the audit measures.
        checked: the ``checked`` table: ``segment_id``, ``themes`` (ids separated by ``;``,
            empty for none) and ``audit`` (True for segments coded because the audit drew
            their participant); None or empty when nobody checked anything.
        unit: ``"participant"`` (the share of participants who raised the theme at least
            once) or ``"contribution"`` (the share of participants' contributions about it).
        sessions: the ``sessions`` table, for their order (default: order of appearance).
        theme_ids: the themes, in order (default: those tagged or checked).

    Returns:
        One row per session × theme: ``session_id, theme, share, low, high, n_checked,
        n_total, method`` (``checked``, ``audit`` or ``unchecked``), then ``unit``,
        ``variance`` (of the share, from the checking alone; 0 when exact or unchecked) and
        ``n_audited``.
        ``n_checked`` counts the units people coded completely (participants with every
        contribution checked, or contributions), ``n_total`` all of them, and ``n_audited``
        those of the random audit.

    Raises:
        ValueError: ``unit`` is not one of the two, or ``tags`` holds checked rows.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.estimate import estimate_shares
        >>> segments = pd.DataFrame({"segment_id": list("abcd"), "session_id": ["s1"] * 4,
        ...     "speaker": ["P-1", "P-2", "P-3", "P-4"]})
        >>> tags = pd.DataFrame({"segment_id": ["a", "b"], "theme": ["power", "power"]})
        >>> checked = pd.DataFrame({"segment_id": list("abcd"), "themes": ["power", "", "", "power"],
        ...     "audit": [False] * 4})
        >>> estimate_shares(segments, tags, checked)[["share", "low", "high", "method"]].values.tolist()
        [[0.5, 0.5, 0.5, 'checked']]
    """
    if unit not in ("participant", "contribution"):
        raise ValueError(f"unit must be 'participant' or 'contribution', not {unit!r}")
    if "method" in tags and tags["method"].eq("checked").any():
        raise ValueError(
            "tags holds checked rows: pass the tagger's own codes (the `tagged` table), and "
            "the checked codes as `checked`"
        )
    checked = checked if checked is not None else pd.DataFrame(columns=["segment_id", "themes"])
    themes = list(theme_ids) if theme_ids is not None else _themes(tags, checked)
    one: Callable[[pd.DataFrame, list[str]], Iterable[tuple[str, dict]]]
    if unit == "participant":
        table, one = people(segments, tags, checked, theme_ids=themes), _participants
    else:
        table, one = _units(segments, tags, checked, themes), _contributions
    order = session_order(segments, sessions)
    rows = []
    for session_id in sorted(table["session_id"].unique(), key=lambda s: order.get(s, 0)):
        part = table[table["session_id"] == session_id]
        rows += [{"session_id": session_id, "theme": t, **r} for t, r in one(part, themes)]
    columns = [c for c in SHARE_COLUMNS if c != "unit"]
    return pd.DataFrame(rows, columns=columns).assign(unit=unit)[SHARE_COLUMNS]


def _themes(tags: pd.DataFrame, checked: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys([*tags["theme"], *checked_long(checked)["theme"]]))


def _units(
    segments: pd.DataFrame, tags: pd.DataFrame, checked: pd.DataFrame, theme_ids: list[str]
) -> pd.DataFrame:
    """Participants' contributions: checked, audit, and per theme ``tag:<id>`` and ``true:<id>``."""
    mine = contributions(segments)[["segment_id", "session_id", "speaker"]].reset_index(drop=True)
    mine["checked"] = mine["segment_id"].isin(set(checked["segment_id"]))
    audit: Iterable[str] = (
        checked.loc[checked["audit"].astype(bool), "segment_id"] if "audit" in checked else []
    )
    mine["audit"] = mine["segment_id"].isin(set(audit))
    tagged = set(zip(tags["segment_id"], tags["theme"], strict=True))
    people = checked_long(checked)
    true = set(zip(people["segment_id"], people["theme"], strict=True))
    ids = mine["segment_id"].tolist()
    columns = {}
    for theme in theme_ids:
        columns[f"tag:{theme}"] = [(s, theme) in tagged for s in ids]
        columns[f"true:{theme}"] = [(s, theme) in true for s in ids]
    return pd.concat([mine, pd.DataFrame(columns, index=mine.index)], axis=1)


_EMPTY = {"share": math.nan, "low": math.nan, "high": math.nan, "method": "unchecked",
          "variance": math.nan}  # fmt: skip


def people(
    segments: pd.DataFrame,
    tags: pd.DataFrame,
    checked: pd.DataFrame | None,
    *,
    theme_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per session × participant: what people checked and what the tagger said.

    Returns:
        ``session_id, speaker, complete`` (every contribution checked), ``audited`` (complete,
        and drawn by the audit), then per theme ``true:<id>`` (a checked contribution has it)
        and ``tagged:<id>`` (the tagger tags one of the contributions nobody checked; for an
        audited participant, any of them: the audit measures the tagger on exactly that).

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.shifts.estimate import people
        >>> segments = pd.DataFrame({"segment_id": ["a", "b"], "session_id": ["s1", "s1"],
        ...     "speaker": ["P-1", "P-1"]})
        >>> checked = pd.DataFrame({"segment_id": ["a"], "themes": ["power"], "audit": [False]})
        >>> tags = pd.DataFrame({"segment_id": ["a", "b"], "theme": ["funding", "power"]})
        >>> people(segments, tags, checked).iloc[0].to_dict()
        {'session_id': 's1', 'speaker': 'P-1', 'complete': False, 'audited': False, 'true:funding': False, 'tagged:funding': False, 'true:power': True, 'tagged:power': True}
    """
    checked = checked if checked is not None else pd.DataFrame(columns=["segment_id", "themes"])
    themes = list(theme_ids) if theme_ids is not None else _themes(tags, checked)
    part = _units(segments, tags, checked, themes)
    keys = [part["session_id"], part["speaker"]]
    complete = part.groupby(keys, sort=False)["checked"].all()
    audited = complete & part.groupby(keys, sort=False)["audit"].any()
    table = pd.DataFrame({"complete": complete, "audited": audited})
    mine = pd.Series(list(zip(part["session_id"], part["speaker"], strict=True)), index=part.index)
    use = mine.map(audited).to_numpy(dtype=bool) | ~part["checked"].to_numpy(dtype=bool)
    for theme in themes:
        table[f"true:{theme}"] = (
            (part[f"true:{theme}"] & part["checked"]).groupby(keys, sort=False).any()
        )
        table[f"tagged:{theme}"] = (part[f"tag:{theme}"] & use).groupby(keys, sort=False).any()
    table.index.names = ["session_id", "speaker"]
    return table.reset_index()


def _participants(table: pd.DataFrame, theme_ids: list[str]) -> Iterable[tuple[str, dict]]:
    """Each theme of one session, participants as the unit (see the module's docstring)."""
    complete, audited = table["complete"], table["audited"]
    total, done = len(table), int(complete.sum())
    base = {"n_checked": done, "n_total": total, "n_audited": int(audited.sum())}
    for theme in theme_ids:
        if not total:
            yield theme, {**base, **_EMPTY}
            continue
        truth, predicted = table[f"true:{theme}"], table[f"tagged:{theme}"]
        known = complete | truth
        positives = int(truth.sum())
        if done == total:
            share = positives / total
            yield theme, {**base, "share": share, "low": share, "high": share,
                          "method": "checked", "variance": 0.0}  # fmt: skip
        elif not audited.any():
            count = positives + int(predicted[~known].sum())
            low, high = wilson(count, total)
            yield theme, {**base, "share": count / total, "low": low, "high": high,
                          "method": "unchecked", "variance": 0.0}  # fmt: skip
        else:
            groups = _groups(truth[audited], predicted[audited], predicted[~known])
            share, low, high, variance = _finite(positives, total, groups)
            yield theme, {**base, "share": share, "low": low, "high": high,
                          "method": "audit", "variance": variance}  # fmt: skip


def _groups(
    truth: pd.Series, predicted: pd.Series, others: pd.Series
) -> list[tuple[int, int, int]]:
    """Per group of the tagger's prediction: (positives, audited, unchecked).

    The power tuning: split by the prediction when the audit has someone in both groups and
    the split makes the estimate surer (:func:`spread`); else the audit alone, one group.
    """
    alone = [(int(truth.sum()), len(truth), len(others))]
    split = [
        (int(truth[predicted == g].sum()), int((predicted == g).sum()), int((others == g).sum()))
        for g in (True, False)
    ]
    if all(n for _, n, _ in split) and spread(split) < spread(alone):
        return split
    return alone


def spread(groups: list[tuple[int, int, int]]) -> float:
    """How uncertain the unchecked count is: the sampling variance of the estimate's total.

    Each group's unchecked count is estimated at the audit's rate ``k / n``: its error has
    variance ``u² r(1 − r) / n`` (the rate) plus ``u r(1 − r)`` (who of the ``u`` raised it),
    with ``r`` taken half a count in from 0 and 1 (Jeffreys' posterior mean), so a group where
    the audit saw no one raise the theme still counts as uncertain.

    Example:
        >>> from coprod_analysis.shifts.estimate import spread
        >>> round(spread([(2, 10, 20)]), 2), round(spread([(0, 5, 20)]), 2)
        (10.54, 7.64)
    """
    total = 0.0
    for k, n, u in groups:
        rate = (k + PRIOR) / (n + 2 * PRIOR)
        total += u * rate * (1 - rate) * (u / n + 1)
    return total


def _finite(known: int, total: int, groups: list[tuple[int, int, int]]):
    """Share, exact 95% interval and variance of (known + the unchecked positives) / total."""
    pmf = np.array([1.0])
    share = float(known)
    for k, n, u in groups:
        if not u:
            continue
        pmf = np.convolve(pmf, betabinom(u, k + PRIOR, n - k + PRIOR).pmf(np.arange(u + 1)))
        share += u * k / n  # the prediction-powered point estimate: each group at its rate
    cdf = np.cumsum(pmf)
    low = known + int(np.searchsorted(cdf, 0.025 - 1e-12))
    high = known + int(np.searchsorted(cdf, 0.975 - 1e-12))
    share /= total
    return share, min(low / total, share), max(high / total, share), spread(groups) / total**2


def _contributions(part: pd.DataFrame, theme_ids: list[str]) -> Iterable[tuple[str, dict]]:
    """Each theme of one session, participants' contributions as the unit."""
    total, done = len(part), int(part["checked"].sum())
    others = ~part["checked"]
    sample = part["audit"] & part["checked"]
    base = {"n_checked": done, "n_total": total, "n_audited": int(sample.sum())}
    for theme in theme_ids:
        if not total:
            yield theme, {**base, **_EMPTY}
            continue
        truth, predicted = part[f"true:{theme}"], part[f"tag:{theme}"]
        known = int((part["checked"] & truth).sum())
        if done == total:
            yield theme, {**base, "share": known / total, "low": known / total,
                          "high": known / total, "method": "checked", "variance": 0.0}  # fmt: skip
        elif not sample.any():
            count = known + int((predicted & others).sum())
            low, high = wilson(count, total)
            yield theme, {**base, "share": count / total, "low": low, "high": high,
                          "method": "unchecked", "variance": 0.0}  # fmt: skip
        else:
            yield theme, {**base, **_clustered_share(part, truth, predicted, known)}


def _clustered_share(
    part: pd.DataFrame, truth: pd.Series, predicted: pd.Series, known: int
) -> dict:
    """The audit estimate of a contribution share.

    As for participants, each group of the tagger's prediction at the audit's rate, split only
    when that makes the estimate surer; an audited participant's contributions hang together, so
    each group's variance is inflated by its design effect (Kish), and the interval has t tails
    (the audited participants less one degree of freedom), kept within what is possible.
    """
    total, others = len(part), ~part["checked"]
    sample = part["audit"] & part["checked"]
    alone = [_contribution_group(truth[sample], part.loc[sample, "speaker"], int(others.sum()))]
    candidates = [alone]
    if all((sample & (predicted == g)).any() for g in (True, False)):
        split = [
            _contribution_group(
                truth[sample & (predicted == g)],
                part.loc[sample & (predicted == g), "speaker"],
                int((others & (predicted == g)).sum()),
            )
            for g in (True, False)
        ]
        candidates.append(split)
    groups = min(candidates, key=lambda found: sum(v for _, v in found))
    mean = known + sum(m for m, _ in groups)
    share, sd = mean / total, math.sqrt(sum(v for _, v in groups)) / total
    # the variance comes from the few participants audited: t tails, not the normal's
    people = part.loc[sample, "speaker"].nunique()
    reach = float(t.ppf(0.975, max(1, people - 1))) * sd
    low = max(known / total, share - reach)
    high = min((known + int(others.sum())) / total, share + reach)
    return {"share": share, "low": min(low, share), "high": max(high, share),
            "method": "audit", "variance": sd * sd}  # fmt: skip


def _contribution_group(
    truth: pd.Series, speaker: pd.Series, unchecked: int
) -> tuple[float, float]:
    """One group's estimated count of unchecked contributions with the theme, and its variance."""
    k, n, deff = _clustered(truth, speaker)
    rate = (k / deff + PRIOR) / (n / deff + 2 * PRIOR)
    variance = unchecked * rate * (1 - rate) * deff * (unchecked / n + 1)
    return unchecked * k / n, variance


def _clustered(truth: pd.Series, speaker: pd.Series) -> tuple[int, int, float]:
    """Positives, contributions and Kish's design effect of a cluster sample (≥ 1)."""
    k, n = int(truth.sum()), len(truth)
    rate = k / n
    totals = pd.DataFrame({"k": truth.astype(int), "who": speaker.to_numpy()}).groupby("who")["k"]
    sums, sizes = totals.sum(), totals.size()
    clusters = len(sums)
    if clusters < 2 or rate in (0.0, 1.0):
        return k, n, 1.0
    between = clusters / (clusters - 1) * float(((sums - rate * sizes) ** 2).sum()) / n**2
    binomial = rate * (1 - rate) / n
    return k, n, float(min(max(between / binomial, 1.0), n))
