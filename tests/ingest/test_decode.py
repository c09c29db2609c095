import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.ingest.decode import decode_text

TEXT = "Zoë’s “quote”\nline two"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),
        (TEXT.encode("cp1252"), TEXT),
        (TEXT.replace("\n", "\r\n").encode("cp1252"), TEXT),
        (TEXT.encode("utf-16"), TEXT),
        (b"old mac\rline", "old mac\nline"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "cp1252-crlf", "utf16", "cr"],
)
def test_decode(data, expected):
    assert decode_text(data) == expected


@pytest.mark.parametrize("data", [b"PK\x03\x04\x14\x00\x00\x00", bytes(range(256)) * 4])
def test_binary_is_refused_with_the_file_named(data):
    with pytest.raises(InputError, match=r"notes\.txt: is a binary file.*Fix:"):
        decode_text(data, path="s1/notes.txt")
