"""Checked codes win: the checked table, and the themes table they make."""

import pandas as pd
import pytest

from coprod_analysis.themes.checked import checked_codes, count_checked

TAGS = pd.DataFrame(
    {
        "segment_id": ["a", "a", "b", "c"],
        "theme": ["power", "funding", "power", "values"],
        "method": "learned",
        "score": 0.8,
        "evidence": "",
    }
)


def codes(rows):
    return pd.DataFrame(rows, columns=["segment_id", "theme", "coder", "settled"])


@pytest.mark.parametrize(
    ("rows", "checked", "to_settle"),
    [
        # one coder: their codes; "none applies" is a decision too (an empty themes)
        (
            [("a", "values", "ana", False), ("b", None, "ana", False)],
            [("a", "values", "ana"), ("b", "", "ana")],
            [],
        ),
        # two who agree
        (
            [("a", "power", "ana", False), ("a", "power", "ben", False)],
            [("a", "power", "ana, ben")],
            [],
        ),
        # two who disagree: not checked until settled
        ([("a", "power", "ana", False), ("a", None, "ben", False)], [], ["a"]),
        # settled
        (
            [
                ("a", "power", "ana", False),
                ("a", None, "ben", False),
                ("a", "funding", "zoe", True),
            ],
            [("a", "funding", "zoe")],
            [],
        ),
    ],
)
def test_checked_table(rows, checked, to_settle):
    table, settle = checked_codes(codes(rows))
    assert [tuple(r) for r in table[["segment_id", "themes", "coder"]].values] == checked
    assert settle == to_settle


# P-1 drawn for the audit in s1, found again through its first segment "a"
PLAN = pd.DataFrame(
    {
        "session_id": ["s1"],
        "participant": ["P-1"],
        "first_segment": ["a"],
        "seed": ["1"],
        "drawn_at": [""],
    }
)


def test_codes_for_segments_not_in_the_corpus_are_left_out_and_the_audit_is_marked():
    segments = pd.DataFrame(
        {"segment_id": ["a", "b"], "session_id": ["s1", "s1"], "speaker": ["P-1", "P-2"]}
    )
    rows = [
        ("a", "power", "ana", False),
        ("b", "power", "ana", False),
        ("zz", "power", "ana", False),
    ]
    table, _ = checked_codes(codes(rows), segments=segments, plan=PLAN)
    assert table.set_index("segment_id")["audit"].to_dict() == {"a": True, "b": False}


@pytest.mark.parametrize(
    ("checked", "expected"),
    [
        # nothing checked: the tagger's rows as they were
        (
            [],
            {
                ("a", "power", "learned"),
                ("a", "funding", "learned"),
                ("b", "power", "learned"),
                ("c", "values", "learned"),
            },
        ),
        # three segments coded against the tagger's codes: their rows are the coder's
        (
            [("a", "values"), ("b", ""), ("c", "power;funding")],
            {("a", "values", "checked"), ("c", "power", "checked"), ("c", "funding", "checked")},
        ),
    ],
)
def test_checked_codes_replace_the_taggers_for_their_segments(checked, expected):
    table = pd.DataFrame(checked, columns=["segment_id", "themes"]).assign(coder="ana", audit=False)
    counted = count_checked(TAGS, table)
    assert (
        set(zip(counted["segment_id"], counted["theme"], counted["method"], strict=True))
        == expected
    )
    assert set(counted.loc[counted["method"] == "checked", "coder"]) <= {"ana"}


def test_a_bare_table_of_text_with_an_audit_plan_has_nothing_audited():
    segments = pd.DataFrame({"segment_id": ["a"], "text": ["Funders decide."]})
    table, _ = checked_codes(codes([("a", "power", "ana", False)]), segments=segments, plan=PLAN)
    assert table[["segment_id", "audit"]].values.tolist() == [["a", False]]
