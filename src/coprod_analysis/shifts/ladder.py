"""The ladder of participation: the rung now and the rung hoped for, per respondent and session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coprod_analysis.shifts.stats import wilson

if TYPE_CHECKING:
    import pandas as pd


def ladder_shifts(responses: pd.DataFrame, *, rungs: list[str] | None = None) -> pd.DataFrame:
    """Per respondent and session: the rung now, the rung hoped for and the gap between them.

    Args:
        responses: the ``responses`` table; rows with ``question`` ``ladder_now`` and
            ``ladder_hoped`` are used, ``value`` holding the rung number (1 = lowest).
        rungs: the rung names, lowest first (default: ``ladder.rungs`` from the project).

    Returns:
        ``session_id, respondent, now, hoped, gap`` (hoped − now, in rungs) and the rung
        names ``now_rung``, ``hoped_rung``. A missing or unknown rung is left empty, and so is
        the gap; such rows are kept so the n is honest.

    Example:
        >>> ladder_shifts(corpus.responses)  # doctest: +SKIP
    """
    import pandas as pd

    rungs = rungs or default_rungs()
    ladder = responses[responses["question"].isin(["ladder_now", "ladder_hoped"])]
    wide = ladder.pivot_table(
        index=["session_id", "respondent"], columns="question", values="value", aggfunc="first"
    ).reindex(columns=["ladder_now", "ladder_hoped"])
    wide.columns = ["now", "hoped"]
    wide = wide.reset_index()
    for col in ("now", "hoped"):
        valid = wide[col].between(1, len(rungs))
        wide[col] = wide[col].where(valid)
        wide[f"{col}_rung"] = wide[col].map(lambda v: rungs[int(v) - 1] if pd.notna(v) else None)
    wide["gap"] = wide["hoped"] - wide["now"]
    order = list(dict.fromkeys(responses["session_id"]))
    wide["_o"] = wide["session_id"].map({s: i for i, s in enumerate(order)})
    return wide.sort_values(["_o", "respondent"]).drop(columns="_o").reset_index(drop=True)


def ladder_distribution(responses: pd.DataFrame, *, rungs: list[str] | None = None) -> pd.DataFrame:
    """Per session, for now and hoped for: how many respondents chose each rung, with intervals.

    Returns:
        ``session_id, which`` (``now``/``hoped``), ``rung``, ``rung_number``, ``count``, ``n``
        (respondents who answered), ``share``, ``ci_low``, ``ci_high`` (Wilson 95%), and
        ``mean_rung``.

    Example:
        >>> ladder_distribution(corpus.responses)  # doctest: +SKIP
    """
    import pandas as pd

    rungs = rungs or default_rungs()
    per = ladder_shifts(responses, rungs=rungs)
    rows = []
    for session_id in per["session_id"].unique():
        part = per[per["session_id"] == session_id]
        for which in ("now", "hoped"):
            values = part[which].dropna().astype(int)
            n = len(values)
            for number, rung in enumerate(rungs, start=1):
                k = int((values == number).sum())
                low, high = wilson(k, n)
                rows.append(
                    {
                        "session_id": session_id,
                        "which": which,
                        "rung": rung,
                        "rung_number": number,
                        "count": k,
                        "n": n,
                        "share": k / n if n else float("nan"),
                        "ci_low": low,
                        "ci_high": high,
                        "mean_rung": values.mean() if n else float("nan"),
                    }
                )
    return pd.DataFrame(rows)


def default_rungs() -> list[str]:
    """The standard ladder's rungs, lowest first: ``config.LadderSettings``'s default.

    Example:
        >>> from coprod_analysis.shifts.ladder import default_rungs
        >>> default_rungs()[0], default_rungs()[-1]
        ('coercion', 'co-production')
    """
    from coprod_analysis.config import LadderSettings

    return list(LadderSettings().rungs)
