"""Real exports as organisers have them, and hostile files: one row per case, end to end.

Each case builds a raw folder, runs `coprod ingest` as an evaluator would, and checks the
speakers, the words kept, the warnings or the one-line error, and that no identifier is left
in any file written.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from coprod_analysis import cli
from coprod_analysis.privacy.pseudonyms import pseudonym
from tests.conftest import CONFIG, docx_bytes, snapshot, workbook_bytes

MANIFEST = "session_id,date,title\ns1,2024-01-10,First\n"


def vtt(*cues: str) -> str:
    blocks = [
        f"{i}\n00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n{cue}" for i, cue in enumerate(cues, 1)
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def srt(*cues: str) -> str:
    blocks = [
        f"{i}\n00:00:{i:02d},000 --> 00:00:{i + 1:02d},000\n{cue}" for i, cue in enumerate(cues, 1)
    ]
    return "\n\n".join(blocks) + "\n"


def docx_with_body(body_xml: str) -> bytes:
    """A .docx whose body is the given WordprocessingML (paragraphs, w:ins, w:sdt …)."""
    base = docx_bytes([("p", "PLACEHOLDER")])
    src, out = zipfile.ZipFile(io.BytesIO(base)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:p>") if "<w:p>" in text else text.index("<w:p ")
                end = text.index("<w:sectPr")
                data = (text[:start] + body_xml + text[end:]).encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


def run_p(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def zip_bomb() -> bytes:
    """A small .docx-shaped zip whose document unpacks to 101 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", " " * (101 * 1024 * 1024))
    return out.getvalue()


