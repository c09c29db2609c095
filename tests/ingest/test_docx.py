import io
import zipfile

import pytest

from coprod_analysis.config import FileLimits
from coprod_analysis.errors import InputError
from coprod_analysis.ingest.docx import read_docx
from coprod_analysis.ingest.notes import SpeakerRule
from tests.conftest import docx_bytes

BLOCKS = [
    ("h1", "Table notes"),
    ("p", "An opening paragraph about the room."),
    ("h2", "Table 2 – funding"),
    ("p", "Jane Smith: Funders want outputs, not relationships."),
    (
        "table",
        [
            ["Table", "What we heard", "Questions raised"],
            ["Table 1", "Grant cycles are too short to build trust.", "Who decides the budget?"],
            ["Table 2", "", "Can commissioners let go?"],
        ],
    ),
    ("p", "A closing paragraph."),
]


def test_paragraphs_and_cells_in_document_order(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(docx_bytes(BLOCKS))
    source = read_docx(path, display="s1/notes.docx", rule=SpeakerRule())
    got = [(u.speaker, u.context, source.unit_text(u)) for u in source.units]
    assert got == [
        (None, "Table notes", "An opening paragraph about the room."),
        ("Jane Smith", "Table 2 – funding", "Funders want outputs, not relationships."),
        (
            None,
            "Table 2 – funding › Table 1 › What we heard",
            "Grant cycles are too short to build trust.",
        ),
        (None, "Table 2 – funding › Table 1 › Questions raised", "Who decides the budget?"),
        (None, "Table 2 – funding › Table 2 › Questions raised", "Can commissioners let go?"),
        (None, "Table 2 – funding", "A closing paragraph."),
    ]
    for unit in source.units:
        assert source.plain_text[unit.start : unit.end] == source.unit_text(unit)


# --- fixtures written as WordprocessingML: python-docx builds the package, the body is ours ---

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}


def run(text):
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs, style=None, outline=None):
    props = ""
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if outline is not None:
        props += f'<w:outlineLvl w:val="{outline}"/>'
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{''.join(runs)}</w:p>"


def cell(*content, props=""):
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{''.join(content)}</w:tc>"


def row(*cells):
    return f"<w:tr>{''.join(cells)}</w:tr>"


def table(*rows, cols=3):
    return f"<w:tbl><w:tblGrid>{'<w:gridCol/>' * cols}</w:tblGrid>{''.join(rows)}</w:tbl>"


def sdt(*content, placeholder=False):
    shown = "<w:showingPlcHdr/>" if placeholder else ""
    return f'<w:sdt><w:sdtPr><w:alias w:val="Notes"/>{shown}</w:sdtPr><w:sdtContent>{"".join(content)}</w:sdtContent></w:sdt>'


def text_box(*paragraphs):
    """A text box as Word writes it: a drawing, and the same box again as VML for old readers."""
    box = f"<w:txbxContent>{''.join(paragraphs)}</w:txbxContent>"
    drawing = (
        "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp>"
        f"<wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    vml = f"<w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        f"{drawing}</mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def field(code, result):
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run(result)}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def with_body(body, *, base=None, extra=None):
    """A .docx whose word/document.xml holds this body; other parts from python-docx."""
    declarations = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document {declarations} mc:Ignorable="w14"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )
    return rewrite(
        base or docx_bytes([]), {"word/document.xml": document.encode(), **(extra or {})}
    )


def rewrite(data, parts):
    """Copy a zip, replacing or adding members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info, src.read(info))
        for name, content in parts.items():
            dst.writestr(name, content)
    return out.getvalue()


def units(data, tmp_path, *, rule=None):
    """(speaker, context, text) of each unit; the text is the plain text at the unit's offsets."""
    path = tmp_path / "notes.docx"
    path.write_bytes(data)
    source = read_docx(path, display="s1/notes.docx", rule=rule or SpeakerRule())
    return [(u.speaker, u.context, source.plain_text[u.start : u.end]) for u in source.units]


HEADER = row(
    cell(para(run("Table"))), cell(para(run("What we heard"))), cell(para(run("Questions raised")))
)
SPAN2 = '<w:gridSpan w:val="2"/>'
RESTART, CONTINUE = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"

