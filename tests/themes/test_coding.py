import pandas as pd
import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.themes.coding import (
    CODING_COLUMNS,
    adjudicated,
    coder_file,
    read_coding,
    record_code,
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
        ([("a", "power", "x")], {("a", "power")}, []),
        ([("a", "power", "x"), ("a", "power", "y")], {("a", "power")}, []),
        ([("a", "power", "x"), ("a", None, "y")], set(), ["a"]),
        # an adjudication settles the disagreement
        (
            [("a", "power", "x"), ("a", None, "y"), ("a", "funding", "adjudicated")],
            {("a", "funding")},
            [],
        ),
        ([("a", None, "x"), ("a", None, "y")], {("a", None)}, []),
    ],
)
def test_learning_uses_agreed_or_adjudicated_codes(codes, kept, left_out):
    table = pd.DataFrame(codes, columns=["segment_id", "theme", "coder"])
    got, out = adjudicated(table)
    assert (
        set(zip(got["segment_id"], got["theme"].where(got["theme"].notna(), None), strict=True))
        == kept
    )
    assert out == left_out
