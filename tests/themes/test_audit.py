"""The audit plan: a random draw per session, kept, topped up, and found again under a new key."""

import pandas as pd
import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.themes.audit import (
    PLAN_COLUMNS,
    audit_segments,
    draw,
    drawn,
    plan_path,
    read_plan,
    write_plan,
)

EMPTY = pd.DataFrame(columns=PLAN_COLUMNS)


def segments(sizes, *, prefix="P"):
    """Sessions with ``sizes[s]`` participants, two contributions each."""
    rows = [
        {"segment_id": f"{s}-{i}-{j}", "session_id": s, "speaker": f"{prefix}-{s}-{i}"}
        for s, n in sizes.items()
        for i in range(n)
        for j in range(2)
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("sizes", "participants", "sessions", "expected"),
    [
        ({"s1": 10, "s2": 10}, 3, None, {"s1": 3, "s2": 3}),  # stratified by session
        ({"s1": 10, "s2": 2}, 3, None, {"s1": 3, "s2": 2}),  # fewer people than asked: all
        ({"s1": 10, "s2": 10}, 3, ["s2"], {"s2": 3}),  # one session only
    ],
)
def test_draw_is_per_session(sizes, participants, sessions, expected):
    plan = draw(
        segments(sizes), EMPTY, participants=participants, seed=1, sessions=sessions, at="t"
    )
    assert plan.groupby("session_id").size().to_dict() == expected
    assert set(plan["seed"]) == {"1"}


def test_the_same_seed_draws_the_same_people_and_another_seed_others():
    table = segments({"s1": 30})
    one = draw(table, EMPTY, participants=5, seed=7, at="t")
    assert one.equals(draw(table, EMPTY, participants=5, seed=7, at="t"))
    assert set(one["participant"]) != set(
        draw(table, EMPTY, participants=5, seed=8, at="t")["participant"]
    )


def test_a_second_run_draws_nothing_new_and_a_larger_one_tops_up():
    table = segments({"s1": 20})
    plan = draw(table, EMPTY, participants=4, seed=1, at="t")
    assert draw(table, plan, participants=4, seed=2, at="t").equals(plan)
    bigger = draw(table, plan, participants=6, seed=2, at="t")
    assert len(bigger) == 6 and bigger.iloc[:4].equals(plan)
    assert list(bigger["seed"]) == ["1"] * 4 + ["2"] * 2


def test_a_new_pseudonym_key_finds_the_same_people_through_their_segments():
    plan = draw(segments({"s1": 10}), EMPTY, participants=3, seed=1, at="t")
    renamed = segments({"s1": 10}, prefix="Q")  # same segment ids, new pseudonyms
    assert sorted(drawn(renamed, plan)["participant"]) == sorted(
        p.replace("P-", "Q-") for p in plan["participant"]
    )
    # and the same seed draws the same people under the new key
    again = draw(renamed, EMPTY, participants=3, seed=1, at="t")
    assert list(again["first_segment"]) == list(plan["first_segment"])


def test_audit_segments_are_every_contribution_of_the_drawn():
    table = segments({"s1": 5})
    plan = draw(table, EMPTY, participants=2, seed=3, at="t")
    found = audit_segments(table, plan)
    assert len(found) == 4
    assert {sid.rsplit("-", 1)[0] for sid in found} == {
        f"s1-{p.rsplit('-', 1)[1]}" for p in plan["participant"]
    }


def test_the_plan_is_kept_in_the_coding_folder_and_read_back(tmp_path):
    plan = draw(segments({"s1": 5}), EMPTY, participants=2, seed=3, at="t")
    write_plan(plan_path(tmp_path), plan)
    assert (tmp_path / "audit.csv").is_file()
    assert read_plan(plan_path(tmp_path)).equals(plan.astype(str))
    assert read_plan(tmp_path / "none.csv").empty


@pytest.mark.parametrize(
    ("body", "message"),
    [("session_id,participant\ns1,P-1\n", "missing column"), (b"\xff\xfe\x00bad", "readable")],
)
def test_a_broken_plan_names_the_file_and_the_fix(tmp_path, body, message):
    path = tmp_path / "audit.csv"
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    with pytest.raises(InputError, match=message) as raised:
        read_plan(path)
    assert "audit.csv" in str(raised.value) and "Fix:" in str(raised.value)


def test_at_least_one_participant():
    with pytest.raises(ValueError, match="at least 1"):
        draw(segments({"s1": 3}), EMPTY, participants=0, seed=1)
