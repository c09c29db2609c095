import threading

import pandas as pd
import pytest

from coprod_analysis.panel import (
    CHOICES,
    MODES,
    NO_AUDIT,
    OFFERED,
    CodingPanel,
    decision_html,
    is_heading,
    panel_view,
    segment_html,
)
from coprod_analysis.themes.coding import SETTLED, read_coding, record_code

LABELS = {"power": "Power", "funding": "Funding and funders", "values": "Values"}
SEGMENTS = pd.DataFrame(
    {
        "segment_id": ["h1", "n1", "t1", "t2", "t3", "t4", "q1"],
        "session_id": ["s1"] * 6 + ["s2"],
        "source_file": ["s1/notes.md"] * 2 + ["s1/t.vtt"] * 4 + ["s2/survey.csv"],
        "source_kind": ["notes"] * 2 + ["transcript"] * 4 + ["survey"],
        "speaker": [None, None, "P-AAAAAA", "P-BBBBBB", "P-AAAAAA", None, "P-CCCCCC"],
        "question": [None] * 6 + ["definition"],
        "text": [
            "Table 1 – power",
            "People laughed, then wrote it down.",
            "Who holds the pen?",
            "The council, <b>always</b>.",
            "Funders decide what counts.",
            "Tea break.",
            "Sharing power and money.",
        ],
        "context": ["Summary by table › Table", "Table 1 – power", *[None] * 5],
        "char_start": [0, 30, 0, 20, 40, 60, 0],
    }
)
# The tagger: t1 power only; t2 nothing; t3 funding and power; q1 power.
TAGS = pd.DataFrame(
    {"segment_id": ["t1", "t3", "t3", "q1"], "theme": ["power", "funding", "power", "power"]}
)
UNCODED = ["t1", "t2", "t3", "q1", "n1", "t4", "h1"]  # contributions, other text, headings
ALL = ["h1", "n1", "t1", "t2", "t3", "t4", "q1"]  # document order


def panel(tmp_path, coder="ana", mode="blind", **options):
    return CodingPanel(
        SEGMENTS,
        LABELS,
        coder=coder,
        folder=tmp_path / "data" / "coding",
        tags=TAGS,
        mode=mode,
        names={"s1": "Session 1"},
        questions={"definition": "What does co-production mean to you?"},
        root=tmp_path,
        **options,
    )


def saved(tmp_path, name="ana"):
    """What the coder's file holds: [segment_id, themes, memo] rows; None when there is no file."""
    path = tmp_path / "data" / "coding" / f"{name}.csv"
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return table[["segment_id", "themes", "memo"]].values.tolist()


def run(p, steps):
    for name, *args in steps:
        getattr(p, name)(*args)


# Review mode: every decision is saved, including agreeing with the tagger.
@pytest.mark.parametrize(
    ("steps", "expected", "ticked"),
    [
        ([("tick", "power", False)], [["t1", "", ""]], []),  # the only tag unticked: none applies
        ([("next",)], [["t1", "power", ""]], []),  # agreeing with the tagger is saved on Next
        ([("next",), ("next",)], [["t1", "power", ""], ["t2", "", ""]], ["power", "funding"]),
        ([("write_memo", "why")], [["t1", "power", "why"]], ["power"]),  # memo on pending ticks
        ([("tick", "values")], [["t1", "power;values", ""]], ["power", "values"]),
        ([("tick", "power", False), ("tick", "funding")], [["t1", "funding", ""]], ["funding"]),
        ([("go", 2), ("tick", "power", False)], [["t3", "funding", ""]], ["funding"]),
        ([("go", 2), ("tick", "funding", False), ("tick", "power", False)], [["t3", "", ""]], []),
        ([("previous",)], None, ["power"]),  # moving back is not a decision
        ([("none_applies",), ("clear",)], [], ["power"]),  # taken back: the tags are shown again
        ([("none_applies",), ("next",)], [["t1", "", ""]], []),  # decided: Next saves nothing new
    ],
)
def test_review_mode_saves_every_decision(tmp_path, steps, expected, ticked):
    p = panel(tmp_path, mode="review")
    run(p, steps)
    assert saved(tmp_path) == expected
    assert p.ticked() == ticked


