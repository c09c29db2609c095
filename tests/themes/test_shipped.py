"""What the repository ships in data/models: keyed by the bundled data, and safe to load."""

import json

import numpy as np
import pandas as pd
import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.config import MODELS, load_project, paths
from coprod_analysis.embeddings import (
    EmbeddingCache,
    read_vectors,
    shipped_path,
    text_key,
    write_vectors,
)
from coprod_analysis.errors import Problems
from coprod_analysis.pipeline import training_data
from coprod_analysis.themes import read_statements
from coprod_analysis.themes.learned import SHIPPED_NOTE, learn_themes
from coprod_analysis.themes.shipped import (
    decision_path,
    read_decision,
    statements_key,
    write_decision,
)
from tests.conftest import CONFIG, ROOT

CODEBOOK = load_codebook(CONFIG / "codebook.yml")
REPORT = pd.DataFrame(
    {
        "theme": ["power", "funding"],
        "n": [10, 10],
        "positives": [5, 5],
        "f1_rules_semantic": [0.5, 0.6],
        "f1_learned": [0.7, float("nan")],
        "used": [True, False],
        "note": ["", "too few coded examples"],
    }
)


@pytest.fixture(scope="module")
def bundled():
    where = paths(root=ROOT)
    project = load_project(where.config)
    texts, codes = training_data(where, project, CODEBOOK, problems=Problems())
    return where, project, texts, codes


def test_the_shipped_cross_validation_fits_the_bundled_statements(bundled):
    # fails when the statements, codebook, thresholds, encoder or settings change: rebuild
    # with scripts/build_models.py
    where, project, texts, codes = bundled
    model = project.embeddings.model
    key = statements_key(texts, codes, CODEBOOK, model=model)
    found = read_decision(decision_path(where.root / MODELS, model), key=key)
    assert found is not None, "data/models is stale: run scripts/build_models.py"
    assert set(found["theme"]) == set(CODEBOOK.ids)


def test_the_shipped_vectors_cover_every_bundled_statement(bundled):
    where, project, texts, _ = bundled
    model = project.embeddings.model
    scored, _ = read_statements(
        where.root / project.themes.reliability_statements, theme_ids=CODEBOOK.ids
    )
    vectors = read_vectors(shipped_path(where.root / MODELS, model), model=model)
    wanted = {text_key(t) for t in [*texts["text"], *scored["text"]]}
    assert wanted <= set(vectors), "data/models is stale: run scripts/build_models.py"
    assert {v.shape for v in vectors.values()} == {(384,)}


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (None, True),
        ("other key", False),
        ("other format", False),
        ("not json", False),
        ("used is text", False),
        ("no theme", False),
    ],
)
def test_a_decision_is_read_only_for_its_own_key(tmp_path, change, found):
    path = tmp_path / "learned.json"
    write_decision(path, REPORT, key="k")
    body = json.loads(path.read_text())
    if change == "other key":
        body["key"] = "other"
    elif change == "other format":
        body["format"] = 99
    elif change == "used is text":
        body["report"][0]["used"] = "yes"
    elif change == "no theme":
        body["report"][0]["theme"] = None
    path.write_text("{not json" if change == "not json" else json.dumps(body))
    read = read_decision(path, key="k")
    assert (read is not None) is found
    if found:
        assert read["used"].tolist() == [True, False]
        assert read["f1_learned"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("change", "count"),
    [(None, 2), ("other model", 0), ("garbage", 0), ("keys do not fit", 0)],
)
def test_shipped_vectors_are_read_only_when_whole(tmp_path, change, count):
    path = tmp_path / "v.safetensors"
    vectors = {"a": np.ones(3, "float32"), "b": np.zeros(3, "float32")}
    write_vectors(path, vectors, model=None)
    if change == "garbage":
        path.write_bytes(b"\x00" * 40)
    elif change == "keys do not fit":
        from safetensors.numpy import save

        header = {"format": "1", "model": "all-MiniLM-L6-v2", "keys": json.dumps(["a"])}
        path.write_bytes(save({"vectors": np.ones((2, 3), "float32")}, metadata=header))
    model = "other-model" if change == "other model" else None
    assert len(read_vectors(path, model=model)) == count


def test_the_cache_uses_shipped_vectors_and_never_writes_them_back(tmp_path):
    shipped = tmp_path / "models"
    shipped.mkdir()
    write_vectors(shipped_path(shipped), {text_key("old"): np.ones(384, "float32")}, model=None)
    cache = EmbeddingCache(tmp_path, shipped=shipped)
    assert text_key("old") in cache.vectors
    cache.vectors[text_key("new")] = np.zeros(384, "float32")
    cache.added = 1
    cache.save()
    with np.load(cache.path, allow_pickle=False) as saved:
        assert saved["keys"].tolist() == [text_key("new")]


def test_a_shipped_decision_fits_only_the_themes_it_chose():
    segments, codes = read_statements(
        ROOT / "tests" / "data" / "final2_statements.csv", theme_ids=CODEBOOK.ids
    )
    decided = pd.DataFrame(
        {
            "theme": CODEBOOK.ids,
            "n": 1,
            "positives": 1,
            "f1_rules_semantic": 0.5,
            "f1_learned": 0.6,
            "used": [theme == "funding" for theme in CODEBOOK.ids],
            "note": "",
        }
    )
    learned = learn_themes(segments, codes, CODEBOOK, decided=decided)
    assert sorted(learned.models) == ["funding"]
    chosen = learned.report.set_index("theme")
    assert chosen.loc["funding", "note"] == SHIPPED_NOTE
    assert chosen.loc["funding", "f1_learned"] == 0.6
