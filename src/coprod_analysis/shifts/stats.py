"""Small-sample statistics: Wilson intervals, the Newcombe interval for a change, mean changes."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(k: float, n: float, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (95% by default); (nan, nan) when n is 0.

    Unlike the textbook p ± 1.96·SE, it stays inside [0, 1] and behaves at 0/n and n/n,
    which matters for roundtables of 10–30 people.

    Example:
        >>> from coprod_analysis.shifts.stats import wilson
        >>> [round(x, 3) for x in wilson(3, 12)]
        [0.089, 0.532]
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe(
    k1: float, n1: float, k2: float, n2: float, *, z: float = Z95
) -> tuple[float, float, float]:
    """The change p2 − p1 with Newcombe's hybrid score interval (method 10, from Wilson limits).

    A change whose interval includes 0 is within the noise: these sessions cannot tell it
    apart from no change at the 95% level.

    Example:
        >>> from coprod_analysis.shifts.stats import newcombe
        >>> [round(x, 3) for x in newcombe(2, 20, 10, 20)]
        [0.4, 0.116, 0.613]
    """
    if n1 <= 0 or n2 <= 0:
        return (math.nan, math.nan, math.nan)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z=z)
    l2, u2 = wilson(k2, n2, z=z)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return (d, low, high)


def mean_change(pre: list[float], post: list[float], *, paired: bool) -> dict:
    """Mean change post − pre with a 95% t interval, paired or unpaired (Welch).

    Returns:
        ``n_pre, n_post, mean_pre, mean_post, change, ci_low, ci_high`` (NaN where it cannot
        be computed, e.g. fewer than two values).

    Example:
        >>> from coprod_analysis.shifts.stats import mean_change
        >>> r = mean_change([1, 2, 2, 3], [2, 3, 3, 4], paired=True)
        >>> round(r["change"], 2), round(r["ci_low"], 2), round(r["ci_high"], 2)
        (1.0, 1.0, 1.0)
    """
    from scipy import stats

    out = {
        "n_pre": len(pre),
        "n_post": len(post),
        "mean_pre": sum(pre) / len(pre) if pre else math.nan,
        "mean_post": sum(post) / len(post) if post else math.nan,
    }
    out["change"] = out["mean_post"] - out["mean_pre"]
    low = high = math.nan
    if paired and len(pre) == len(post) and len(pre) >= 2:
        diffs = [b - a for a, b in zip(pre, post, strict=True)]
        mean = sum(diffs) / len(diffs)
        sd = math.sqrt(sum((x - mean) ** 2 for x in diffs) / (len(diffs) - 1))
        half = stats.t.ppf(0.975, len(diffs) - 1) * sd / math.sqrt(len(diffs))
        low, high = mean - half, mean + half
    elif not paired and len(pre) >= 2 and len(post) >= 2:
        v1 = sum((x - out["mean_pre"]) ** 2 for x in pre) / (len(pre) - 1) / len(pre)
        v2 = sum((x - out["mean_post"]) ** 2 for x in post) / (len(post) - 1) / len(post)
        se = math.sqrt(v1 + v2)
        if se == 0:
            low = high = out["change"]
        else:
            df = (v1 + v2) ** 2 / ((v1**2 / (len(pre) - 1)) + (v2**2 / (len(post) - 1)))
            half = stats.t.ppf(0.975, df) * se
            low, high = out["change"] - half, out["change"] + half
    return {**out, "ci_low": float(low), "ci_high": float(high)}


def mid_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided mid-p of Fisher's exact test that two proportions are equal.

    Fisher's exact test is too cautious with 10–30 people; the mid-p (Lancaster) counts half
    the probability of the table observed and keeps close to the nominal 5% (on simulated
    roundtables of 15 people: 3% of runs with no true change flagged one, against 1% for
    Fisher's test and 5% for the score test). NaN when either n is 0; 1.0 when nobody or
    everybody on both sides has the theme.

    Example:
        >>> from coprod_analysis.shifts.stats import mid_p
        >>> round(mid_p(2, 20, 10, 20), 4)
        0.0075
        >>> mid_p(0, 10, 0, 12)
        1.0
    """
    if n1 <= 0 or n2 <= 0:
        return math.nan
    from scipy.stats import hypergeom

    total, found = n1 + n2, k1 + k2
    if found in (0, total):  # nobody, or everybody, on both sides: nothing to test
        return 1.0
    support = range(max(0, found - n1), min(found, n2) + 1)
    probs = [float(p) for p in hypergeom(total, found, n2).pmf(list(support))]
    observed = probs[k2 - support.start]
    tol = observed * 1e-7
    below = sum(p for p in probs if p < observed - tol)
    same = sum(p for p in probs if abs(p - observed) <= tol)
    return min(1.0, below + 0.5 * same)