@pytest.mark.parametrize(
    ("steps", "expected", "decided"),
    [
        ([("tick", "power")], [["t1", "power", ""]], True),
        ([("tick", "power"), ("tick", "power", False)], [], False),  # last untick: uncoded
        (
            [("tick", "power"), ("write_memo", "m"), ("tick", "power", False)],
            [["t1", "", "m"]],
            True,
        ),
        ([("next",), ("previous",)], None, False),  # moving saves nothing in blind mode
        ([("none_applies",)], [["t1", "", ""]], True),
        ([("clear",)], None, False),  # uncoding an uncoded segment writes nothing
    ],
)
def test_blind_mode_keeps_its_behaviour(tmp_path, steps, expected, decided):
    p = panel(tmp_path)
    run(p, steps)
    assert saved(tmp_path) == expected
    assert p.decided() is decided


@pytest.mark.parametrize(
    ("mode", "steps", "can_memo"),
    [
        ("blind", [], False),
        ("blind", [("tick", "power")], True),
        ("review", [], True),  # the pre-ticked tags are a pending decision
        ("review", [("next",)], True),  # t2: the tagger found nothing, "none applies" pending
        ("audit", [], False),
        ("settle", [], False),
    ],
)
def test_memo_is_enabled_whenever_a_decision_exists_or_is_pending(tmp_path, mode, steps, can_memo):
    plan = pd.DataFrame(
        {"session_id": ["s1"], "participant": ["P-AAAAAA"], "first_segment": ["t1"]}
    )
    ana, ben = panel(tmp_path, "ana"), panel(tmp_path, "ben")
    ana.tick("power"), ben.tick("funding")  # a disagreement on t1, for settle mode
    p = panel(tmp_path, "cy", mode=mode, plan=plan)
    run(p, steps)
    view = panel_view(p)
    assert p.can_memo() is can_memo
    assert view.controls["memo"].disabled is not can_memo
    if not can_memo:
        with pytest.raises(ValueError, match="first"):
            p.write_memo("too early")


# The view: what a click saves, and what the status line says.
@pytest.mark.parametrize(
    ("mode", "click", "expected", "status", "boxes"),
    [
        ("review", ("themes", "power", False), [["t1", "", ""]], "none applies; saved to", set()),
        ("review", ("next",), [["t1", "power", ""]], "Agreed with the tagger", set()),
        ("review", ("memo", "why"), [["t1", "power", "why"]], "Memo written", {"power"}),
        ("review", ("none", True), [["t1", "", ""]], "None applies on segment 1", set()),
        ("blind", ("themes", "values", True), [["t1", "values", ""]], "Values ticked", {"values"}),
        ("blind", ("next",), None, "Now segment 2 of 7", set()),
        ("blind", ("choose", "all"), None, "7 segment(s) chosen", set()),
        ("blind", ("memo", "too early"), None, "Not done", set()),  # disabled; refused anyway
    ],
)
def test_view_clicks_save_and_say_so(tmp_path, mode, click, expected, status, boxes):
    view = panel_view(panel(tmp_path, mode=mode))
    c = view.controls
    name, *value = click
    if name == "next":
        c["next"].click()
    elif name == "themes":
        c["themes"][value[0]].value = value[1]
    else:
        c[name].value = value[0]
    assert saved(tmp_path) == expected
    said = c["status"].value
    assert status in said
    assert ("saved to data/coding/ana.csv" in said) is (expected is not None)
    assert str(tmp_path) not in said  # never an absolute path
    assert {t for t, box in c["themes"].items() if box.value} == boxes


