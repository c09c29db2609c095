"""Shared fixtures: a fixed pseudonym key, and small raw folders built per test."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

TEST_KEY_HEX = os.environ["COPROD_PSEUDONYM_KEY"]  # set by the root conftest.py

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config"
SAMPLE_RAW = ROOT / "data" / "raw"

MANIFEST = (
    "session_id,date,title,facilitators\ns1,2023-11-14,First,Amina Rahman\ns2,2023-12-12,Second,\n"
)
NOTES = """# Notes
## Table 1 – power
Jane Smith: We decide the agenda before anyone else is in the room.
Callum: I'm not sure that's fair; email me at callum.reid@example.org.

- Follow up with Jane on 07700 900123
"""


@pytest.fixture
def key() -> bytes:
    return bytes.fromhex(TEST_KEY_HEX)


@pytest.fixture
def make_raw(tmp_path: Path) -> Callable[..., Path]:
    """Build a raw folder from {relative path: text or bytes}; sensible defaults."""

    def build(
        files: dict[str, str | bytes] | None = None, *, manifest: str | None = MANIFEST
    ) -> Path:
        raw = tmp_path / "raw"
        raw.mkdir(exist_ok=True)
        if manifest is not None:
            (raw / "sessions.csv").write_text(manifest, encoding="utf-8")
        else:
            (raw / "sessions.csv").unlink(missing_ok=True)
        for folder in ("s1", "s2"):
            (raw / folder).mkdir(exist_ok=True)
        for rel, content in (files if files is not None else {"s1/notes.md": NOTES}).items():
            path = raw / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return raw

    return build


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to prove it was not changed."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def sessions_with(counts: dict[str, int], n: int = 20, people: int = 5):
    """Segments for sessions of n segments by ``people`` speakers; counts[session] carry 'power'."""
    import pandas as pd

    segments, themes = [], []
    for session, k in counts.items():
        for i in range(n):
            sid = f"{session}-{i}"
            segments.append(
                {"segment_id": sid, "session_id": session, "speaker": f"P-{i % people}"}
            )
            if i < k:
                themes.append({"segment_id": sid, "theme": "power"})
    return pd.DataFrame(segments), pd.DataFrame(themes, columns=["segment_id", "theme"])


def docx_bytes(blocks: list[tuple[str, object]]) -> bytes:
    """A .docx from blocks: ("h1"|"h2", text), ("p", text) or ("table", [[cells]])."""
    import io

    import docx

    document = docx.Document()
    for kind, value in blocks:
        if kind in ("h1", "h2"):
            document.add_heading(value, level=int(kind[1]))
        elif kind == "p":
            document.add_paragraph(value)
        else:
            rows = value
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook_bytes(
    sheets: dict[str, list[list[object]]], merged: dict[str, list[str]] | None = None
) -> bytes:
    """An .xlsx with these sheets ({name: rows}) and merged ranges ({name: ["A1:C1"]})."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merged or {}).get(name, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """A one-sheet .xlsx holding these rows."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HOSTILE_ANSWERS = [
    "<script>alert(1)</script> and the council decides everything for us, every single time.",
    "<img src=x onerror=alert(1)> funders want outputs and not relationships.",
]
HOSTILE_PERSON = ("Hana Quillfeather", "hana.quillfeather@example.org", "07700 900461")
# A Zoom transcript as exported: lower-case display names, a device name, and identifiers of
# people who never speak. None of the words in HOSTILE_IDENTIFIERS may reach an output.
HOSTILE_TRANSCRIPT = """WEBVTT

1
00:00:01.000 --> 00:00:06.000
torquil brannagh: Ask Morwenna Trelawny at the housing office, she decides the budget.

2
00:00:06.500 --> 00:00:12.000
Torquil's iPhone: Her NHS number was on the form, 943 476 5919, which worried people.

3
00:00:12.500 --> 00:00:18.000
ysolde pennicott: Write to ysolde at example dot org, or post it to ab10 1xg.

4
00:00:18.500 --> 00:00:24.000
ysolde pennicott: Ring 0044 1224 555 010 and funders should share power with us.
"""
HOSTILE_IDENTIFIERS = [
    "torquil",
    "brannagh",
    "morwenna",
    "trelawny",
    "ysolde",
    "pennicott",
    "943 476 5919",
    "ab10 1xg",
    "555 010",
]


def make_hostile(folder: Path):
    """Run the whole job (ingest → report) in ``folder`` on a copy of the sample with hostile inputs.

    A fictional respondent, whose name, email and phone number must never reach an output,
    answers the first session's free-text questions with a script tag and an image with an
    onerror handler; a Zoom transcript with lower-case display names and the identifiers of
    people who never speak joins the first session. Returns the paths of that run.
    """
    import csv
    import shutil

    from coprod_analysis.pipeline import STAGES

    shutil.copytree(SAMPLE_RAW, folder / "raw")
    survey = folder / "raw" / "s1-what-is-coproduction" / "survey.csv"
    name, email, phone = HOSTILE_PERSON
    with survey.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(
            [
                "2023/11/14 9:58:00 AM GMT",
                email,
                name,
                "Harbourside Tenants",
                "Community",
                "Before",
                "Consultation",
                "Co-production",
                "Slightly confident",
                f"{HOSTILE_ANSWERS[0]} Call me on {phone}.",
                HOSTILE_ANSWERS[1],
            ]
        )
    transcript = folder / "raw" / "s1-what-is-coproduction" / "zoom-breakout.vtt"
    transcript.write_text(HOSTILE_TRANSCRIPT, encoding="utf-8")
    (folder / "coding").mkdir()  # the sample's audit plan, as make report reads it
    shutil.copy(ROOT / "data" / "coding" / "audit.csv", folder / "coding" / "audit.csv")
    from conftest import TESTER, TESTER_CODES  # the root conftest: a researcher's three codes
    from coprod_analysis.themes.coding import coder_file, record_code

    for segment, themes in TESTER_CODES.items():
        path = coder_file(folder / "coding", TESTER)
        record_code(path, segment_id=segment, theme_ids=themes, coder=TESTER)
    where = hostile_paths(folder)
    for stage in STAGES.values():
        stage(where, echo=lambda message: None)
    return where


def hostile_paths(folder: Path):
    """The folders of the hostile run in ``folder``."""
    from coprod_analysis.config import paths

    return paths(
        raw=folder / "raw",
        processed=folder / "processed",
        reports=folder / "reports",
        coding=folder / "coding",
    )


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    """The hostile run (:func:`make_hostile`): made once, by the controller when there are
    workers (``$COPROD_TEST_HOSTILE`` names its folder; this waits for it), else here."""
    from conftest import wait_for  # the root conftest

    made = os.environ.get("COPROD_TEST_HOSTILE")
    if not made:
        return make_hostile(tmp_path_factory.mktemp("hostile"))
    folder = Path(made)
    wait_for(folder)
    return hostile_paths(folder)
