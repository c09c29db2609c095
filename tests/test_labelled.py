"""The real-text labelled corpus in data/labelled/: its sources, its splits and its codes."""

import csv

import pytest

from coprod_analysis.codebooks import load_codebook
from tests.conftest import CONFIG, ROOT

LABELLED = ROOT / "data" / "labelled"
SPLITS = ["train", "dev", "test"]
FIELDS = ["id", "text", "themes", "source_url", "source_title", "coder_a", "coder_b"]


def rows(name: str) -> list[dict[str, str]]:
    with (LABELLED / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def batch_of() -> dict[str, str]:
    """Each statement's gathering batch, from statements.csv."""
    return {r["id"]: r["batch"] for r in rows("statements")}


@pytest.fixture(scope="module")
def theme_ids() -> set[str]:
    return {t.id for t in load_codebook(CONFIG / "codebook.yml").themes}


@pytest.mark.parametrize("split", SPLITS)
def test_each_split_keeps_its_sources_and_codes(split, theme_ids):
    found = rows(split)
    assert found and list(found[0]) == FIELDS
    for row in found:
        assert row["source_url"].startswith(("http://", "https://")), row["id"]
        assert row["text"].strip()
        for column in ("themes", "coder_a", "coder_b"):
            assert set(filter(None, row[column].split(";"))) <= theme_ids, (row["id"], column)
        if row["coder_a"] == row["coder_b"]:  # agreed codes are kept as they are
            assert sorted(filter(None, row["themes"].split(";"))) == sorted(
                filter(None, row["coder_a"].split(";"))
            )


def test_no_page_is_in_two_splits():
    pages = {split: {r["source_url"] for r in rows(split)} for split in SPLITS}
    for i, a in enumerate(SPLITS):
        for b in SPLITS[i + 1 :]:
            assert not pages[a] & pages[b], (a, b)


def test_the_corpus_is_large_and_like_real_notes():
    everything = [r for split in SPLITS for r in rows(split)]
    assert len({r["id"] for r in everything}) == len(everything)
    assert len({r["text"].casefold() for r in everything}) == len(everything)
    batches = batch_of()
    first = [r for r in everything if batches[r["id"]] == "1"]
    no_theme = sum(not r["themes"] for r in first) / len(first)
    assert len(first) >= 800
    assert 0.25 <= no_theme <= 0.36, no_theme  # about a quarter to a third carry no theme
    # Later batches' gatherers wrote more mundane notes (batch 2: 46% carry no theme, batch 3:
    # 55%); all are kept.
    no_theme = sum(not r["themes"] for r in everything) / len(everything)
    assert 0.25 <= no_theme <= 0.5, no_theme


def test_statements_file_matches_the_splits():
    listed = {r["id"]: r["split"] for r in rows("statements")}
    assert listed == {r["id"]: split for split in SPLITS for r in rows(split)}


@pytest.mark.parametrize(
    ("batch", "expected"),
    [
        # batch 1's test split was looked at once (2026-11-28) and is dev now
        ("1", {"train": 525, "dev": 355}),
        # so is batch 2's (2026-11-29)
        ("2", {"train": 532, "dev": 531}),
        # the test split is batch 3's alone
        ("3", {"train": 543, "test": 542}),
    ],
)
def test_each_batch_keeps_its_splits(batch, expected):
    batches = batch_of()
    counts = {
        split: n for split in SPLITS if (n := sum(batches[r["id"]] == batch for r in rows(split)))
    }
    assert counts == expected
