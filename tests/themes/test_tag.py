import pandas as pd
import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.errors import InputError
from coprod_analysis.themes.learned import learn_themes
from coprod_analysis.themes.tag import COLUMNS, tag_segments
from tests.conftest import CONFIG

CODEBOOK = load_codebook(CONFIG / "codebook.yml")
SEGMENTS = pd.DataFrame(
    {
        "segment_id": ["s1", "s2", "s3", "s4"],
        "text": [
            "Funders hold the purse strings and the council decides.",
            "The power cut meant we used PowerPoint on a laptop.",
            "",
            "We had to let go of doing things the way we've always done them.",
        ],
        "speaker": ["P-1", "P-2", None, "P-3"],
    }
)


def test_rules_only_table_shape():
    tags = tag_segments(SEGMENTS, CODEBOOK, semantic=False)
    assert list(tags.columns) == COLUMNS
    assert tags.dtypes.astype(str).tolist() == ["str", "str", "str", "float64", "str"]
    assert set(tags["method"]) == {"rule"} and (tags["score"] == 1.0).all()
    got = sorted(zip(tags.segment_id, tags.theme, strict=True))
    assert got == [("s1", "funding"), ("s1", "power"), ("s4", "unlearning")]
    assert (
        tags.loc[(tags.segment_id == "s1") & (tags.theme == "funding"), "evidence"].item()
        == "Funders; purse strings"
    )


def test_only_segment_id_and_text_are_needed():
    tags = tag_segments(SEGMENTS[["segment_id", "text"]].iloc[:0], CODEBOOK, semantic=False)
    assert list(tags.columns) == COLUMNS and tags.empty


def test_missing_column_is_one_clear_error():
    with pytest.raises(InputError, match="has no segment_id column"):
        tag_segments(pd.DataFrame({"text": ["x"]}), CODEBOOK, semantic=False)


def test_semantic_tags_carry_similarity_and_closest_example():
    codebook = CODEBOOK.model_copy(
        update={"thresholds": {t: 1.0 for t in CODEBOOK.ids} | {"funding": 0.2}}
    )
    seg = pd.DataFrame(
        {"segment_id": ["x"], "text": ["The pot is tiny and the application takes weeks to write."]}
    )
    tags = tag_segments(seg, codebook)
    row = tags.loc[tags.theme == "funding"].iloc[0]
    assert row.method == "semantic" and 0.2 <= row.score <= 1.0
    assert row.evidence in [
        CODEBOOK.theme("funding").description,
        *CODEBOOK.theme("funding").examples,
    ]


def test_learned_only_for_themes_where_it_wins():
    texts = [
        f"Young people chaired the panel and decided the budget, round {i}." for i in range(12)
    ] + [f"The buses to the venue run every {i} minutes." for i in range(12)]
    seg = pd.DataFrame({"segment_id": [f"t{i}" for i in range(24)], "text": texts})
    codes = pd.DataFrame({"segment_id": seg.segment_id, "theme": ["power"] * 12 + [None] * 12})
    learned = learn_themes(seg, codes, CODEBOOK, folds=3)
    report = learned.report.set_index("theme")
    assert report.loc["funding", "note"] == "too few coded examples"
    assert set(learned.used) <= {"power"}
    if learned.used:
        tags = tag_segments(seg, CODEBOOK, learned=learned)
        assert set(tags.loc[tags.theme == "power", "method"]) == {"learned"}
