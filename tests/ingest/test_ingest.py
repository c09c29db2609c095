"""End to end on the bundled sample: the tables, privacy, stability and traceability."""

import re

import pandas as pd
import pytest

from coprod_analysis.config import load_project
from coprod_analysis.errors import Problems
from coprod_analysis.ingest import ingest
from coprod_analysis.ingest.readers import read_source
from coprod_analysis.privacy.people import People
from coprod_analysis.privacy.pseudonyms import pseudonym
from coprod_analysis.privacy.redact import Redactor
from tests.conftest import CONFIG, SAMPLE_RAW, snapshot

# Every fictional person planted in the sample data (see data/raw/README.md).
PLANTED = [
    "Amina Rahman",
    "Callum Reid",
    "Morag Sinclair",
    "Priya Nair",
    "Euan MacLeod",
    "Mhairi Thomson",
    "Kirsty Duncan",
    "Tariq Hussain",
    "Shona Fraser",
    "Jamie Robertson",
    "Fiona Mackenzie",
    "Aisha Bello",
    "Craig Milne",
    "Ravi Sharma",
    "Zoë Campbell",
    "Seán Ó Briain",
    "Gordon Stewart",
    "Rebecca Ogilvie",
    "Lewis Paterson",
    "Hannah Walker",
    "Isla Gordon",
    "Elspeth Cowie",
    "Connor Wallace",
    "Sandy Grant",
    "Olumide Adeyemi",
    "Declan Murray",
    "Ahmed Khalil",
    "Marek Nowak",
    "Niamh Doyle",
    "Lorna Bruce",
    "Bethany Hay",
]


@pytest.fixture(scope="module")
def corpus():
    return ingest(SAMPLE_RAW, config=CONFIG)


def all_text(corpus) -> str:
    return "\n".join(df.astype(str).to_csv(index=False) for df in corpus.tables().values())


def test_sample_shape(corpus):
    assert corpus.sessions["session_id"].tolist() == [
        "s1-what-is-coproduction",
        "s2-examples",
        "s3-power-and-funding",
        "s4-unlearning",
    ]
    assert corpus.sessions["order"].tolist() == [1, 2, 3, 4]
    assert "venue" in corpus.sessions and "facilitators" not in corpus.sessions
    assert set(corpus.segments["source_kind"]) == {"notes", "transcript", "survey"}
    assert corpus.segments["segment_id"].is_unique
    assert corpus.warnings == [] and corpus.unmapped == {}
    counts = corpus.counts().set_index("session_id")
    assert counts["respondents"].between(12, 20).all()
    assert set(corpus.responses["question"]) == {
        "organisation",
        "sector",
        "ladder_now",
        "ladder_hoped",
        "confidence",
    }
    assert set(corpus.segments["question"].dropna()) == {"definition", "wishlist"}


@pytest.mark.parametrize("name", PLANTED)
def test_no_planted_name_in_any_table(corpus, name):
    text = all_text(corpus)
    assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I)
    for token in (name.split()[0], name.split()[-1]):
        if token != "Grant":  # also an ordinary word ("grant cycles"), matched only capitalised
            assert not re.search(rf"(?<!\w){re.escape(token)}(?!\w)", text), token


def test_no_contact_details(corpus):
    text = all_text(corpus)
    assert not re.search(r"@example\.(org|com)", text)
    assert not re.search(r"07700 ?900|496 ?00|7946 ?0|01632 ?960", text)
    assert not re.search(r"\bAB\d{1,2} ?\d[A-Z]{2}\b", text)
    for tag in ("[NAME]", "[EMAIL]", "[PHONE]", "[POSTCODE]"):
        assert tag in text


def test_same_person_same_pseudonym_in_every_session(corpus, key):
    priya = pseudonym("Priya Nair", key)
    sessions = corpus.responses.loc[corpus.responses.respondent == priya, "session_id"]
    assert sessions.nunique() == 4
    spoke = corpus.segments.loc[corpus.segments.speaker == priya, "source_kind"]
    assert {"notes", "survey"} <= set(spoke)  # linked from "Priya:" turns and survey rows


def test_offsets_trace_back_to_the_source():
    # Known names only: the recogniser's own redactions are tested in tests/privacy.
    project = load_project(CONFIG)
    privacy = project.privacy.model_copy(update={"names_model": ""})
    corpus = ingest(
        SAMPLE_RAW, config=CONFIG, project=project.model_copy(update={"privacy": privacy})
    )
    people = People(frozenset(project.privacy.facilitator_labels))
    for name in PLANTED:
        people.add(name)
    redact = Redactor.for_names(people.all_names())
    for source_file, rows in corpus.segments.groupby("source_file"):
        source = read_source(
            SAMPLE_RAW / source_file, display=source_file, project=project, problems=Problems()
        )
        for row in rows.itertuples():
            original = " ".join(source.plain_text[row.char_start : row.char_end].split())
            assert redact(original) == row.text


def test_two_ingests_give_identical_tables(corpus):
    again = ingest(SAMPLE_RAW, config=CONFIG)
    for name, df in corpus.tables().items():
        pd.testing.assert_frame_equal(df, again.tables()[name])


def test_ingest_never_writes_raw(make_raw):
    raw = make_raw()
    before = snapshot(raw)
    ingest(raw, config=CONFIG)
    assert snapshot(raw) == before
