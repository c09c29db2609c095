"""The shifts table and helpers the chart tests share."""

import json

import pandas as pd
import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.shifts import theme_shifts
from tests.conftest import CONFIG, sessions_with

CODEBOOK = load_codebook(CONFIG / "codebook.yml")


@pytest.fixture
def shifts():
    """Power in 2, 12 and 13 of 20 segments in sessions a, b, c; funding in 5 of session a's."""
    segments, themes = sessions_with({"a": 2, "b": 12, "c": 13})
    more = themes.assign(theme="funding").head(5)
    return theme_shifts(segments, pd.concat([themes, more]), theme_ids=["power", "funding"])


def strings(fig) -> str:
    """Everything a figure holds (data, hover text, layout, annotations) as one string."""
    return json.dumps(fig.to_dict(), default=str)
