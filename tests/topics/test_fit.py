import subprocess
import sys

import pandas as pd
import pytest

from coprod_analysis.embeddings import EmbeddingCache
from coprod_analysis.errors import InputError
from coprod_analysis.topics import fit_topics, load_topic_model, save_topic_model
from coprod_analysis.topics.fit import INFO_COLUMNS, TOPIC_COLUMNS
from coprod_analysis.topics.stoplist import noise_words, words
from tests.topics.conftest import CODEBOOK, corpus


@pytest.mark.parametrize("n", [0, 1, 19])
def test_tiny_corpus_gives_a_message_not_a_crash(n):
    seg = corpus(10).head(n)
    result = fit_topics(seg, codebook=CODEBOOK)
    assert not result and result.topic_model is None
    assert f"only {n} segment(s)" in result.message and "at least 20" in result.message
    assert list(result.topics.columns) == TOPIC_COLUMNS and result.topics.empty


def test_one_question_alone():
    seg = corpus(10).assign(question=None)
    seg.loc[:4, "question"] = "wishlist"
    assert "answering 'wishlist'" in fit_topics(seg, codebook=CODEBOOK, question="wishlist").message


def test_missing_text_column():
    with pytest.raises(InputError, match="no text column"):
        fit_topics(pd.DataFrame({"segment_id": ["a"]}), codebook=CODEBOOK)


@pytest.fixture(scope="module")
def fitted():
    cache = EmbeddingCache(None)
    return fit_topics(corpus(40), codebook=CODEBOOK, cache=cache), cache


def test_same_input_same_topics(fitted):
    first, cache = fitted
    again = fit_topics(corpus(40), codebook=CODEBOOK, cache=cache)
    assert first.topics["topic"].tolist() == again.topics["topic"].tolist()


def test_cache_means_a_second_run_embeds_nothing_new(fitted):
    _, cache = fitted
    before = cache.added
    fit_topics(corpus(40), codebook=CODEBOOK, cache=cache)
    assert cache.added == before


def test_topics_map_to_known_themes(fitted):
    result, _ = fitted
    seg = corpus(40)
    merged = result.topics.merge(seg[["segment_id", "group"]], on="segment_id")
    main = merged.groupby("group")["topic"].agg(lambda s: s.value_counts().index[0])
    assert main.nunique() == 3  # each known group has its own main topic
    info = result.topic_info.set_index("topic")
    assert info.loc[main["funding"], "nearest_theme"] == "funding"
    assert info.loc[main["power"], "nearest_theme"] == "power"
    food = merged.loc[merged.group == "food", "topic"].unique()
    assert info.loc[food, "emergent"].all()  # the codebook has no catering theme
    assert not info.loc[[main["funding"], main["power"]], "emergent"].any()
    assert (
        info.loc[food, "suggested_keywords"].str.len().gt(0).all()
    )  # words to paste into the codebook
    assert all(len(r) <= 3 for r in info["representative"])


def test_labels_are_phrases_without_stop_listed_words(fitted):
    result, _ = fitted
    info = result.topic_info
    assert list(info.columns) == INFO_COLUMNS
    # the fixture's fillers ("At our table", "Someone said") and "buffet table" are in the
    # model's own top words, but not in any label, keyword or suggestion
    assert info["top_words"].map(noise_words).map(bool).any()
    for column in ("label", "word_label", "keywords", "suggested_keywords"):
        assert not info[column].map(noise_words).map(bool).any(), column
    assert info["label"].map(lambda label: 3 <= len(words(label)) <= 7).all()
    assert "," not in "".join(info["label"])  # phrases, not word lists
    assert info["label"].is_unique
    labels = dict(zip(info["topic"], info["label"], strict=True))
    assert result.topics["topic_label"].tolist() == result.topics["topic"].map(labels).tolist()
    assert info["facilitation"].dtype == bool and not info["facilitation"].any()
    # labelling embedded through the package's cache on a copy: the model keeps its embedder
    assert type(result.topic_model.embedding_model).__name__ == "SentenceTransformerBackend"


def test_shares_are_shares_of_each_sessions_segments(fitted):
    result, _ = fitted
    totals = result.shares.groupby("session_id")["share"].sum()
    assert totals.round(9).eq(1.0).all()
    assert (result.shares["n_segments"] == 60).all()
    assert result.over_sessions is not None and set(result.over_sessions["Timestamp"]) == {1, 2}


def test_save_and_load_with_the_offline_model(fitted, tmp_path):
    result, _ = fitted
    folder = save_topic_model(result.topic_model, tmp_path / "topic_model")
    assert (folder / "topic_embeddings.safetensors").is_file()
    loaded = load_topic_model(folder)
    assert (
        loaded.get_topic_info()["Topic"].tolist()
        == result.topic_model.get_topic_info()["Topic"].tolist()
    )


OFFLINE = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network blocked by the test")
socket.socket.connect = refuse
socket.create_connection = refuse
from tests.topics.conftest import CODEBOOK, corpus
from coprod_analysis.topics import fit_topics
result = fit_topics(corpus(30), codebook=CODEBOOK)
print(bool(result), len(result.topic_info))
"""


def test_topics_fit_with_the_network_blocked():
    out = subprocess.run(
        [sys.executable, "-c", OFFLINE], capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1].startswith("True ")


def test_guided_mode_seeds_with_the_codebook_and_leaves_embeddings_alone(monkeypatch):
    import importlib

    import numpy as np

    fit_module = importlib.import_module("coprod_analysis.topics.fit")
    real_embed = fit_module.embed
    embedded = []  # each array fit_topics got from embed, and a copy of it as it was then

    def recording_embed(*args, **kwargs):
        vectors = real_embed(*args, **kwargs)
        embedded.append((vectors, np.array(vectors, copy=True)))
        return vectors

    monkeypatch.setattr(fit_module, "embed", recording_embed)
    seg = corpus(40)
    given = seg.copy(deep=True)
    result = fit_topics(seg, codebook=CODEBOOK, guided=True, cache=EmbeddingCache(None))
    assert result and len(result.topic_model.seed_topic_list) == len(CODEBOOK.ids)
    # Guided BERTopic pulls the embeddings it is given toward the seeds, in place; the
    # segments' own vectors (which map topics to themes) must not be changed by it.
    assert embedded
    for vectors, as_embedded in embedded:
        np.testing.assert_array_equal(vectors, as_embedded)
    pd.testing.assert_frame_equal(seg, given)  # nor the caller's segments
