import pytest

from coprod_analysis.config import LadderSettings
from coprod_analysis.ingest.scales import match_label

RUNGS = LadderSettings().rungs


@pytest.mark.parametrize(
    ("answer", "aliases", "expected"),
    [
        ("Consultation", {}, 4),
        ("co production", {}, 7),
        ("Co–Design", {}, 6),
        ("CO-PRODUCTION ", {}, 7),
        ("3", {}, 3),
        ("3 - Informing", {}, 3),
        ("(5) engagement", {}, 5),
        ("8", {}, None),
        ("partnership", {}, None),
        ("partnership", {"Partnership": "co-production"}, 7),
        ("", {}, None),
    ],
)
def test_match_label(answer, aliases, expected):
    assert match_label(answer, RUNGS, aliases=aliases) == expected
