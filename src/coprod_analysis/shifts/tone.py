"""Tone by theme (exploratory): sentiment from an offline lexicon, always with its caveat.

Checked against 120 hand-labelled roundtable statements (``tests/data/tone_statements.csv``,
40 positive, 40 neutral, 40 negative; ``coprod_analysis.shifts.tone.check_tone`` recomputes it):
VADER with the usual ±0.05 cut-offs agreed with the human label on 62% of statements (74 of
120), Cohen's κ 0.43 (a test recomputes these figures). It misses sarcasm, British understatement and
negated praise, so read tone as a rough signal about many segments, never about one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, cast

from coprod_analysis.shifts.stats import Z95

if TYPE_CHECKING:
    import pandas as pd

CAVEAT = (
    "Exploratory: tone comes from a general-purpose word list (VADER), which misses sarcasm, "
    "understatement and negated praise; on hand-labelled roundtable statements it agreed with "
    "people only moderately. Compare sessions and themes, not single segments."
)


@lru_cache(maxsize=1)
def _analyser():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone_scores(texts: list[str]) -> list[float]:
    """Return VADER's compound score (−1 most negative … +1 most positive) for each text.

    Example:
        >>> from coprod_analysis.shifts.tone import tone_scores
        >>> [round(s, 2) for s in tone_scores(["We finally shared the budget and it worked!"])]
        [0.4]
    """
    analyser = _analyser()
    return [analyser.polarity_scores(t)["compound"] for t in texts]


def tone_label(score: float) -> str:
    """Map a compound score to positive (≥ 0.05), negative (≤ −0.05) or neutral."""
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


def tone_by_theme(
    segments: pd.DataFrame, tags: pd.DataFrame, *, sessions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Mean tone per session × theme, with its n and a 95% interval, and the caveat.

    Returns:
        ``session_id, order, theme, n, mean_tone, ci_low, ci_high, share_negative,
        share_positive, caveat``.

    Example:
        >>> tone_by_theme(corpus.segments, tags)  # doctest: +SKIP
    """
    import math

    import pandas as pd

    from coprod_analysis.corpus import session_order

    order = session_order(segments, sessions)
    scores = pd.Series(
        tone_scores(segments["text"].fillna("").astype(str).tolist()), index=segments["segment_id"]
    )
    merged = (
        tags[["segment_id", "theme"]]
        .drop_duplicates()
        .merge(segments[["segment_id", "session_id"]], on="segment_id")
    )
    merged["tone"] = merged["segment_id"].map(scores)
    rows = []
    for (session_id, theme), part in merged.groupby(["session_id", "theme"], sort=False):
        n = len(part)
        mean = part["tone"].mean()
        sd = part["tone"].std(ddof=1) if n > 1 else math.nan
        half = Z95 * sd / math.sqrt(n) if n > 1 else math.nan
        rows.append(
            {
                "session_id": session_id,
                "order": order.get(cast(str, session_id), 0),
                "theme": theme,
                "n": n,
                "mean_tone": mean,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "share_negative": float((part["tone"] <= -0.05).mean()),
                "share_positive": float((part["tone"] >= 0.05).mean()),
                "caveat": CAVEAT,
            }
        )
    return pd.DataFrame(rows).sort_values(["order", "theme"]).reset_index(drop=True)


def check_tone(labelled: pd.DataFrame) -> dict:
    """Compare VADER's labels with human ones (``text``, ``tone``): accuracy and Cohen's κ.

    Example:
        >>> from coprod_analysis.shifts.tone import check_tone
        >>> import pandas as pd
        >>> check_tone(pd.DataFrame({"text": ["Great!", "Awful."], "tone": ["positive", "negative"]}))["accuracy"]
        1.0
    """
    from sklearn.metrics import cohen_kappa_score

    predicted = [tone_label(s) for s in tone_scores(labelled["text"].tolist())]
    truth = labelled["tone"].tolist()
    return {
        "n": len(truth),
        "accuracy": sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(truth),
        "kappa": float(cohen_kappa_score(truth, predicted)),
    }