def benjamini_hochberg(pvalues: list[float]) -> list[float]:
    """Benjamini–Hochberg q-values: p-values adjusted for many comparisons (NaN kept).

    A change is flagged when its q is below 0.05: among all the changes flagged in one run,
    at most 5% are expected to be false alarms.

    Example:
        >>> from coprod_analysis.shifts.stats import benjamini_hochberg
        >>> [round(q, 3) for q in benjamini_hochberg([0.01, 0.04, 0.03, 0.5, float("nan")])]
        [0.04, 0.053, 0.053, 0.5, nan]
    """
    indexed = [(p, i) for i, p in enumerate(pvalues) if p == p]
    m = len(indexed)
    q = [math.nan] * len(pvalues)
    running = 1.0
    for rank, (p, i) in reversed(list(enumerate(sorted(indexed), start=1))):
        running = min(running, p * m / rank)
        q[i] = min(1.0, running)
    return q


def rogan_gladen(share: float, sensitivity: float, specificity: float) -> float:
    """A share corrected for the tagger's error (Rogan–Gladen), clamped to [0, 1].

    ``(share + specificity − 1) / (sensitivity + specificity − 1)``: the tagger misses some
    true mentions (sensitivity) and finds some that are not (1 − specificity). NaN when the
    tagger is no better than chance (sensitivity + specificity ≤ 1).

    Example:
        >>> from coprod_analysis.shifts.stats import rogan_gladen
        >>> round(rogan_gladen(0.30, 0.60, 0.90), 3)
        0.4
        >>> rogan_gladen(0.05, 0.60, 0.90)
        0.0
    """
    youden = sensitivity + specificity - 1
    if not youden > 0:
        return math.nan
    return min(1.0, max(0.0, (share + specificity - 1) / youden))


def holm(pvalues: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (NaN kept): family-wise error control.

    A change is flagged when its adjusted p is below the family's level: the chance that a run
    flags any change where there is none stays below that level.

    Example:
        >>> from coprod_analysis.shifts.stats import holm
        >>> [round(p, 3) for p in holm([0.01, 0.04, 0.03, float("nan")])]
        [0.03, 0.06, 0.06, nan]
    """
    indexed = sorted((p, i) for i, p in enumerate(pvalues) if p == p)
    m = len(indexed)
    adjusted = [math.nan] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def effective(share: float, variance: float, n: int) -> tuple[float, float]:
    """A share estimated with some uncertainty, as the count and size of an equally sure sample.

    An exact count (``variance`` 0) is itself: ``(share · n, n)``. An estimate whose own
    variance adds to the binomial one counts as a smaller sample, ``n_eff = p(1 − p) / (v +
    p(1 − p) / n)``, with ``p`` taken half a count in from 0 and 1 so it never vanishes (the
    effective sample size of survey statistics, Korn and Graubard). Tests and intervals for
    counts then apply unchanged.

    Example:
        >>> from coprod_analysis.shifts.stats import effective
        >>> effective(0.25, 0.0, 20)
        (5.0, 20)
        >>> [round(x, 1) for x in effective(0.25, 0.005, 20)]
        [3.3, 13.2]
    """
    if not n or variance != variance:
        return (math.nan, math.nan)
    if variance <= 0:
        return (share * n, n)
    p = (share * n + 0.5) / (n + 1)
    size = p * (1 - p) / (variance + p * (1 - p) / n)
    return (share * size, size)


def detectable(
    k1: float, n1: float, k2: float, n2: float, *, alpha: float, power: float = 0.8
) -> float:
    """The smallest change two shares could show at ``alpha`` with ``power``, in share units.

    ``(z₁₋α/₂ + z_power) · SE``, with each share taken half a count in from 0 and 1 so a
    share of none still has spread. The counts may be effective ones (:func:`effective`).

    Example:
        >>> from coprod_analysis.shifts.stats import detectable
        >>> round(detectable(3, 15, 6, 15, alpha=0.05), 2)
        0.46
    """
    from scipy.stats import norm

    if not n1 or not n2 or n1 != n1 or n2 != n2:
        return math.nan
    p1, p2 = (k1 + 0.5) / (n1 + 1), (k2 + 0.5) / (n2 + 1)
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return float((norm.ppf(1 - alpha / 2) + norm.ppf(power)) * se)