BODIES = {
    "tracked-insertion-read-deletion-dropped": (
        para(
            run("We "),
            f'<w:ins w:id="1" w:author="A">{run("really ")}</w:ins>',
            '<w:del w:id="2" w:author="A"><w:r><w:delText>never </w:delText></w:r></w:del>',
            run("decide"),
            f'<w:moveFrom w:id="3" w:author="A">{run(" later")}</w:moveFrom>',
            f'<w:moveTo w:id="4" w:author="A">{run(" together")}</w:moveTo>',
            run("."),
        ),
        [(None, None, "We really decide together.")],
    ),
    "field-code-is-not-text": (
        para(run("See page "), field(" PAGEREF _Toc1 \\h ", "3"), run(".")),
        [(None, None, "See page 3.")],
    ),
    "tab-break-and-hyphen": (
        para(
            "<w:r><w:t>co</w:t><w:noBreakHyphen/><w:t>production</w:t><w:tab/>"
            "<w:t>works</w:t><w:br/><w:t>here</w:t><w:cr/><w:t>too</w:t></w:r>"
        ),
        [(None, None, "co-production\tworks\nhere\ntoo")],
    ),
    "hyperlink": (
        para(
            run("Read "), f'<w:hyperlink r:id="rId99">{run("the report")}</w:hyperlink>', run(".")
        ),
        [(None, None, "Read the report.")],
    ),
    "content-control-block": (
        sdt(para(run("Words in a block control.")), para(run("And a second paragraph."))),
        [(None, None, "Words in a block control."), (None, None, "And a second paragraph.")],
    ),
    "content-control-inline": (
        para(run("Words in "), sdt(run("an inline")), run(" control.")),
        [(None, None, "Words in an inline control.")],
    ),
    "content-control-placeholder-dropped": (
        sdt(para(run("Click or tap here to enter text.")), placeholder=True)
        + para(run("Real words.")),
        [(None, None, "Real words.")],
    ),
    "content-controls-in-a-table": (
        table(
            HEADER,
            sdt(
                row(
                    cell(para(run("Table 1"))),
                    cell(sdt(para(run("Heard in a row control.")))),
                    cell(para(run("Asked in a row control."))),
                )
            ),
            row(
                cell(para(run("Table 2"))),
                sdt(cell(para(run("Heard in a cell control.")))),
                cell(para(run("Asked without one.")), para(sdt(run(" inline too")))),
            ),
        ),
        [
            (None, "Table 1 › What we heard", "Heard in a row control."),
            (None, "Table 1 › Questions raised", "Asked in a row control."),
            (None, "Table 2 › What we heard", "Heard in a cell control."),
            (None, "Table 2 › Questions raised", "Asked without one.\n inline too"),
        ],
    ),
    "text-box-read-once": (
        para(run("Before the box."), text_box(para(run("Words in a text box.")))),
        [(None, None, "Before the box."), (None, None, "Words in a text box.")],
    ),
    "text-box-vml-only": (
        para(
            run("Before."),
            "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
            f"{para(run('Words in an old text box.'))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
        ),
        [(None, None, "Before."), (None, None, "Words in an old text box.")],
    ),
    "text-box-in-a-cell": (
        table(
            row(
                cell(para(run("Table 1"))),
                cell(para(run("Cell words."), text_box(para(run("Boxed in a cell."))))),
            ),
            cols=2,
        ),
        [(None, "Table 1", "Cell words."), (None, "Table 1", "Boxed in a cell.")],
    ),
    "headings-title-style-and-outline-level": (
        para(run("Roundtable 4"), style="Title")
        + para(run("A note under the title."))
        + para(run("Funding"), outline=1)
        + para(run("Grants are short."))
        + para(run("Contents"), style="TOCHeading")  # based on Heading 1, outline level 9
        + para(run("Power"), style="Heading2")
        + table(row(cell(para(run("Table 1"))), cell(para(run("Who holds it?")))), cols=2),
        [
            (None, "Roundtable 4", "A note under the title."),
            (None, "Funding", "Grants are short."),
            (None, "Funding", "Contents"),
            (None, "Power › Table 1", "Who holds it?"),
        ],
    ),
    "merged-cells-once": (
        table(
            HEADER,
            row(cell(para(run("Table 1"))), cell(para(run("Spans two columns.")), props=SPAN2)),
            row(
                cell(para(run("Table 2")), props=RESTART),
                cell(para(run("Heard in row two."))),
                cell(para(run("Asked across two rows.")), props=RESTART),
            ),
            row(
                cell(para(), props=CONTINUE),
                cell(para(run("Heard in row three."))),
                cell(para(), props=CONTINUE),
            ),
        ),
        [
            (None, "Table 1 › What we heard", "Spans two columns."),
            (None, "Table 2 › What we heard", "Heard in row two."),
            (None, "Table 2 › Questions raised", "Asked across two rows."),
            (None, "Table 2 › What we heard", "Heard in row three."),
        ],
    ),
    "span-keeps-later-cells-under-their-header": (
        table(
            row(*(cell(para(run(h))) for h in ("Table", "Heard", "Also heard", "Asked"))),
            row(
                cell(para(run("Table 1"))),
                cell(para(run("Spans two columns.")), props=SPAN2),
                cell(para(run("Asked after the span."))),
            ),
            cols=4,
        ),
        [
            (None, "Table 1 › Heard", "Spans two columns."),
            (None, "Table 1 › Asked", "Asked after the span."),
        ],
    ),
    "nested-table-kept": (
        table(
            HEADER,
            row(
                cell(para(run("Table 1"))),
                cell(
                    para(run("Outer words.")),
                    table(
                        row(cell(para(run("Inner one."))), cell(para(run("Inner two.")))), cols=2
                    ),
                    para(),
                ),
                cell(para(run("Asked."))),
            ),
        ),
        [
            (None, "Table 1 › What we heard", "Outer words."),
            (None, "Table 1 › What we heard", "Inner one."),
            (None, "Table 1 › What we heard", "Inner two."),
            (None, "Table 1 › Questions raised", "Asked."),
        ],
    ),
}