@pytest.mark.parametrize(
    ("root", "shown"),
    [("project", "data/coding/ana.csv"), ("coding", "ana.csv"), (None, "coding/ana.csv")],
)
def test_the_file_is_named_relative_to_the_project(tmp_path, root, shown):
    roots = {"project": tmp_path, "coding": tmp_path / "data" / "coding", None: None}
    p = CodingPanel(
        SEGMENTS, LABELS, coder="ana", folder=tmp_path / "data" / "coding", root=roots[root]
    )
    assert p.file_label == shown
    p.tick("power")
    assert shown in decision_html(p) and str(tmp_path) not in decision_html(p)


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
    path = tmp_path / "data" / "coding" / "ana.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert table[["segment_id", "themes", "memo", "coder"]].values.tolist() == [
        ["t1", "power", "", "ana"],
        ["t2", "", "", "ana"],
        ["t3", "funding;values", "money as power", "ana"],
    ]
    assert table["coded_at"].str.match(r"^\d{4}-\d\d-\d\dT").all()
    again = panel(tmp_path)  # a new session, as after closing the browser
    assert again.coded() == {"t1": ["power"], "t2": [], "t3": ["funding", "values"]}
    assert again.queue == ["q1", "n1", "t4", "h1"] and again.current["segment_id"] == "q1"
    again.choose("all")
    again.go(4)
    assert again.ticked() == ["funding", "values"] and again.memo() == "money as power"


@pytest.mark.parametrize(
    ("mode", "ticked", "shown"),
    [("blind", [], False), ("review", ["power"], True), ("audit", [], False)],
)
def test_only_review_mode_shows_and_pre_ticks_the_taggers_tags(tmp_path, mode, ticked, shown):
    plan = pd.DataFrame(
        {"session_id": ["s1"], "participant": ["P-AAAAAA"], "first_segment": ["t1"]}
    )
    p = panel(tmp_path, mode=mode, plan=plan)
    view = panel_view(p)
    assert p.current["segment_id"] == "t1"
    assert [t for t, box in view.controls["themes"].items() if box.value] == ticked
    assert ("The tagger found" in view.controls["text"].value) is shown
    assert saved(tmp_path) is None  # showing a segment saves nothing


# The segment being coded is marked in words within its context.
@pytest.mark.parametrize(
    ("by", "step", "before", "after"),
    [
        ("all", 3, "Who holds the pen?", "Funders decide what counts."),  # t2
        ("all", 2, None, "The council"),  # t1: first in its file
        ("session", 0, None, None),  # q1: a survey answer, shown with its question
    ],
)
def test_the_segment_is_marked_within_its_context(tmp_path, by, step, before, after):
    p = panel(tmp_path)
    p.choose(by, session="s2")
    p.go(step)
    page = segment_html(p)
    this = page.index("This segment")
    assert ("Before:" in page) is (before is not None) and ("After:" in page) is (after is not None)
    if before:
        assert page.index("Before:") < page.index(before) < this
    if after:
        assert this < page.index("After:") < page.index(after)
    assert "<b>always" not in page  # participants' text is escaped
    if by == "session":
        assert "What does co-production mean to you?" in page


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("Table 2 – the ladder", {"context": "Summary by table › Table"}, True),
        ("Table 3 – is it always possible?", {"context": "Summary by table › Table"}, True),
        ("Arrivals and warm-up", {}, True),
        ("The table sheet listed:", {}, True),
        ('"the board"', {}, False),  # a quoted sticky note
        ("funders not sitting together", {}, False),  # a list item
        ("Funders decide.", {}, False),  # a sentence
        ("Power", {"speaker": "P-1"}, False),  # somebody said it
        ("Power", {"kind": "transcript"}, False),
        (
            "Table 2 said funding was the main barrier for every group there",
            {"context": "Table"},
            False,
        ),
    ],
)
def test_headings(text, options, expected):
    assert is_heading(text, **options) is expected


@pytest.mark.parametrize(
    ("by", "options", "expected"),
    [
        ("uncoded", {}, UNCODED),
        ("session", {"session": "s2"}, ["q1"]),
        ("theme", {"theme": "power"}, ["t1", "t3", "q1"]),
        ("all", {}, ALL),
        (None, {}, UNCODED),  # the mode's default
    ],
)
def test_choose_segments(tmp_path, by, options, expected):
    assert panel(tmp_path).choose(by, **options) == expected


@pytest.mark.parametrize(
    ("mode", "by"),
    [
        ("review", "audit"),
        ("audit", "all"),
        ("settle", "uncoded"),
        ("blind", "settle"),
        ("blind", "nope"),
    ],
)
def test_a_mode_offers_only_its_choices(tmp_path, mode, by):
    with pytest.raises(ValueError, match=by):
        panel(tmp_path, mode=mode).choose(by)


