"""Benchmark the Word reader on a long generated document.

Usage:
    .venv/bin/python benchmarks/bench_docx.py                      # 150,000 paragraphs
    .venv/bin/python benchmarks/bench_docx.py --paragraphs 20000

Builds a .docx in a temporary folder: python-docx's blank document with its
``word/document.xml`` replaced by generated paragraphs (runs with formatting, a heading every
50 paragraphs, Teams-style speaker lines, a tracked insertion and deletion now and then, and a
small table every 500 paragraphs), so document.xml is about 49 MB at the default size. Then
it times ``read_docx`` on it in a fresh process started by a small parent, so the peak memory
(max RSS from getrusage, including Python and the imports) is the reader's own, and prints the
figures.

Target (issue: a 0.2 MB .docx inflating to 49 MB took 316 s): well under 20 s on 2 cores.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = [
    "we",
    "the",
    "council",
    "funders",
    "tenants",
    "decide",
    "budget",
    "trust",
    "grant",
    "cycles",
    "short",
    "power",
    "share",
    "co-production",
    "youth",
    "panel",
    "families",
    "reporting",
    "outputs",
    "relationships",
    "listen",
    "money",
    "time",
    "staff",
    "risk",
    "community",
    "housing",
    "recovery",
    "services",
    "table",
    "question",
    "change",
    "people",
    "voice",
]
NAMES = ["Fiona MacLeod", "Ewan Robertson", "Amina Rahman", "Jane Smith", "Callum Reid"]
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body>"
)
RUN = (
    '<w:r><w:rPr><w:rFonts w:ascii="Calibri"/><w:sz w:val="22"/></w:rPr>'
    '<w:t xml:space="preserve">{}</w:t></w:r>'
)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, i: int) -> str:
    if i % 50 == 0:
        text = escape(f"Table {i // 50 % 9 + 1} – {sentence(rng, 3)}")
        return f'<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>{RUN.format(text)}</w:p>'
    if i % 7 == 1:
        stamp = f"{i // 3600}:{i // 60 % 60:02d}:{i % 60:02d}"
        return f"<w:p>{RUN.format(f'{rng.choice(NAMES)}   {stamp}')}</w:p>"
    runs = [RUN.format(escape(sentence(rng, rng.randint(4, 7)) + " ")) for _ in range(2)]
    if i % 11 == 0:
        runs.insert(1, f'<w:ins w:id="{i}" w:author="A">{RUN.format("inserted ")}</w:ins>')
        runs.append(
            f'<w:del w:id="{i}d" w:author="A"><w:r><w:delText>gone</w:delText></w:r></w:del>'
        )
    return '<w:p><w:pPr><w:spacing w:after="120"/></w:pPr>' + "".join(runs) + "</w:p>"


def table(rng: random.Random) -> str:
    rows = [["Table", "What we heard", "Questions raised"]]
    rows += [[f"Table {k}", sentence(rng, 12), sentence(rng, 8)] for k in (1, 2, 3)]
    cells = "".join(
        "<w:tr>"
        + "".join(f"<w:tc><w:p>{RUN.format(escape(c))}</w:p></w:tc>" for c in row)
        + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{cells}</w:tbl>"


def build(folder: Path, paragraphs: int, seed: int = 7) -> tuple[Path, int]:
    """Write the document; return its path and the size of its document.xml in bytes."""
    import docx

    rng = random.Random(seed)
    parts = [HEAD]
    for i in range(paragraphs):
        parts.append(paragraph(rng, i))
        if i % 500 == 499:
            parts.append(table(rng))
    parts.append("<w:sectPr/></w:body></w:document>")
    xml = "".join(parts).encode("utf-8")
    blank = io.BytesIO()
    docx.Document().save(blank)
    path = folder / "long.docx"
    with zipfile.ZipFile(blank) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = xml if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return path, len(xml)


def read(path: str) -> None:
    """Time read_docx on a file in this process and print the figures as JSON."""
    from coprod_analysis.ingest.docx import read_docx
    from coprod_analysis.ingest.notes import SpeakerRule

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    source = read_docx(path, display="long.docx", rule=SpeakerRule())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speakers = sum(u.speaker is not None for u in source.units)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "units": len(source.units),
                "units_with_speaker": speakers,
                "plain_text_chars": len(source.plain_text),
                "rss_after_imports_mb": before,
                "peak_rss_mb": peak,
            }
        )
    )


def _child(*args: str) -> dict:
    """Run this script with ``args`` in a fresh process; return the JSON it prints.

    The parent stays small, so each child's max RSS (which a new process inherits from the
    one that started it) is its own.
    """
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=150_000)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--read", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        started = time.perf_counter()
        path, xml_bytes = build(Path(args.build), args.paragraphs)
        seconds = time.perf_counter() - started
        print(json.dumps({"path": str(path), "xml_bytes": xml_bytes, "seconds": seconds}))
        return
    if args.read:
        read(args.read)
        return
    with tempfile.TemporaryDirectory() as folder:
        built = _child("--build", folder, "--paragraphs", str(args.paragraphs))
        figures = _child("--read", built["path"])
        size = Path(built["path"]).stat().st_size
    print(f"paragraphs            {args.paragraphs:,} (+ {args.paragraphs // 500:,} tables)")
    print(f"document.xml          {built['xml_bytes'] / 2**20:,.1f} MB")
    print(f".docx on disk         {size / 2**20:,.2f} MB (built in {built['seconds']:,.1f} s)")
    print(f"read_docx             {figures['seconds']:,.2f} s")
    print(f"paragraphs / s        {args.paragraphs / figures['seconds']:,.0f}")
    print(
        f"units                 {figures['units']:,} ({figures['units_with_speaker']:,} with a speaker)"
    )
    print(f"plain text            {figures['plain_text_chars'] / 2**20:,.1f} M chars")
    print(f"max RSS after imports {figures['rss_after_imports_mb']:,.0f} MB (getrusage)")
    print(f"max RSS at the end    {figures['peak_rss_mb']:,.0f} MB (getrusage)")


if __name__ == "__main__":
    main()
