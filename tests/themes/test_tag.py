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


# The coders see power where no rule or example does; funding where the rules already find it.
POWER_UNSEEN = [
    f"The young people ran the meeting from start to finish, round {i}."
    if i % 2
    else f"The tenants picked the architect themselves, round {i}."
    for i in range(12)
]
FUNDING_SEEN = [
    f"The grant ran out in month {i} and the funder wanted a report." for i in range(12)
]
NEITHER = [f"The buses to the venue run every {i} minutes." for i in range(12)]
IDS = [f"t{i}" for i in range(36)]


@pytest.fixture(scope="module")
def learned_and_tags():
    seg = pd.DataFrame({"segment_id": IDS, "text": POWER_UNSEEN + FUNDING_SEEN + NEITHER})
    codes = pd.DataFrame(
        {"segment_id": IDS, "theme": ["power"] * 12 + ["funding"] * 12 + [None] * 12}
    )
    learned = learn_themes(seg, codes, CODEBOOK, folds=3)
    return learned, tag_segments(seg, CODEBOOK, learned=learned)


@pytest.mark.parametrize(
    ("theme", "used", "note"),
    [
        ("power", True, ""),  # the rules find none of it: the classifier wins
        ("funding", False, ""),  # the rules find all of it: the classifier cannot beat them
        ("values", False, "too few coded examples"),
    ],
)
def test_learned_only_for_themes_where_it_wins(learned_and_tags, theme, used, note):
    learned, _ = learned_and_tags
    assert learned.used == ["power"]
    row = learned.report.set_index("theme").loc[theme]
    assert (bool(row["used"]), row["note"]) == (used, note)


@pytest.mark.parametrize(
    ("theme", "method", "ids"),
    [
        ("power", "learned", IDS[:12]),
        ("funding", "rule", IDS[12:24]),
        ("values", None, []),
    ],
)
def test_each_theme_is_tagged_by_the_method_that_won(learned_and_tags, theme, method, ids):
    _, tags = learned_and_tags
    mine = tags[tags.theme == theme]
    assert mine["segment_id"].tolist() == ids
    assert set(mine["method"]) == ({method} if method else set())