def test_every_mode_is_offered_and_named():
    assert set(MODES) == set(OFFERED) == {"blind", "review", "audit", "settle"}
    assert {c for offered in OFFERED.values() for c in offered} == set(CHOICES)
    with pytest.raises(ValueError, match="mode"):
        CodingPanel(SEGMENTS, LABELS, coder="ana", folder="/nonexistent", mode="bogus")


# Audit mode: the drawn participants' contributions, blind, uncoded first.
@pytest.mark.parametrize(
    ("participants", "coded", "expected"),
    [
        ([], [], []),
        (["P-AAAAAA"], [], ["t1", "t3"]),
        (["P-AAAAAA"], ["t1"], ["t3", "t1"]),  # coded by me: last
        (["P-AAAAAA", "P-CCCCCC"], ["t3"], ["t1", "q1", "t3"]),
        (["P-GONE"], [], []),  # nobody found
    ],
)
def test_audit_mode_codes_the_drawn_participants(tmp_path, participants, coded, expected):
    firsts = {"P-AAAAAA": "t1", "P-CCCCCC": "q1", "P-GONE": "x9"}
    plan = pd.DataFrame(
        {
            "session_id": ["s2" if p == "P-CCCCCC" else "s1" for p in participants],
            "participant": participants,
            "first_segment": [firsts[p] for p in participants],
        }
    )
    for segment in coded:
        record_code(
            tmp_path / "data" / "coding" / "ana.csv",
            segment_id=segment,
            theme_ids=["values"],
            coder="ana",
        )
    p = panel(tmp_path, mode="audit", plan=plan)
    assert p.queue == expected
    if not participants:
        assert NO_AUDIT in segment_html(p).replace("&#x27;", "'")
    if expected:
        p.tick("power")
        assert saved(tmp_path)[-1] == [expected[0], "power", ""]  # the coder's own file
        assert p.tags() == []  # blind


# Disagreements: every coder's codes and memos are shown; settle mode saves to settled.csv.
CODES = {
    "ana": {"t1": (["power"], "the pen is power"), "t2": (["values"], "")},
    "ben": {"t1": (["funding"], "<i>money</i>"), "t2": (["values"], "")},
    "cy": {"t1": ([], ""), "t3": (["power"], "")},
}


def code_all(tmp_path, coders):
    for coder in coders:
        for segment, (themes, memo) in CODES[coder].items():
            path = tmp_path / "data" / "coding" / f"{coder}.csv"
            record_code(path, segment_id=segment, theme_ids=themes, coder=coder, memo=memo)


@pytest.mark.parametrize(
    ("coders", "queue", "shown"),
    [
        (["ana"], [], []),
        (
            ["ana", "ben"],
            ["t1"],
            ["ana", "Power", "the pen is power", "ben", "Funding and funders", "&lt;i&gt;money"],
        ),
        (
            ["ana", "ben", "cy"],
            ["t1"],
            ["ana", "ben", "cy", "none applies", "Disputed: Power; Funding"],
        ),
    ],
)
@pytest.mark.parametrize(("mode", "by"), [("blind", "disagreed"), ("settle", "settle")])
def test_disagreements_show_every_coders_codes(tmp_path, coders, queue, shown, mode, by):
    code_all(tmp_path, coders)
    p = panel(tmp_path, "dee", mode=mode)
    assert p.choose(by) == queue
    page = segment_html(p)
    assert all(word in page for word in shown), page
    assert "<i>money" not in page
    if queue:
        assert [o["coder"] for o in p.others()] == coders


@pytest.mark.parametrize(
    ("steps", "settled", "left"),
    [
        ([("tick", "power")], [["t1", "power", "dee"]], []),
        ([("none_applies",), ("write_memo", "neither")], [["t1", "", "dee"]], []),
        ([("tick", "power"), ("tick", "power", False)], [], ["t1"]),  # taken back: unsettled
        ([("next",)], None, ["t1"]),  # moving is not settling
    ],
)
def test_settle_mode_saves_to_settled_csv_with_the_settlers_name(tmp_path, steps, settled, left):
    from coprod_analysis.themes.coding import settle

    code_all(tmp_path, ["ana", "ben"])
    p = panel(tmp_path, "dee", mode="settle")
    run(p, steps)
    path = tmp_path / "data" / "coding" / f"{SETTLED}.csv"
    rows = pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else None
    got = None if rows is None else rows[["segment_id", "themes", "coder"]].values.tolist()
    assert got == settled
    assert not (tmp_path / "data" / "coding" / "dee.csv").exists()
    assert settle(read_coding(tmp_path / "data" / "coding"))[1] == left
    assert panel(tmp_path, "dee", mode="settle").queue == left  # a new session


