import pandas as pd
import pytest

from coprod_analysis.quotes import datatable_html, quote_table, quotes_html

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
        "segment_id",
        "session",
        "source_kind",
        "speaker",
        "question",
        "themes",
        "method",
        "score",
        "evidence",
        "text",
    ]
    assert list(zip(table["segment_id"], table["themes"], strict=True)) == expected
    assert not table.isna().any().any()  # missing speakers and questions show as blanks, not NaN


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        # themes in codebook order; method, score and evidence follow the same order
        (
            [("a", "values", "rules", 1.0, "trust"), ("a", "power", "learned", 0.8123, "decide")],
            ("Values; Power", "rules; learned", "1.00; 0.81", "trust; decide"),
        ),
        ([("a", "power", "learned", None, None)], ("Power", "learned", "", "")),
    ],
)
def test_quote_table_shows_why_each_theme_was_found(tags, expected):
    themes = pd.DataFrame(tags, columns=["segment_id", "theme", "method", "score", "evidence"])
    labels = {"values": "Values", "power": "Power"}
    row = quote_table(SEGMENTS, themes, labels=labels, names={"s1": "Session 1 (Nov 2023)"}).iloc[0]
    assert (row["themes"], row["method"], row["score"], row["evidence"]) == expected
    assert (row["session"], row["source_kind"]) == ("Session 1 (Nov 2023)", "Notes")


@pytest.mark.parametrize("rows", [1, 345, 3000])
def test_datatable_embeds_every_row_with_readable_headers(rows):
    import json
    import re

    table = pd.DataFrame(
        {"segment_id": [f"s{i}" for i in range(rows)], "text": ["a long quote " * 20] * rows}
    )
    page = datatable_html(table)
    data = json.loads(json.loads(re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', page)[1]))
    assert len(data) == rows
    assert "Segment ID" in page and "downsampled" not in page.lower()
