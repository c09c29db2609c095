"""Pre/post survey change: Likert distributions and the mean change, paired where possible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.shifts.stats import mean_change, wilson

if TYPE_CHECKING:
    import pandas as pd

SCALED_OUT = {"ladder_now", "ladder_hoped"}


def likert_distribution(responses: pd.DataFrame, *, question: str | None = None) -> pd.DataFrame:
    """Per question, session and timing: how many chose each scored answer, with intervals.

    Returns:
        ``question, session_id, timing, value, answer, count, n, share, ci_low, ci_high``.

    Example:
        >>> likert_distribution(corpus.responses, question="confidence")  # doctest: +SKIP
    """
    import pandas as pd

    scored = responses[responses["value"].notna() & ~responses["question"].isin(SCALED_OUT)]
    if question is not None:
        scored = scored[scored["question"] == question]
    rows = []
    for (q, s, t), part in scored.groupby(
        ["question", "session_id", "timing"], sort=False, dropna=False
    ):
        n = len(part)
        labels = part.groupby("value")["answer"].agg(lambda a: a.mode().iloc[0])
        counts = part["value"].value_counts().sort_index()
        for value, k in zip(counts.index, counts, strict=True):
            low, high = wilson(int(k), n)
            rows.append(
                {
                    "question": q,
                    "session_id": s,
                    "timing": t,
                    "value": value,
                    "answer": labels[value],
                    "count": int(k),
                    "n": n,
                    "share": k / n,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    return pd.DataFrame(rows)


def survey_shifts(responses: pd.DataFrame, *, question: str | None = None) -> pd.DataFrame:
    """Per scored question and session: the mean change from before to after, with a 95% CI.

    When the same pseudonymised respondents answered both before and after, the change is
    paired (the mean of each person's difference, over the people who answered both);
    otherwise the before and after groups are compared unpaired (Welch). ``design`` says
    which, and ``n_pairs`` how many people were paired.

    Returns:
        ``question, session_id, design, n_pre, n_post, n_pairs, mean_pre, mean_post, change,
        ci_low, ci_high``.

    Example:
        >>> survey_shifts(corpus.responses, question="confidence")  # doctest: +SKIP
    """
    import pandas as pd

    scored = responses[responses["value"].notna() & ~responses["question"].isin(SCALED_OUT)]
    scored = scored[scored["timing"].isin(["pre", "post"])]
    if question is not None:
        scored = scored[scored["question"] == question]
    rows = []
    for (q, s), part in scored.groupby(["question", "session_id"], sort=False):
        pre = part[part["timing"] == "pre"].groupby("respondent")["value"].mean()
        post = part[part["timing"] == "post"].groupby("respondent")["value"].mean()
        both = pre.index.intersection(post.index)
        paired = len(both) >= 2
        if paired:
            result = mean_change(pre[both].tolist(), post[both].tolist(), paired=True)
        else:
            result = mean_change(pre.tolist(), post.tolist(), paired=False)
        # n_pre/n_post count everyone who answered; the means are over the people in the change.
        result.update(n_pre=len(pre), n_post=len(post))
        rows.append(
            {
                "question": q,
                "session_id": s,
                "design": "paired" if paired else "unpaired",
                "n_pairs": len(both),
                **result,
            }
        )
    cols = [
        "question",
        "session_id",
        "design",
        "n_pre",
        "n_post",
        "n_pairs",
        "mean_pre",
        "mean_post",
        "change",
        "ci_low",
        "ci_high",
    ]
    return pd.DataFrame(rows, columns=cols)