# The busy guard: clicks made while the panel works are ignored; a click never lands on a
# segment other than the one shown when it was made.
CLICKS = {
    "tick": lambda c: setattr(c["themes"]["values"], "value", True),
    "none": lambda c: setattr(c["none"], "value", True),
    "memo": lambda c: setattr(c["memo"], "value", "while busy"),
    "next": lambda c: c["next"].click(),
    "previous": lambda c: c["previous"].click(),
    "choose": lambda c: setattr(c["choose"], "value", "all"),
}


@pytest.mark.parametrize("click", list(CLICKS))
@pytest.mark.parametrize("background", [False, True])
def test_clicks_while_working_are_ignored(tmp_path, click, background):
    release, seen = threading.Event(), {}

    def slow_ranking():
        seen["disabled"] = all(
            w.disabled
            for w in (c["choose"], c["none"], c["memo"], c["next"], *c["themes"].values())
        )
        seen["working"] = "Working" in c["status"].value
        CLICKS[click](c)  # a click made while it works
        release.wait(5)
        return ["q1", "t3"]

    if not background:
        release.set()  # in the call: nothing else can release it
    p = panel(tmp_path, mode="review", suggested=slow_ranking)
    p.go(1)  # on t2, so Previous could move
    view = panel_view(p, background=background)
    c = view.controls
    c["choose"].value = "suggested"
    release.set()
    view.wait(5)
    assert seen == {"disabled": True, "working": True}
    assert saved(tmp_path) is None  # nothing saved on t2, nor on q1
    assert (p.choice, p.queue, p.position) == ("suggested", ["q1", "t3"], 0)
    assert "2 segment(s) chosen" in c["status"].value
    assert not c["next"].disabled and c["choose"].value == "suggested"


@pytest.mark.parametrize("click", ["tick", "none", "memo", "next"])
def test_a_click_never_lands_on_another_segment(tmp_path, click):
    p = panel(tmp_path, mode="review")
    view = panel_view(p)
    p.go(2)  # the panel moved behind the view's back (another cell): t3, not the t1 shown
    CLICKS[click](view.controls)
    assert saved(tmp_path) is None
    assert "nothing was saved" in view.controls["status"].value
    assert "Funders decide" in view.controls["text"].value  # the view now shows t3


def test_suggested_next_uses_the_ranking(tmp_path):
    calls = []

    def ranking():
        calls.append(1)
        return ["q1", "t1", "t3"]

    p = panel(tmp_path, suggested=ranking)
    p.tick("power")  # t1 is coded already
    assert not p.ready("suggested")
    assert p.choose("suggested") == ["q1", "t3"]
    assert p.ready("suggested") and p.choose("suggested") == ["q1", "t3"] and calls == [1]


def test_suggested_next_on_the_sample_answers_within_3_seconds(sample_results, tmp_path):
    import time

    from coprod_analysis.config import paths
    from coprod_analysis.panel import coding_panel
    from coprod_analysis.pipeline.suggest import suggest_coding

    ranked = pd.read_parquet(sample_results.processed / "suggested.parquet")
    segments = pd.read_parquet(sample_results.processed / "segments.parquet")
    assert sorted(ranked["segment_id"]) == sorted(
        segments["segment_id"]
    )  # the tag stage ranked all
    where = paths(processed=sample_results.processed, coding=tmp_path)
    p = coding_panel("ana", where=where)
    start = time.perf_counter()
    ids = p.choose("suggested")
    assert time.perf_counter() - start < 3
    assert ids == list(suggest_coding(n=len(segments), where=where)["segment_id"])
    uncertainty = ranked.set_index("segment_id")["uncertainty"]
    assert len(ids) > 100 and uncertainty[ids].is_monotonic_decreasing  # least certain first
