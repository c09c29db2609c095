import pandas as pd
import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.themes.coding import (
    CODING_COLUMNS,
    coder_file,
    read_coding,
    record_code,
    settle,
)

AT = "2026-11-28T10:00:00+00:00"


@pytest.mark.parametrize(
    ("clicks", "expected"),
    [
        # each click replaces that segment's row; None takes the segment back to uncoded
        ([("a", ["power"], "")], [("a", "power", "")]),
        (
            [("a", ["power"], ""), ("a", ["power", "funding"], "why")],
            [("a", "power;funding", "why")],
        ),
        ([("a", ["power"], ""), ("b", [], "")], [("a", "power", ""), ("b", "", "")]),
        ([("a", ["power"], ""), ("a", None, "")], []),
        ([("a", [], "=HYPERLINK(1)")], [("a", "", "=HYPERLINK(1)")]),
    ],
)
def test_every_click_is_saved_and_read_back(tmp_path, clicks, expected):
    path = coder_file(tmp_path, "ana")
    for segment, themes, memo in clicks:
        record_code(path, segment_id=segment, theme_ids=themes, memo=memo, coder="ana", at=AT)
    saved = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(saved.columns) == CODING_COLUMNS
    back = read_coding(tmp_path)
    rows = back.groupby("segment_id", sort=False).agg(
        themes=("theme", lambda t: ";".join(t.dropna())), memo=("memo", "first")
    )
    assert list(rows.itertuples(name=None)) == expected
    assert not list(tmp_path.glob(".*.tmp"))  # replaced atomically: no temporary file left


def test_memos_are_spreadsheet_safe_on_disk(tmp_path):
    path = coder_file(tmp_path, "ana")
    record_code(path, segment_id="a", theme_ids=[], memo="=1+1", coder="ana", at=AT)
    assert "'=1+1" in path.read_text()


@pytest.mark.parametrize("name", ["", "../x", "a b", "é"])
def test_a_coder_name_must_name_a_file(tmp_path, name):
    with pytest.raises(InputError, match="cannot name a file"):
        coder_file(tmp_path, name)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("segment_id,themes\na,power\n", "missing column"),
        ("segment_id,themes,memo,coder,coded_at\na,nonsense,,ana,\n", "not in the codebook"),
    ],
)
def test_bad_coding_files_name_file_and_fix(tmp_path, body, message):
    (tmp_path / "ana.csv").write_text(body)
    with pytest.raises(InputError, match=message) as raised:
        read_coding(tmp_path, theme_ids=["power"])
    assert "ana.csv" in str(raised.value) and "Fix:" in str(raised.value)


@pytest.mark.parametrize(
    ("codes", "kept", "left_out"),
    [
        # (segment, theme, coder, settled): who is credited comes out with the codes
        ([("a", "power", "x", False)], {("a", "power", "x")}, []),
        (
            [("a", "power", "x", False), ("a", "power", "y", False)],
            {("a", "power", "x, y")},
            [],
        ),
        ([("a", "power", "x", False), ("a", None, "y", False)], set(), ["a"]),
        # a settled code (settled.csv) settles the disagreement, and names who settled it
        (
            [("a", "power", "x", False), ("a", None, "y", False), ("a", "funding", "zoe", True)],
            {("a", "funding", "zoe")},
            [],
        ),
        # the old way, the coder "adjudicated", still settles
        (
            [
                ("a", "power", "x", False),
                ("a", None, "y", False),
                ("a", "funding", "adjudicated", True),
            ],
            {("a", "funding", "adjudicated")},
            [],
        ),
        ([("a", None, "x", False), ("a", None, "y", False)], {("a", None, "x, y")}, []),
    ],
)
def test_settle_counts_agreed_or_settled_codes(codes, kept, left_out):
    table = pd.DataFrame(codes, columns=["segment_id", "theme", "coder", "settled"])
    got, out = settle(table)
    theme = got["theme"].where(got["theme"].notna(), None)
    assert set(zip(got["segment_id"], theme, got["coder"], strict=True)) == kept
    assert out == left_out


def test_settled_file_is_read_as_settled_and_the_audit_plan_is_not_codes(tmp_path):
    record_code(
        coder_file(tmp_path, "ana"), segment_id="a", theme_ids=["power"], coder="ana", at=AT
    )
    record_code(coder_file(tmp_path, "ben"), segment_id="a", theme_ids=[], coder="ben", at=AT)
    record_code(tmp_path / "settled.csv", segment_id="a", theme_ids=["funding"], coder="zoe", at=AT)
    (tmp_path / "audit.csv").write_text("session_id,participant,first_segment,seed,drawn_at\n")
    codes = read_coding(tmp_path)
    assert sorted(codes["coder"]) == ["ana", "ben", "zoe"]
    assert codes.set_index("coder")["settled"].to_dict() == {
        "ana": False,
        "ben": False,
        "zoe": True,
    }
    counted, to_settle = settle(codes)
    assert counted.values.tolist() == [["a", "funding", "zoe"]] and to_settle == []


@pytest.mark.parametrize("name", ["settled", "audit", "Settled"])
def test_the_project_s_own_files_cannot_be_a_coder(tmp_path, name):
    with pytest.raises(InputError, match="keeps for itself"):
        coder_file(tmp_path, name)
