"""One tagger everywhere: cp.tag_themes in a notebook gives what coprod tag wrote."""

import pandas as pd
import pytest

import coprod_analysis as cp
from coprod_analysis.corpus import read_corpus
from coprod_analysis.errors import Problems


def test_notebook_call_gives_the_command_tags(sample_results):
    written = pd.read_parquet(sample_results.processed / "themes.parquet")
    segments = read_corpus(sample_results.processed).segments
    tags = cp.tag_themes(segments, where=sample_results)
    assert "learned" in set(written["method"]) and "checked" in set(written["method"])

    def plain(table):  # a missing coder is None in memory and NaN once written to Parquet
        return table.assign(coder=table["coder"].astype(object).where(table["coder"].notna(), None))

    pd.testing.assert_frame_equal(
        plain(tags).reset_index(drop=True),
        plain(written).reset_index(drop=True),
        check_dtype=False,
        check_exact=False,
        atol=1e-4,
    )


@pytest.mark.parametrize(
    ("method", "allowed"),
    [
        ("rules", {"rule"}),
        ("similarity", {"rule", "semantic"}),
        # as coprod tag: what people checked replaces the tagger's codes ("checked")
        ("trained", {"rule", "semantic", "learned", "checked"}),
    ],
)
def test_method_column_says_which_step_tagged(sample_results, method, allowed):
    segments = read_corpus(sample_results.processed).segments
    tags = cp.tag_themes(segments, method=method, where=sample_results)
    assert set(tags["method"]) <= allowed
    assert not tags.empty


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="trained, similarity, rules"):
        cp.tag_themes(pd.DataFrame({"segment_id": ["a"], "text": ["x"]}), method="magic")


def test_tag_stage_writes_the_reliability_card(sample_results):
    card = pd.read_parquet(sample_results.processed / "reliability.parquet")
    assert list(card["theme"]) == cp.load_codebook().ids
    assert {"kappa", "kappa_low", "kappa_high", "ac1", "human_kappa"} <= set(card.columns)
    assert (card["n"] > 100).all()


@pytest.mark.parametrize(
    ("ana", "ben", "learnt", "left_out"),
    [
        ({0: ["power"], 1: []}, {}, {0: {"power"}, 1: set()}, 0),  # one coder: taken as is
        ({0: ["power"]}, {0: ["power"]}, {0: {"power"}}, 0),  # agreed
        ({0: ["power"]}, {0: ["funding"]}, {}, 1),  # disagreed: left out until adjudicated
    ],
)
def test_training_learns_from_the_coding_panel(
    sample_results, tmp_path, ana, ben, learnt, left_out
):
    import dataclasses

    from coprod_analysis.config import load_project
    from coprod_analysis.pipeline.training import training_data
    from coprod_analysis.themes.coding import coder_file, record_code

    segments = read_corpus(sample_results.processed).segments
    human = pd.read_csv(sample_results.raw / "human_codes.csv", dtype=str)
    fresh = segments[~segments["segment_id"].isin(human["segment_id"])]["segment_id"].tolist()
    for coder, codes in (("ana", ana), ("ben", ben)):
        for i, themes in codes.items():
            record_code(
                coder_file(tmp_path, coder), segment_id=fresh[i], theme_ids=themes, coder=coder
            )
    where = dataclasses.replace(sample_results, coding=tmp_path)
    project = load_project(where.config)
    problems = Problems()
    _, codes = training_data(
        where, project, cp.load_codebook(), segments=segments, problems=problems
    )
    got = {}
    for i in range(len(fresh)):
        rows = codes[codes["segment_id"] == fresh[i]]
        if len(rows):
            got[i] = set(rows["theme"].dropna())
    assert got == learnt
    assert sum("coders disagree" in p.message for p in problems) == left_out
