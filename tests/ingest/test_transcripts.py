import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.ingest.notes import SpeakerRule
from coprod_analysis.ingest.transcripts import read_transcript

TEAMS = """WEBVTT

NOTE exported by Teams

6d3f-1/12-0
00:00:01.000 --> 00:00:04.500
<v Jane Smith>We hold the pen.</v>

6d3f-1/13-0
00:00:04.500 --> 00:00:06.000 align:start
<v Jane Smith>Every time.</v>

6d3f-1/14-0
01:00:07.250 --> 01:00:09.000
<v.loud John Doe>Fish &amp; chips <i>later</i></v>
"""

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:02.000
Jane Smith: First point

2
00:00:02.000 --> 00:00:03.000
Jane Smith: carried on

3
00:00:05.000 --> 00:00:06.000
Action: not a speaker
"""

SRT = """1
00:00:01,000 --> 00:00:02,000
Priya: Budgets first.

2
00:00:02,500 --> 00:00:04,000
Euan MacLeod: No, people first.
"""

NO_SPEAKERS = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello there.\n\n00:00:02.000 --> 00:00:03.000\nSecond cue\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "teams.vtt",
            TEAMS,
            [
                ("Jane Smith", 1.0, "We hold the pen. Every time."),
                ("John Doe", 3607.25, "Fish & chips later"),
            ],
        ),
        (
            "zoom.vtt",
            ZOOM,
            [("Jane Smith", 1.0, "First point carried on"), (None, 5.0, "Action: not a speaker")],
        ),
        (
            "otter.srt",
            SRT,
            [("Priya", 1.0, "Budgets first."), ("Euan MacLeod", 2.5, "No, people first.")],
        ),
        ("plain.vtt", NO_SPEAKERS, [(None, 1.0, "Hello there. Second cue")]),
        (
            "zoom-lower.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\newan robertson: Aye.\n\n"
            "00:00:02.000 --> 00:00:03.000\nEwan's iPhone: Sorry, camera off.\n",
            [("ewan robertson", 1.0, "Aye."), ("Ewan's iPhone", 2.0, "Sorry, camera off.")],
        ),
        (
            "captions.srt",
            "1\n00:00:01,000 --> 00:00:02,000\n[Hamish Munro] We need\n\n"
            "2\n00:00:02,000 --> 00:00:03,000\nthe community in.\n\n"
            "3\n00:00:03,000 --> 00:00:04,000\n[laughter]\n\n"
            "4\n00:00:04,000 --> 00:00:05,000\n(Isla Ross) Agreed.\n",
            [
                ("Hamish Munro", 1.0, "We need the community in. [laughter]"),
                ("Isla Ross", 4.0, "Agreed."),
            ],
        ),
    ],
)
def test_turns(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    rule = SpeakerRule.make(not_speakers=["Action"], facilitator_labels=[])
    source = read_transcript(path, display=name, rule=rule)
    assert [(u.speaker, u.start_time, source.unit_text(u)) for u in source.units] == expected
    assert source.kind == "transcript"
    for unit in source.units:  # offsets index the rendered plain text
        assert source.plain_text[unit.start : unit.end] == source.unit_text(unit)


def test_a_file_without_cues_is_refused(tmp_path):
    path = tmp_path / "t.vtt"
    path.write_text("WEBVTT\n\nthis is not a cue\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.vtt: has no timed cues"):
        read_transcript(path, display="t.vtt", rule=SpeakerRule())
