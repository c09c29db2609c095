import re

import pytest

from coprod_analysis.errors import InputError
from coprod_analysis.privacy.people import People
from coprod_analysis.privacy.pseudonyms import KEY_ENV, load_key, normalise_name, pseudonym

KEY = b"k" * 32


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jane Smith", "jane smith"),
        ("Zoë Campbell", "Zoe  Campbell"),
        ("Seán Ó Briain", "sean o briain"),
        ("O’Neil", "O'Neil"),
    ],
)
def test_same_person_same_pseudonym(a, b):
    assert pseudonym(a, KEY) == pseudonym(b, KEY)


def test_pseudonym_shape_and_key_dependence():
    p = pseudonym("Jane Smith", KEY)
    assert re.fullmatch(r"P-[A-Z0-9]{6}", p)
    assert p != pseudonym("Jane Smith", b"x" * 32)
    assert p != pseudonym("John Smith", KEY)


def test_normalise_name():
    assert normalise_name("  Zoë   O’Neil ") == "zoe o'neil"


def test_key_created_once_then_reused(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "config" / "pseudonym.key"
    key, created = load_key(path)
    assert created and len(key) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert load_key(path) == (key, False)


def test_env_key_wins_and_bad_key_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "ab" * 16)
    assert load_key(tmp_path / "none.key") == (b"\xab" * 16, False)
    monkeypatch.setenv(KEY_ENV, "not hex")
    with pytest.raises(
        InputError, match="COPROD_PSEUDONYM_KEY: the pseudonym key is not at least 32 hex"
    ):
        load_key(tmp_path / "none.key")


@pytest.fixture
def people():
    found = People(frozenset({"facilitator", "co-facilitator"}))
    found.add_facilitators(["Amina Rahman"])
    for name in [
        "Priya Nair",
        "Priya",
        "Jo",
        "Jo Bloggs",
        "Jo Brown",
        "Facilitator (Callum Reid)",
        "Speaker 2",
        "jane@x.org",
    ]:
        found.add(name)
    return found


@pytest.mark.parametrize(
    ("identity", "canonical"),
    [
        ("Priya", "priya nair"),
        ("priya nair", "priya nair"),
        ("Jo", "jo"),  # two full names start with Jo: not linked
        ("Amina", "Facilitator"),
        ("Amina Rahman", "Facilitator"),
        ("Co-facilitator", "Facilitator"),
        ("Facilitator (Callum Reid)", "Facilitator"),
        ("Callum Reid", "Facilitator"),
        ("Speaker 2", "s2/t.vtt#speaker 2"),
        ("Jane@X.org", "jane@x.org"),
        ("Dr Priya Nair", "priya nair"),
        ("Priya's iPhone", "priya nair"),
        ("Priya Nair's iPad (2)", "priya nair"),
        ("Cllr. Jo Bloggs", "jo bloggs"),
    ],
)
def test_canonical(people, identity, canonical):
    assert people.canonical(identity, source="s2/t.vtt") == canonical


def test_names_for_redaction_exclude_roles_and_emails(people):
    assert people.all_names() == {
        "Amina Rahman",
        "Callum Reid",
        "Priya Nair",
        "Priya",
        "Jo",
        "Jo Bloggs",
        "Jo Brown",
    }
