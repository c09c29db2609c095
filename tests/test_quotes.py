import pandas as pd
import pytest

from coprod_analysis.quotes import quote_table, quotes_html

HOSTILE = [
    "<script>alert(1)</script> and the council decides everything for us, every single time, honestly.",
    "<img src=x onerror=alert(1)> funders want outputs and not relationships, that is the long and short of it.",
]


def test_quotes_show_hostile_answers_as_text():
    segments = pd.DataFrame(
        {"segment_id": ["a", "b"], "session_id": ["<s1>", "s1"], "text": HOSTILE}
    )
    segments["n_words"] = segments["text"].str.split().str.len()
    themes = pd.DataFrame({"segment_id": ["a", "b"], "theme": ["power", "power"]})
    out = quotes_html(segments, themes, "power", label="<Power>")
    assert "<script" not in out and "<img" not in out
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in out
        and "&lt;img src=x onerror=alert(1)&gt;" in out
    )
    assert "<h3>&lt;Power&gt;</h3>" in out and "(&lt;s1&gt;)" in out


SEGMENTS = pd.DataFrame(
    {
        "segment_id": ["a", "b", "c"],
        "session_id": ["s1", "s1", "s2"],
        "source_kind": ["notes", "survey", "transcript"],
        "speaker": ["P-AAAAAA", "P-BBBBBB", "Facilitator"],
        "question": [None, "wishlist", None],
        "text": ["Who holds the power here?", "More money, less paperwork", "Welcome, everyone"],
        "n_words": [5, 4, 2],
    }
)
LABELS = {"power": "Power", "funding": "Funding", "values": "Values"}


@pytest.mark.parametrize(
    ("tags", "tagged_only", "expected"),
    [
        ([("a", "power")], True, [("a", "Power")]),
        ([("b", "values"), ("b", "funding"), ("b", "funding")], True, [("b", "Funding; Values")]),
        ([("a", "power"), ("a", "new-theme")], True, [("a", "Power; new-theme")]),
        ([("a", "power")], False, [("a", "Power"), ("b", ""), ("c", "")]),
        ([], True, []),
    ],
)
def test_quote_table_joins_labels_in_codebook_order(tags, tagged_only, expected):
    themes = pd.DataFrame(tags, columns=["segment_id", "theme"])
    table = quote_table(SEGMENTS, themes, labels=LABELS, tagged_only=tagged_only)
    assert list(table.columns) == [
        "session_id",
        "source_kind",
        "speaker",
        "question",
        "themes",
        "text",
    ]
    by_text = dict(zip(SEGMENTS["text"], SEGMENTS["segment_id"], strict=True))
    assert [
        (by_text[t], th) for t, th in zip(table["text"], table["themes"], strict=True)
    ] == expected
    assert not table.isna().any().any()  # missing speakers and questions show as blanks, not NaN
