import pytest

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


@pytest.mark.parametrize(
    "data",
    [b"this is not a zip file", docx_bytes(BLOCKS)[:2000], b""],
    ids=["not-a-zip", "truncated", "empty-bytes"],
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
