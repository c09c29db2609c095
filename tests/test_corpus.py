import pandas as pd
import pytest

from coprod_analysis.corpus import SCHEMAS, frame, read_corpus
from coprod_analysis.errors import InputError
from coprod_analysis.ingest import ingest
from coprod_analysis.outputs import write_tables
from tests.conftest import CONFIG


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_empty_frames_have_the_contract_columns(name):
    assert list(frame(name, [])) == list(SCHEMAS[name])


def test_written_tables_read_back_equal(make_raw, tmp_path):
    corpus = ingest(make_raw(), config=CONFIG)
    write_tables(tmp_path / "p", corpus.tables())
    back = read_corpus(tmp_path / "p")
    for name, df in corpus.tables().items():
        pd.testing.assert_frame_equal(df, back.tables()[name])


def test_read_corpus_before_ingest_says_what_to_run(tmp_path):
    with pytest.raises(InputError, match="run `coprod ingest`"):
        read_corpus(tmp_path)


def test_counts(make_raw):
    counts = ingest(make_raw(), config=CONFIG).counts()
    assert counts[["session_id", "notes", "survey", "segments"]].values.tolist() == [
        ["s1", 3, 0, 3],
        ["s2", 0, 0, 0],
    ]
