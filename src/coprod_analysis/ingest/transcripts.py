"""WebVTT and SubRip transcripts as Microsoft Teams, Zoom and Otter export them."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from coprod_analysis.errors import InputError
from coprod_analysis.ingest.decode import read_text
from coprod_analysis.ingest.notes import TURN, SpeakerRule
from coprod_analysis.ingest.source import Source, Unit

TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
TAG = re.compile(r"</?[^>\s][^>]*>")
# Caption style: "[Hamish Munro] words" or "(Hamish Munro) words", the speaker in brackets.
CAPTION = re.compile(r"^\s*(?:\[(?P<square>[^\]\n]{1,60})\]|\((?P<round>[^)\n]{1,60})\))\s*:?\s*")
# What captions put in brackets that is not a speaker.
SOUNDS = frozenset(
    {
        "applause", "background noise", "coughs", "coughing", "crosstalk", "cross talk",
        "foreign", "inaudible", "indistinct", "laughs", "laughter", "music", "no audio",
        "noise", "pause", "silence", "sighs", "speaking foreign language", "unclear",
        "unintelligible",
    }
)  # fmt: skip
# Without speakers, a turn ends at a sentence end once it is this long (words).
_UNLABELLED_TURN = 40


@dataclass
class Cue:
    """One cue: when it starts (seconds), who speaks (if known) and what is said."""

    start: float
    speaker: str | None
    text: str


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _cue_payload(lines: list[str], rule: SpeakerRule) -> tuple[str | None, str, bool]:
    """Return a cue's speaker, its words, and whether the speaker came in brackets."""
    payload = " ".join(line.strip() for line in lines if line.strip())
    voice = VOICE.search(payload)
    text = html.unescape(TAG.sub("", payload)).strip()
    if voice:
        return voice["name"].strip(), " ".join(text.split()), False
    caption = CAPTION.match(text)
    if caption:
        label = (caption["square"] or caption["round"]).strip()
        if label.casefold() not in SOUNDS and rule.is_speaker(label):
            return label, " ".join(text[caption.end() :].split()), True
    turn = TURN.match(text)
    if turn and rule.is_speaker(turn["label"].strip(), any_case=True):
        return turn["label"].strip(), " ".join(text[turn.end() :].split()), False
    return None, " ".join(text.split()), False


def parse_cues(text: str, *, display: str, rule: SpeakerRule) -> list[Cue]:
    """Parse the cues of a WebVTT or SubRip file.

    ``NOTE``, ``STYLE`` and ``REGION`` blocks, cue numbers and cue settings are skipped;
    ``<v Name>`` voice tags, ``Name:`` prefixes (in any case: video-call display names are
    often lower case) and caption-style ``[Name]`` or ``(Name)`` (capitalised, so ``[door
    closes]`` is not a speaker) give the speaker. Captions
    name the speaker only when it changes, so after a bracketed name the cues that follow
    without one are that speaker's; ``[laughter]`` and other sounds are not speakers.

    Raises:
        InputError: the file has no timed cues at all.

    Example:
        >>> from coprod_analysis.ingest.notes import SpeakerRule
        >>> from coprod_analysis.ingest.transcripts import parse_cues
        >>> vtt = "WEBVTT\\n\\n00:00:01.000 --> 00:00:02.000\\n<v Jane Smith>Hello</v>\\n"
        >>> parse_cues(vtt, display="t.vtt", rule=SpeakerRule())
        [Cue(start=1.0, speaker='Jane Smith', text='Hello')]
    """
    cues: list[Cue] = []
    captioned: str | None = None  # the last speaker named in brackets
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            timing = TIMING.match(line)
            if timing:
                speaker, words, bracketed = _cue_payload(lines[i + 1 :], rule)
                if bracketed:
                    captioned = speaker
                elif speaker is None:
                    speaker = captioned
                else:
                    captioned = None
                if words:
                    cues.append(Cue(_seconds(timing["start"]), speaker, words))
                break
    if not cues and text.strip():
        raise InputError(
            display,
            None,
            "has no timed cues (lines like '00:00:01.000 --> 00:00:04.000')",
            fix="export the transcript again as .vtt or .srt, or save it as .txt notes",
        )
    return cues


def merge_turns(cues: list[Cue]) -> list[Cue]:
    """Merge consecutive cues by the same speaker into one turn, keeping the first start.

    Cues with no speaker are merged too, but a turn of them ends at a sentence end once
    it has 40 words, so an unlabelled transcript does not become one long segment.

    Example:
        >>> from coprod_analysis.ingest.transcripts import Cue, merge_turns
        >>> from coprod_analysis.ingest.transcripts import merge_turns
        >>> merge_turns([Cue(1.0, "Jo", "Hi."), Cue(2.0, "Jo", "Yes."), Cue(3.0, "Al", "No.")])
        [Cue(start=1.0, speaker='Jo', text='Hi. Yes.'), Cue(start=3.0, speaker='Al', text='No.')]
    """
    turns: list[Cue] = []
    for cue in cues:
        last = turns[-1] if turns else None
        closed = (
            last is not None
            and last.speaker is None
            and len(last.text.split()) >= _UNLABELLED_TURN
            and last.text.rstrip().endswith((".", "?", "!"))
        )
        if last is not None and last.speaker == cue.speaker and not closed:
            last.text = f"{last.text} {cue.text}"
        else:
            turns.append(Cue(cue.start, cue.speaker, cue.text))
    return turns


def read_transcript(path: str | Path, *, display: str, rule: SpeakerRule) -> Source:
    """Read a ``.vtt`` or ``.srt`` transcript into a :class:`Source` of kind ``transcript``.

    The plain text has one paragraph per merged turn, ``Speaker: words``, separated by
    blank lines; each unit's offsets cover the words, and its ``start_time`` is the
    turn's first cue start in seconds.

    Raises:
        InputError: the file is binary or has no timed cues.

    Example:
        >>> read_transcript("data/raw/s2/transcript.vtt", display="s2/transcript.vtt",
        ...                 rule=SpeakerRule())  # doctest: +SKIP
    """
    turns = merge_turns(parse_cues(read_text(path, display=display), display=display, rule=rule))
    pieces: list[str] = []
    units: list[Unit] = []
    pos = 0
    for turn in turns:
        prefix = f"{turn.speaker}: " if turn.speaker else ""
        piece = prefix + turn.text
        start = pos + len(prefix)
        units.append(Unit(start, start + len(turn.text), turn.speaker, start_time=turn.start))
        pieces.append(piece)
        pos += len(piece) + 2
    return Source(display, "transcript", "\n\n".join(pieces), units)