@pytest.mark.parametrize(("body", "expected"), BODIES.values(), ids=BODIES.keys())
def test_body_xml(tmp_path, body, expected):
    assert units(with_body(body), tmp_path) == expected


def test_python_docx_merges_and_nested_table(tmp_path):
    import docx

    document = docx.Document()
    grid = document.add_table(rows=4, cols=3)
    for j, name in enumerate(["Table", "What we heard", "Questions raised"]):
        grid.cell(0, j).text = name
    grid.cell(1, 0).text = "Table 1"
    grid.cell(1, 1).merge(grid.cell(1, 2)).text = "Spans two columns."
    grid.cell(2, 0).merge(grid.cell(3, 0)).text = "Table 2"
    grid.cell(2, 1).text = "Heard in row two."
    grid.cell(2, 2).merge(grid.cell(3, 2)).text = "Asked across two rows."
    inner = grid.cell(3, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Inner one."
    inner.cell(0, 1).text = "Inner two."
    buffer = io.BytesIO()
    document.save(buffer)
    assert units(buffer.getvalue(), tmp_path) == [
        (None, "Table 1 › What we heard", "Spans two columns."),
        (None, "Table 2 › What we heard", "Heard in row two."),
        (None, "Table 2 › Questions raised", "Asked across two rows."),
        (None, "Table 2 › What we heard", "Inner one."),
        (None, "Table 2 › What we heard", "Inner two."),
    ]


def test_headers_footers_comments_and_notes_stay_out(tmp_path):
    import docx

    document = docx.Document()
    body = document.add_paragraph("Body words.")
    section = document.sections[0]
    section.header.paragraphs[0].text = "Header secret"
    section.footer.paragraphs[0].text = "Footer secret"
    document.add_comment(body.runs, text="Comment secret", author="A")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        xml = archive.read("word/document.xml").decode()
    note = '<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:endnoteReference w:id="1"/></w:r>'
    xml = xml.replace("Body words.</w:t></w:r>", "Body words.</w:t></w:r>" + note, 1)
    notes = {
        f"word/{kind}s.xml": (
            f'<w:{kind}s xmlns:w="{NAMESPACES["w"]}"><w:{kind} w:id="1">'
            f"{para(run(kind.title() + ' secret'))}</w:{kind}></w:{kind}s>"
        ).encode()
        for kind in ("footnote", "endnote")
    }
    data = rewrite(buffer.getvalue(), {"word/document.xml": xml.encode(), **notes})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the secrets are in the file...
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert all(s.encode() in everything for s in ("Header", "Footer", "Comment", "Footnote"))
    path = tmp_path / "notes.docx"
    path.write_bytes(data)
    source = read_docx(path, display="s1/notes.docx", rule=SpeakerRule())
    assert "secret" not in source.plain_text  # ...but not in what is read
    assert [source.unit_text(u) for u in source.units] == ["Body words."]


TEAMS = {
    "teams-name-and-time": (
        [
            "Fiona MacLeod   0:15",
            "Good morning, everyone.",
            "Thanks for coming.",
            "Ewan Robertson\t1:02:03",
            "Morning.",
            "Amina Rahman   00:00:15",
            "Jane Smith: an aside Amina read out.",
            "Back to Amina.",
        ],
        [
            ("Fiona MacLeod", "Good morning, everyone."),
            ("Fiona MacLeod", "Thanks for coming."),
            ("Ewan Robertson", "Morning."),
            ("Jane Smith", "an aside Amina read out."),
            ("Amina Rahman", "Back to Amina."),
        ],
    ),
    "teams-older-cue-then-name": (
        [
            "0:0:0.0 --> 0:0:5.0",
            "Fiona MacLeod",
            "Good morning.",
            "0:0:5.0 --> 0:0:9.200",
            "Ewan Robertson",
            "Morning.",
        ],
        [("Fiona MacLeod", "Good morning."), ("Ewan Robertson", "Morning.")],
    ),
    "teams-older-in-one-paragraph": (
        ["0:0:0.0 --> 0:0:5.0\nFiona MacLeod\nGood morning.", "Still Fiona."],
        [("Fiona MacLeod", "Good morning."), ("Fiona MacLeod", "Still Fiona.")],
    ),
    "not-a-speaker-line": (
        ["Table 2   10:30", "Words."],
        [(None, "Table 2   10:30"), (None, "Words.")],
    ),
}


@pytest.mark.parametrize(("paragraphs", "expected"), TEAMS.values(), ids=TEAMS.keys())
def test_teams_speaker_lines(tmp_path, paragraphs, expected):
    data = docx_bytes([("p", text) for text in paragraphs])
    assert [(s, text) for s, _, text in units(data, tmp_path)] == expected


def test_heading_ends_a_teams_turn(tmp_path):
    data = docx_bytes(
        [("p", "Fiona MacLeod   0:15"), ("p", "Words."), ("h2", "Actions"), ("p", "Book a room.")]
    )
    assert units(data, tmp_path) == [
        ("Fiona MacLeod", None, "Words."),
        (None, "Actions", "Book a room."),
    ]


class AnyCaseRule(SpeakerRule):
    """A rule that, like the project's, may take lower-case display names as speakers."""

    def is_speaker(self, label, *, any_case=False):
        return label.replace(" ", "").isalpha()


def test_teams_speaker_need_not_be_capitalised(tmp_path):
    data = docx_bytes([("p", "ewan robertson   0:15"), ("p", "Morning.")])
    assert units(data, tmp_path, rule=AnyCaseRule()) == [("ewan robertson", None, "Morning.")]


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (FileLimits(max_unpacked_mb=0.01), "unpacks to"),
        (FileLimits(max_members=3), "zip members, over the limit of 3"),
    ],
    ids=["too-large", "too-many-members"],
)
def test_oversized_docx_is_refused(tmp_path, limits, message):
    path = tmp_path / "big.docx"
    path.write_bytes(docx_bytes(BLOCKS))
    with pytest.raises(InputError) as err:
        read_docx(path, display="s1/big.docx", rule=SpeakerRule(), limits=limits)
    line = err.value.line()
    assert line.startswith("s1/big.docx: ") and message in line and "\n" not in line


def _zip(members):
    return rewrite(b"PK\x05\x06" + b"\0" * 18, members)


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a zip file",
        docx_bytes(BLOCKS)[:2000],
        b"",
        _zip({"notes.txt": b"a zip, but not a Word document"}),
        rewrite(docx_bytes(BLOCKS), {"word/document.xml": b"<w:document><w:body><w:p>"}),
        rewrite(docx_bytes(BLOCKS), {"word/document.xml": b"<workbook><sheets/></workbook>"}),
    ],
    ids=["not-a-zip", "truncated", "empty-bytes", "no-document", "broken-xml", "not-word-xml"],
)
def test_corrupt_docx_is_one_clear_error(tmp_path, data):
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_docx(path, display="s1/broken.docx", rule=SpeakerRule())
    assert err.value.line() == (
        "s1/broken.docx: is not a readable Word document (corrupt, truncated or not a .docx). "
        "Fix: open it in Word and save it again as .docx"
    )
