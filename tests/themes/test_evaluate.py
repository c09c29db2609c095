"""Agreement on the shipped hand-coded sample and the development set (rules only: fast).

The floors sit a little under what the tagger measured when they were written, so a change
that makes the tagger worse fails here. Figures with semantic matching and the classifier are
printed by `coprod agreement`.
"""

import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.ingest import ingest
from coprod_analysis.themes.coding import read_human_codes
from coprod_analysis.themes.evaluate import evaluate, evaluate_statements
from tests.conftest import CONFIG, ROOT, SAMPLE_RAW

CODEBOOK = load_codebook(CONFIG / "codebook.yml")


@pytest.fixture(scope="module")
def sample():
    corpus = ingest(SAMPLE_RAW, config=CONFIG)
    human = read_human_codes(SAMPLE_RAW / "human_codes.csv", theme_ids=CODEBOOK.ids)
    return evaluate("sample", corpus.segments, human, CODEBOOK, semantic=False)


def test_hand_coded_sample_covers_enough(sample):
    assert sample.n_segments >= 60
    assert (sample.table.set_index("theme").loc[CODEBOOK.ids[:4], "human"] >= 12).all()


@pytest.mark.parametrize(
    ("theme", "kappa"), [("funding", 0.9), ("power", 0.55), ("values", 0.6), ("(all themes)", 0.55)]
)
def test_agreement_on_hand_coded_sample(sample, theme, kappa):
    assert sample.table.set_index("theme").loc[theme, "kappa"] >= kappa


@pytest.mark.parametrize("theme", ["power", "funding", "unlearning", "values"])
def test_core_themes_on_development_set(theme):
    result = evaluate_statements(
        ROOT / "config" / "written" / "dev_statements.csv", CODEBOOK, semantic=False
    )
    row = result.table.set_index("theme").loc[theme]
    assert row["macro_f1"] >= 0.8 and row["kappa"] >= 0.7, row.to_dict()
