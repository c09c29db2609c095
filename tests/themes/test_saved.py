"""The learned classifier saved without pickle: rebuilt exactly, and never run from a file."""

import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.pipeline.training import cached_classifier
from coprod_analysis.themes.learned import learn_themes
from coprod_analysis.themes.saved import learned_bytes, learned_from_bytes
from coprod_analysis.themes.tag import tag_segments
from tests.conftest import CONFIG, ROOT

CODEBOOK = load_codebook(CONFIG / "codebook.yml")
MARKER = "coprod-pickle-ran"


@pytest.fixture(scope="module")
def learned():
    from coprod_analysis.themes import read_statements

    segments, codes = read_statements(
        ROOT / "tests" / "data" / "final2_statements.csv", theme_ids=CODEBOOK.ids
    )
    return learn_themes(segments, codes, CODEBOOK)


class Boom:
    """An object whose unpickling would leave a marker file: proof that code ran."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def tampered(learned, tmp_path, how: str) -> bytes:
    good = learned_bytes(learned, key="k")
    if how == "garbage":
        return b"\x00" * 64
    if how == "truncated":
        return good[: len(good) // 2]
    if how == "other key":
        return learned_bytes(learned, key="other")
    if how == "pickled object":
        return npz(meta=np.array([Boom(str(tmp_path / MARKER))], dtype=object))
    if how == "bad meta":
        return npz(meta=np.array("{not json"))
    if how == "missing array":
        with zipfile.ZipFile(io.BytesIO(good)) as z:
            keep = {n: z.read(n) for n in z.namelist() if not n.startswith("coef")}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name, data in keep.items():
                z.writestr(name, data)
        return out.getvalue()
    raise AssertionError(how)


def test_round_trip_tags_exactly_the_same(learned):
    again = learned_from_bytes(learned_bytes(learned, key="k"), key="k")
    assert again is not None and again.used == learned.used
    segments = pd.DataFrame(
        {
            "segment_id": ["a", "b", "c"],
            "text": [
                "Funders decide what counts and we write to please them.",
                "We stopped doing the annual survey because nobody read it.",
                "Lunch is at one in the community hall.",
            ],
        }
    )
    before = tag_segments(segments, CODEBOOK, learned=learned)
    after = tag_segments(segments, CODEBOOK, learned=again)
    pd.testing.assert_frame_equal(before, after)


@pytest.mark.parametrize(
    "how", ["garbage", "truncated", "other key", "pickled object", "bad meta", "missing array"]
)
def test_an_unusable_file_is_refused_and_never_run(learned, tmp_path, how):
    assert learned_from_bytes(tampered(learned, tmp_path, how), key="k") is None
    assert not (tmp_path / MARKER).exists()


@pytest.mark.parametrize(
    ("how", "retrained"),
    [(None, False), ("garbage", True), ("pickled object", True), ("other key", True)],
)
def test_the_stage_reuses_or_retrains(learned, tmp_path, how, retrained):
    texts = pd.DataFrame({"segment_id": ["x"], "text": ["t"]})
    codes = pd.DataFrame({"segment_id": ["x"], "theme": ["power"]})
    calls = []

    def train():
        calls.append(1)
        return learned

    first = cached_classifier(
        tmp_path, texts, codes, CODEBOOK, model="default", train=train, echo=print
    )
    path = tmp_path / "learned-default.npz"
    assert first is learned and path.is_file() and calls == [1]
    if how is not None:
        meta = json.loads(str(np.load(path, allow_pickle=False)["meta"]))
        key = meta["key"]
        data = (
            tampered(learned, tmp_path, how)
            if how != "other key"
            else learned_bytes(learned, key=key + "x")
        )
        path.write_bytes(data)
    second = cached_classifier(
        tmp_path, texts, codes, CODEBOOK, model="default", train=train, echo=print
    )
    assert len(calls) == 1 + retrained
    assert second.used == learned.used
    assert not (tmp_path / MARKER).exists()
