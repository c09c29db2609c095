"""A re-run does again only what changed: ingest's tables and the notebooks' pages stand."""

import shutil

import pytest

from coprod_analysis import cli
from coprod_analysis.config import paths
from coprod_analysis.report import notebook_keys
from tests.conftest import CONFIG

NOTES = "Jane Smith: We hold the pen.\n"
STANDS = "its tables stand"


@pytest.mark.parametrize(
    ("change", "reused"),
    [
        (None, True),
        ("a raw file is edited", False),
        ("a raw file is added", False),
        ("a table is edited by hand", False),
        ("a table is removed", False),
        ("a setting changes", False),
        ("the pseudonym key changes", False),
    ],
)
def test_ingest_reuses_its_tables_only_when_nothing_it_reads_changed(
    make_raw, tmp_path, monkeypatch, capsys, change, reused
):
    raw = make_raw({"s1/notes.md": NOTES})
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    processed = tmp_path / "processed"
    args = ["ingest", "--raw", str(raw), "--processed", str(processed), "--config", str(config)]
    assert cli.main(args) == 0
    before = (processed / "segments.csv").read_text("utf-8")
    capsys.readouterr()
    if change == "a raw file is edited":
        (raw / "s1" / "notes.md").write_text(NOTES + "Ben Ode: We listen.\n", "utf-8")
    elif change == "a raw file is added":
        (raw / "s2" / "notes.md").write_text(NOTES, "utf-8")
    elif change == "a table is edited by hand":
        (processed / "segments.csv").write_text("segment_id\n", "utf-8")
    elif change == "a table is removed":
        (processed / "responses.parquet").unlink()
    elif change == "a setting changes":
        project = config / "project.yml"
        project.write_text(project.read_text("utf-8") + "\n# edited\n", "utf-8")
    elif change == "the pseudonym key changes":
        monkeypatch.setenv("COPROD_PSEUDONYM_KEY", "ab" * 32)
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert (STANDS in out) is reused
    if change in (None, "a table is edited by hand", "a table is removed"):
        assert (processed / "segments.csv").read_text("utf-8") == before
        assert (processed / "responses.parquet").is_file()


NOTEBOOKS = ["01-ingest.ipynb", "04-perception-shifts.ipynb"]


@pytest.mark.parametrize(
    ("change", "changed"),
    [
        (None, []),
        ("run.json", []),
        ("a processed table", NOTEBOOKS),
        ("data/raw", ["01-ingest.ipynb"]),
        ("a coder's file", NOTEBOOKS),
        ("a setting", NOTEBOOKS),
        ("04's source", ["04-perception-shifts.ipynb"]),
    ],
)
def test_a_notebook_runs_again_only_when_what_it_reads_changed(tmp_path, change, changed):
    where = paths(
        root=tmp_path,
        raw=tmp_path / "raw",
        processed=tmp_path / "processed",
        reports=tmp_path / "reports",
        config=tmp_path / "config",
        coding=tmp_path / "coding",
    )
    for folder in (where.raw, where.processed, where.config, where.coding, tmp_path / "notebooks"):
        folder.mkdir(parents=True)
    (where.processed / "themes.csv").write_text("segment_id,theme\n", "utf-8")
    (where.processed / "run.json").write_text("{}", "utf-8")
    (where.config / "project.yml").write_text("{}\n", "utf-8")
    params = {}
    for name in NOTEBOOKS:
        path = tmp_path / "notebooks" / name
        path.write_text('{"cells": []}', "utf-8")
        params[path] = {"PROCESSED": str(where.processed)}
    before = notebook_keys(where, params)
    edits = {
        "run.json": where.processed / "run.json",
        "a processed table": where.processed / "themes.csv",
        "data/raw": where.raw / "sessions.csv",
        "a coder's file": where.coding / "ab.csv",
        "a setting": where.config / "project.yml",
        "04's source": tmp_path / "notebooks" / "04-perception-shifts.ipynb",
    }
    if change is not None:
        edits[change].write_text("edited", "utf-8")
    after = notebook_keys(where, params)
    assert sorted(n for n in before if before[n] != after[n]) == changed
