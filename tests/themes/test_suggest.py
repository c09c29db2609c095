"""What to code next: probabilities per theme, uncertainty, and the ranking."""

import numpy as np
import pytest

from coprod_analysis.themes.suggest import (
    RULE,
    rank_uncertain,
    theme_probabilities,
    uncertainty,
)


@pytest.mark.parametrize(
    ("score", "threshold", "flag", "learned", "expected"),
    [
        (0.40, 0.40, 0, None, 0.5),  # on the threshold: a coin toss
        (0.60, 0.40, 0, None, 0.982),  # far above: near certain
        (0.20, 0.40, 0, None, 0.018),  # far below: near certain it is absent
        (0.10, 0.40, 1, None, RULE),  # a rule matched
        (0.40, 0.40, 1, 0.3, 0.3),  # the classifier's probability wins where it tags
    ],
)
def test_theme_probabilities(score, threshold, flag, learned, expected):
    learned_probs = {} if learned is None else {0: np.array([learned])}
    probs = theme_probabilities(np.array([[score]]), [threshold], np.array([[flag]]), learned_probs)
    assert probs[0, 0] == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("probs", "expected"),
    [
        ([[0.5]], [1.0]),
        ([[0.0, 1.0]], [0.0]),
        ([[0.75, 0.1]], [0.5]),
        ([[0.9], [0.6]], [0.2, 0.8]),
    ],
)
def test_uncertainty_is_that_of_the_least_certain_theme(probs, expected):
    assert uncertainty(np.array(probs)).tolist() == pytest.approx(expected)


@pytest.mark.parametrize(
    ("n", "exclude", "order"),
    [
        (3, [], ["c", "b", "a"]),
        (2, [], ["c", "b"]),
        (3, ["c"], ["b", "a"]),
        (5, ["a", "b", "c"], []),
    ],
)
def test_rank_uncertain_puts_the_least_certain_first(n, exclude, order):
    probs = np.array([[0.95, 0.05], [0.7, 0.1], [0.5, 0.9]])
    ranked = rank_uncertain(["a", "b", "c"], probs, ["power", "funding"], n=n, exclude=exclude)
    assert ranked["segment_id"].tolist() == order


# The ranking the tag stage writes (pipeline/suggest.py): read while it is current, computed
# again (and rewritten) when it is missing or older than the tags or the segments.
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ({"segments": 1, "themes": 2, "suggested": 3}, "cached"),
        ({"segments": 1, "themes": 2, "suggested": 2}, "cached"),  # written together
        ({"segments": 1, "suggested": 2, "themes": 3}, "computed"),  # tagged again since
        ({"themes": 1, "suggested": 2, "segments": 3}, "computed"),  # ingested again since
        ({"segments": 1, "themes": 2}, "computed"),  # never written
    ],
)
def test_the_ranking_is_read_while_current_and_computed_when_not(
    tmp_path, monkeypatch, written, expected
):
    import os

    import pandas as pd

    from coprod_analysis.config import paths
    from coprod_analysis.corpus import frame
    from coprod_analysis.pipeline import suggest, training

    segments = pd.DataFrame(
        {"segment_id": ["a", "b"], "session_id": ["s1"] * 2, "text": ["Funders decide."] * 2}
    )
    tables = {
        "segments": segments,
        "themes": pd.DataFrame({"segment_id": ["a"], "theme": ["power"]}),
        "sessions": frame("sessions", []),
        "responses": frame("responses", []),
        "suggested": pd.DataFrame(
            {
                "segment_id": ["b", "a"],
                "uncertainty": [0.9, 0.1],
                "theme": ["power"] * 2,
                "probability": [0.45, 0.95],
            }
        ),
    }
    for name, table in tables.items():
        if name in written or name in ("sessions", "responses"):
            path = tmp_path / f"{name}.parquet"
            table.to_parquet(path)
            os.utime(path, (1e9 + written.get(name, 0), 1e9 + written.get(name, 0)))
    fresh = pd.DataFrame(
        {
            "segment_id": ["a", "b"],
            "uncertainty": [0.8, 0.2],
            "theme": ["funding"] * 2,
            "probability": [0.4, 0.9],
        }
    )
    monkeypatch.setattr(training, "trained_classifier", lambda *a, **k: None)
    monkeypatch.setattr(suggest, "rank_segments", lambda *a, **k: fresh)
    ranked = suggest.ranking(where=paths(processed=tmp_path))
    assert ranked["segment_id"].tolist() == (["b", "a"] if expected == "cached" else ["a", "b"])
    assert suggest.read_ranking(tmp_path)["segment_id"].tolist() == ranked["segment_id"].tolist()
