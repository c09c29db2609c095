import json

import pandas as pd
import pytest

from coprod_analysis import outputs


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44", "'+44"),
        ("-x", "'-x"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("ok = fine", "ok = fine"),
        (None, None),
    ],
)
def test_csv_safe_text(value, expected):
    assert outputs.csv_safe(pd.DataFrame({"t": [value]}))["t"].tolist() == [expected]


def test_csv_safe_leaves_numbers():
    assert outputs.csv_safe(pd.DataFrame({"n": [-1.5]}))["n"].tolist() == [-1.5]


def test_write_tables_is_all_or_nothing(tmp_path, monkeypatch):
    first = {"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"x": [2]})}
    outputs.write_tables(tmp_path, first)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    calls = {"n": 0}
    real = pd.DataFrame.to_csv

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # fail while writing the second table
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    with pytest.raises(OSError, match="disk full"):
        outputs.write_tables(
            tmp_path, {"a": pd.DataFrame({"x": [9]}), "b": pd.DataFrame({"x": [9]})}
        )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temp files either


def test_run_json_keeps_other_stages(tmp_path):
    outputs.update_run_json(tmp_path, "ingest", {"n": 1})
    outputs.update_run_json(tmp_path, "tag", {"n": 2})
    record = json.loads((tmp_path / "run.json").read_text())
    assert record["stages"]["ingest"]["n"] == 1 and record["stages"]["tag"]["n"] == 2
    assert record["versions"]["coprod-analysis"]
