from datetime import date

import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.ingest.manifest import parse_date, read_manifest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-14", date(2023, 11, 14)),
        ("14/11/2023", date(2023, 11, 14)),
        ("03/04/2024", date(2024, 4, 3)),
        ("14 November 2023", date(2023, 11, 14)),
        ("14 Nov 2023", date(2023, 11, 14)),
        ("2023-13-01", None),
        ("next Tuesday", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (None, r"raw/sessions\.csv: the session manifest is missing .*Fix: create it"),
        ("session_id,title\ns1,First\n", r"line 1: missing column\(s\) date"),
        (
            "session_id,date,title\ns1,2023-11-14,A\ns1,2023-12-12,B\n",
            r"line 3: duplicate session_id 's1' \(also on line 2\)",
        ),
        (
            "session_id,date,title\ns1,31/31/2023,A\n",
            r"line 2: date '31/31/2023' for 's1' is not a date\. Fix: write it as YYYY-MM-DD",
        ),
        (
            "session_id,date,title\nSession 1,2023-11-14,A\n",
            r"line 2: session_id 'Session 1' cannot be a folder name",
        ),
        ("session_id,date,title\n,2023-11-14,A\n", r"line 2: session_id is empty"),
    ],
    ids=["missing", "no-date-column", "duplicate", "bad-date", "bad-slug", "empty-id"],
)
def test_bad_manifest(make_raw, manifest, message):
    raw = make_raw({}, manifest=manifest)
    with pytest.raises(InputError, match=message):
        read_manifest(raw)


def test_extra_columns_kept_and_facilitators_split(make_raw):
    raw = make_raw(
        {},
        manifest="session_id,date,title,venue,facilitators\ns1,2023-11-14,A,Hall,Amina Rahman; Callum Reid\n",
    )
    (row,) = read_manifest(raw)
    assert (row.extra, row.facilitators) == ({"venue": "Hall"}, ["Amina Rahman", "Callum Reid"])
