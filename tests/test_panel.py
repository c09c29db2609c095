import pandas as pd
import pytest

from coprod_analysis.panel import CodingPanel, panel_view, segment_html
from coprod_analysis.themes.coding import read_coding

LABELS = {"power": "Power", "funding": "Funding and funders", "values": "Values"}
SEGMENTS = pd.DataFrame(
    {
        "segment_id": ["t1", "t2", "t3", "t4", "q1"],
        "session_id": ["s1", "s1", "s1", "s1", "s2"],
        "source_file": ["s1/t.vtt"] * 4 + ["s2/survey.csv"],
        "source_kind": ["transcript"] * 4 + ["survey"],
        "speaker": ["P-AAAAAA", "P-BBBBBB", "P-AAAAAA", None, "P-CCCCCC"],
        "question": [None] * 4 + ["definition"],
        "text": [
            "Who holds the pen?",
            "The council, <b>always</b>.",
            "Funders decide what counts.",
            "Tea break.",
            "Sharing power and money.",
        ],
        "char_start": [0, 20, 40, 60, 0],
    }
)
TAGS = pd.DataFrame({"segment_id": ["t1", "t3", "q1"], "theme": ["power", "funding", "power"]})


def panel(tmp_path, coder="ana", mode="blind"):
    return CodingPanel(
        SEGMENTS,
        LABELS,
        coder=coder,
        folder=tmp_path,
        tags=TAGS,
        mode=mode,
        names={"s1": "Session 1"},
        questions={"definition": "What does co-production mean to you?"},
    )


def test_code_three_segments_then_reload_and_resume(tmp_path):
    first = panel(tmp_path)
    assert first.current["segment_id"] == "t1"
    first.tick("power")
    first.next()
    first.none_applies()
    first.next()
    first.tick("funding")
    first.tick("values")
    first.write_memo("money as power")
    saved = pd.read_csv(tmp_path / "ana.csv", dtype=str, keep_default_na=False)
    assert saved[["segment_id", "themes", "memo", "coder"]].values.tolist() == [
        ["t1", "power", "", "ana"],
        ["t2", "", "", "ana"],
        ["t3", "funding;values", "money as power", "ana"],
    ]
    assert saved["coded_at"].str.match(r"^\d{4}-\d\d-\d\dT").all()
    again = panel(tmp_path)  # a new session, as after closing the browser
    assert again.coded() == {"t1": ["power"], "t2": [], "t3": ["funding", "values"]}
    assert again.queue == ["t4", "q1"] and again.current["segment_id"] == "t4"
    again.choose("all")
    again.go(2)
    assert again.ticked() == ["funding", "values"] and again.memo() == "money as power"


@pytest.mark.parametrize(
    ("mode", "ticked", "shown"),
    [("blind", [], False), ("review", ["power"], True)],
)
def test_blind_mode_hides_the_taggers_tags_and_review_pre_ticks_them(tmp_path, mode, ticked, shown):
    p = panel(tmp_path, mode=mode)
    view = panel_view(p)
    boxes = view.controls["themes"]
    assert p.tags() == (["power"] if shown else [])
    assert [t for t, box in boxes.items() if box.value] == ticked
    assert ("The tagger found" in view.controls["text"].value) is shown
    assert not (tmp_path / "ana.csv").exists()  # showing a segment saves nothing


def test_clicks_in_the_view_are_saved_at_once(tmp_path):
    p = panel(tmp_path)
    view = panel_view(p)
    view.controls["themes"]["values"].value = True
    assert read_coding(tmp_path)[["segment_id", "theme"]].values.tolist() == [["t1", "values"]]
    view.controls["memo"].value = "said twice"
    view.controls["next"].click()
    view.controls["none"].value = True
    codes = read_coding(tmp_path)
    assert codes[["segment_id", "theme", "memo"]].fillna("").values.tolist() == [
        ["t1", "values", "said twice"],
        ["t2", "", ""],
    ]
    assert "saved to" in view.controls["status"].value


def test_memo_needs_a_decision_and_keeps_the_segment_coded(tmp_path):
    p = panel(tmp_path)
    with pytest.raises(ValueError, match="first"):
        p.write_memo("too early")
    p.tick("power")
    p.write_memo("keep me")
    p.tick("power", False)  # unticking the last theme keeps the memo: none applies
    assert p.coded() == {"t1": []} and p.memo() == "keep me"


def test_context_shows_the_turns_around_and_the_question(tmp_path):
    p = panel(tmp_path)
    p.choose("all")
    p.go(1)
    context = p.context()
    assert (context["before"]["segment_id"], context["after"]["segment_id"]) == ("t1", "t3")
    assert "&lt;b&gt;always&lt;/b&gt;" in segment_html(p) and "<b>always" not in segment_html(p)
    p.choose("session", session="s2")
    assert p.context()["question"] == "What does co-production mean to you?"
    assert p.context()["before"] is None


@pytest.mark.parametrize(
    ("by", "options", "expected"),
    [
        ("uncoded", {}, ["t1", "t2", "t3", "t4", "q1"]),
        ("session", {"session": "s2"}, ["q1"]),
        ("theme", {"theme": "power"}, ["t1", "q1"]),
        ("all", {}, ["t1", "t2", "t3", "t4", "q1"]),
    ],
)
def test_choose_segments(tmp_path, by, options, expected):
    assert panel(tmp_path).choose(by, **options) == expected


def test_two_coders_then_the_disagreements_and_suggestions(tmp_path):
    ana, ben = panel(tmp_path, "ana"), panel(tmp_path, "ben")
    ana.tick("power")
    ben.tick("funding")
    ana.next(), ben.next()
    ana.none_applies(), ben.none_applies()
    assert ana.choose("disagreed") == ["t1"]
    suggested = CodingPanel(
        SEGMENTS, LABELS, coder="ana", folder=tmp_path, suggested=lambda: ["q1", "t1", "t3"]
    )
    assert suggested.choose("suggested") == ["q1", "t3"]  # t1 is coded already