def stray_cell_workbook() -> bytes:
    """4.9 KB on disk, but one cell at the sheet's far corner makes a 17-billion-cell grid."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Answers"
    sheet.append(["Full name", "What does co-production mean to you?"])
    sheet.append(["Shona Fraser", "Sharing power over decisions that matter."])
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def who(name: str, key: bytes) -> str:
    return pseudonym(name, key)


TEAMS_DOCX = docx_bytes(
    [
        ("p", "Roundtable 3 transcript"),
        ("p", "Fiona MacLeod   0:15"),
        ("p", "Funders hold the pen, and we never see the criteria."),
        ("p", "Hamish Munro   0:42"),
        ("p", "Fiona is right, the money shapes everything we do."),
    ]
)
INS_SDT_DOCX = docx_with_body(
    "<w:p>"
    + run_p("Tables agreed that ")
    + '<w:ins w:id="1" w:author="Morag Campbell" w:date="2024-01-01T00:00:00Z">'
    + run_p("funders should sit at the table")
    + "</w:ins>"
    + '<w:del w:id="2" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>DELETEDWORDS</w:delText></w:r></w:del>'
    + "</w:p>"
    + "<w:sdt><w:sdtPr/><w:sdtContent><w:p>"
    + run_p("Participants wanted unlearning built into induction.")
    + "</w:p></w:sdtContent></w:sdt>"
)

# case id, files, expected speakers (real identities, pseudonymised in the check),
# words that must be kept, identifiers that must be absent, a warning that must be recorded.
CASES = [
    (
        "zoom-lower-case-names",
        {
            "s1/zoom.vtt": vtt(
                "ewan robertson: We were consulted, not involved.",
                "fiona macleod: ewan robertson has a point.",
            )
        },
        {"ewan robertson", "fiona macleod"},
        ["We were consulted, not involved."],
        ["ewan", "robertson", "fiona", "macleod"],
        None,
    ),
    (
        "zoom-device-names",
        {
            "s1/zoom.vtt": vtt(
                "Ewan's iPhone: Sorry, my camera is off.",
                "Ewan Robertson: Power sits with whoever holds the budget.",
                "Fiona MacLeod's iPad: Ewan said it well.",
            )
        },
        {"ewan robertson", "fiona macleod"},
        ["Power sits with whoever holds the budget."],
        ["Ewan", "Robertson", "Fiona", "MacLeod", "iPhone"],
        None,
    ),
    (
        "honorific-speaker",
        {
            "s1/notes.md": (
                "Dr Priya Nair: The Promise changes how we listen.\n\n"
                "Cllr Jo Bloggs: Priya is right, and Nair's team showed it.\n"
            )
        },
        {"priya nair", "jo bloggs"},
        ["The Promise changes how we listen."],
        ["Priya", "Nair", "Bloggs"],
        None,
    ),
    (
        "teams-docx-layout",
        {"s1/transcript.docx": TEAMS_DOCX},
        {"fiona macleod", "hamish munro"},
        ["Funders hold the pen, and we never see the criteria."],
        ["Fiona", "MacLeod", "Hamish", "Munro"],
        None,
    ),
    (
        "srt-square-captions",
        {
            "s1/captions.srt": srt(
                "[Hamish Munro] We need the community in the room",
                "from the very start, not at the end.",
                "[laughter]",
                "[Morag Campbell] Hamish, funders need to hear that.",
            )
        },
        {"hamish munro", "morag campbell"},
        ["We need the community in the room from the very start"],
        ["Hamish", "Munro", "Morag", "Campbell"],
        None,
    ),
    (
        "vtt-round-captions",
        {"s1/captions.vtt": vtt("(Hamish Munro) Values come first.", "(Isla Ross) Agreed.")},
        {"hamish munro", "isla ross"},
        ["Values come first."],
        ["Hamish", "Munro", "Isla", "Ross"],
        None,
    ),
    (
        "meet-attendees-who-never-speak",
        {
            "s1/meet.txt": (
                "Roundtable - Transcript\n\nAttendees\n"
                "Ewan Robertson, Fiona MacLeod, Kenneth Dalgleish\n\nTranscript\n\n"
                "Ewan Robertson: Kenneth sent apologies; Dalgleish chairs the board.\n"
            )
        },
        {"ewan robertson"},
        ["sent apologies"],
        ["Kenneth", "Dalgleish", "Ewan"],
        None,
    ),
    (
        "name-of-someone-who-never-speaks",
        {
            "s1/notes.md": "Jane Smith: Ask Morag Campbell at the council about the referral route.\n"
        },
        {"jane smith"},
        ["at the council about the referral route"],
        ["Morag", "Campbell", "Jane"],
        None,
    ),
    (
        "identifiers-in-text",
        {
            "s1/notes.md": (
                "Jane Smith: Post it to iv2 3hy or AB10 1XG, ring 0044 1224 555 010 or "
                "0044 1224 555011 or +44 (0)1224 555 012.\n\n"
                "Jane Smith: NHS number 943 476 5919; write to tom at example dot org, "
                "ann [at] example [dot] org, or bob @ example.org.\n"
            )
        },
        {"jane smith"},
        ["Post it to", "NHS number"],
        ["iv2", "3hy", "1XG", "1224", "555011", "010", "012", "5919", "tom", "ann", "bob"],
        None,
    ),
    (
        "docx-tracked-insertion-and-content-control",
        {"s1/notes.docx": INS_SDT_DOCX},
        set(),
        ["funders should sit at the table", "unlearning built into induction"],
        ["DELETEDWORDS", "Morag", "Campbell"],
        None,
    ),
    (
        "xlsx-cover-sheet-first",
        {
            "s1/survey.xlsx": workbook_bytes(
                {
                    # a sheet named after a person: its name is quoted in a warning
                    "Notes from Shona Fraser": [
                        ["About this export"],
                        ["Downloaded from Forms by the team"],
                    ],
                    "Responses": [
                        ["Full name", "What does co-production mean to you?"],
                        ["Shona Fraser", "Sharing power over what gets funded and why."],
                        ["Lewis Paterson", "Designing the service with the people who use it."],
                    ],
                }
            )
        },
        {"shona fraser", "lewis paterson"},
        ["Sharing power over what gets funded and why."],
        ["Shona", "Fraser", "Lewis", "Paterson"],
        "Responses",
    ),
    (
        "xlsx-merged-group-headers",
        {
            "s1/survey.xlsx": workbook_bytes(
                {
                    "Form1": [
                        ["About you", None, "Your views", None],
                        [
                            "Full name",
                            "Organisation",
                            "What does co-production mean to you?",
                            "How confident are you to explain co-production?",
                        ],
                        [
                            "Shona Fraser",
                            "GREC",
                            "People with lived experience hold real decisions.",
                            "Very confident",
                        ],
                        [
                            "Lewis Paterson",
                            "NHS Grampian",
                            "Nothing about us without us, every time.",
                            "Slightly confident",
                        ],
                    ]
                },
                merged={"Form1": ["A1:B1", "C1:D1"]},
            )
        },
        {"shona fraser", "lewis paterson"},
        ["People with lived experience hold real decisions."],
        ["Shona", "Fraser", "Lewis", "Paterson"],
        None,
    ),
    (
        "empty-session-folder",
        {"s1/.keep": ""},
        set(),
        [],
        [],
        "holds no files",
    ),
]


def written_text(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".csv", ".json")
    )


@pytest.mark.parametrize(
    ("files", "speakers", "kept", "absent", "warning"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_export_read_right_and_nothing_leaks(
    tmp_path, key, capsys, files, speakers, kept, absent, warning
):
    raw = tmp_path / "raw"
    (raw / "s1").mkdir(parents=True)
    (raw / "sessions.csv").write_text(MANIFEST, encoding="utf-8")
    for rel, content in files.items():
        path = raw / rel
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    before = snapshot(raw)
    out = tmp_path / "processed"
    code = cli.main(["ingest", "--raw", str(raw), "--processed", str(out), "--config", str(CONFIG)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert snapshot(raw) == before
    import pandas as pd

    segments = pd.read_csv(out / "segments.csv")
    assert set(segments["speaker"].dropna()) == {who(s, key) for s in speakers}
    texts = " ".join(segments["text"].astype(str))
    for words in kept:
        assert words in texts
    written = written_text(out)
    for word in absent:
        assert not re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", written, re.I), word
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    warnings = " ".join(run["stages"]["ingest"]["warnings"])
    if warning:
        assert warning in warnings


FATAL = [
    (
        "zip-bomb-docx",
        {"s1/big.docx": zip_bomb()},
        "s1/big.docx: unpacks to 101 MB, over the limit of 100 MB. Fix:",
    ),
    (
        "zip-bomb-xlsx",
        {"s1/big.xlsx": zip_bomb()},
        "s1/big.xlsx: unpacks to 101 MB, over the limit of 100 MB. Fix:",
    ),
    (
        "xlsx-stray-cell-at-XFD1048576",
        {"s1/survey.xlsx": stray_cell_workbook()},
        "s1/survey.xlsx, sheet 'Answers': spans more than 5,000,000 cells",
    ),
]


@pytest.mark.parametrize(("files", "message"), [pytest.param(*c[1:], id=c[0]) for c in FATAL])
def test_unreadable_input_is_one_line_and_exit_2(tmp_path, capsys, files, message):
    raw = tmp_path / "raw"
    (raw / "s1").mkdir(parents=True)
    (raw / "sessions.csv").write_text(MANIFEST, encoding="utf-8")
    for rel, content in files.items():
        (raw / rel).write_bytes(content)
    out = tmp_path / "processed"
    code = cli.main(["ingest", "--raw", str(raw), "--processed", str(out), "--config", str(CONFIG)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def _deny(monkeypatch, target: Path, what: str) -> None:
    """Make the operating system refuse to read one file or list one folder.

    Tests run as root in CI, where chmod stops nothing, so the refusal is simulated at the
    call the reader makes.
    """
    if what == "file":
        real = Path.read_bytes

        def read_bytes(self):
            if self == target:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    else:
        real_scandir = os.scandir

        def scandir(path="."):
            if Path(path) == target:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize(
    ("what", "rel", "message"),
    [
        ("file", "s1/notes.md", "s1/notes.md: cannot be read (Permission denied). Fix: give"),
        ("folder", "s1", "s1: cannot be read (Permission denied). Fix: give"),
    ],
)
def test_permission_denied_is_one_line_and_exit_2(
    tmp_path, capsys, monkeypatch, what, rel, message
):
    raw = tmp_path / "raw"
    (raw / "s1").mkdir(parents=True)
    (raw / "sessions.csv").write_text(MANIFEST, encoding="utf-8")
    (raw / "s1" / "notes.md").write_text("Jane Smith: hello there.\n", encoding="utf-8")
    _deny(monkeypatch, raw / rel, what)
    code = cli.main(
        ["ingest", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--config", str(CONFIG)]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("link", ["file", "folder", "session"])
def test_links_out_of_raw_are_not_followed(tmp_path, capsys, link):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("Jane Smith: OUTSIDETEXT about Gregor.\n", encoding="utf-8")
    raw = tmp_path / "raw"
    (raw / "s1").mkdir(parents=True)
    (raw / "sessions.csv").write_text(MANIFEST + "s2,2024-02-01,Second\n", encoding="utf-8")
    (raw / "s1" / "notes.md").write_text("Jane Smith: inside text.\n", encoding="utf-8")
    if link == "file":
        (raw / "s1" / "linked.md").symlink_to(outside / "secret.md")
    elif link == "folder":
        (raw / "s1" / "more").symlink_to(outside, target_is_directory=True)
    else:
        (raw / "s2").symlink_to(outside, target_is_directory=True)
    out = tmp_path / "processed"
    code = cli.main(["ingest", "--raw", str(raw), "--processed", str(out), "--config", str(CONFIG)])
    assert code == 0, capsys.readouterr().err
    assert "OUTSIDETEXT" not in written_text(out)
    warnings = json.loads((out / "run.json").read_text(encoding="utf-8"))["stages"]["ingest"][
        "warnings"
    ]
    assert any("link to" in w and "outside the raw folder" in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("../s1", "is a link to a folder already read"),
        ("missing.md", "is a broken link"),
    ],
)
def test_links_inside_raw_are_read_once(tmp_path, capsys, link, message):
    raw = tmp_path / "raw"
    (raw / "s1").mkdir(parents=True)
    (raw / "sessions.csv").write_text(MANIFEST, encoding="utf-8")
    (raw / "s1" / "notes.md").write_text("Jane Smith: inside text.\n", encoding="utf-8")
    (raw / "s1" / "loop").symlink_to(link)
    out = tmp_path / "processed"
    code = cli.main(["ingest", "--raw", str(raw), "--processed", str(out), "--config", str(CONFIG)])
    assert code == 0, capsys.readouterr().err
    segments = (out / "segments.csv").read_text(encoding="utf-8")
    assert segments.count("inside text.") == 1
    warnings = json.loads((out / "run.json").read_text(encoding="utf-8"))["stages"]["ingest"][
        "warnings"
    ]
    assert any(message in w for w in warnings), warnings


def test_slow_file_reports_progress(tmp_path, capsys, monkeypatch):
    import importlib
    import time

    readers = importlib.import_module("coprod_analysis.ingest.readers")
    ingest_module = importlib.import_module("coprod_analysis.ingest")
    real = readers.read_notes

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(readers, "read_notes", slow)
    raw = tmp_path / "raw"
    (raw / "s1").mkdir(parents=True)
    (raw / "sessions.csv").write_text(MANIFEST, encoding="utf-8")
    (raw / "s1" / "notes.md").write_text("Jane Smith: hello there.\n", encoding="utf-8")
    from coprod_analysis.config import FileLimits, load_project

    project = load_project(CONFIG).model_copy(
        update={"files": FileLimits(progress_after_seconds=0.1)}
    )
    messages: list[str] = []
    ingest_module.ingest(raw, config=CONFIG, project=project, progress=messages.append)
    assert "s1/notes.md: still reading…" in messages
    assert any(re.fullmatch(r"s1/notes\.md: read in 0\.\d s", m) for m in messages), messages
