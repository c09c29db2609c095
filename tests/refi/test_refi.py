"""REFI-QDA: codebook and project export (schema-valid, stable), import from other tools."""

import io
import re
import uuid
import warnings
import zipfile
from types import SimpleNamespace

import pandas as pd
import pytest

from coprod_analysis import cli
from coprod_analysis.codebooks import load_codebook
from coprod_analysis.errors import CoprodWarning, InputError, Problems
from coprod_analysis.refi import (
    TAGGER_USERS,
    codebook_qdc,
    guid,
    read_qdpx,
    schema_errors,
    write_qdpx,
)
from tests.conftest import CONFIG, docx_bytes

SAMPLES = CONFIG.parent / "tests" / "data" / "refi-qda"  # copies of ../shared/refi-qda/samples
CODEBOOK = load_codebook(CONFIG / "codebook.yml")

SEGMENTS = pd.DataFrame(
    {
        "segment_id": ["n1", "n2", "n3", "v1", "v2"],
        "session_id": ["s1", "s1", "s1", "s1", "s1"],
        "source_file": ["s1/notes.md"] * 3 + ["s1/survey.csv"] * 2,
        "source_kind": ["notes"] * 3 + ["survey"] * 2,
        "speaker": ["P-AAAAAA", None, "Facilitator", "P-BBBBBB", "P-CCCCCC"],
        "question": [None, None, None, "wishlist", "wishlist"],
        "context": ["Table 1 – power", "Table 1 – power", "Close", None, None],
        "text": [
            "The council decides everything before we are in the room.",
            "Nobody mentioned money at all.",
            "Thanks all, same time in March.",
            "Funding that lasts longer than a year, please.",
            "Unlearning the habit of <b>fixing</b> things for people.",
        ],
        "char_start": [10, 80, 120, 5, 90],
    }
)
SESSIONS = pd.DataFrame({"session_id": ["s1"], "date": pd.to_datetime(["2023-11-14"])})
CORPUS = SimpleNamespace(sessions=SESSIONS, segments=SEGMENTS)
TAGS = pd.DataFrame(
    {
        "segment_id": ["n1", "n1", "v1", "v2"],
        "theme": ["power", "values", "funding", "unlearning"],
        "method": ["rule", "learned", "semantic", "rule"],
    }
)


def pairs(table: pd.DataFrame) -> set[tuple[str, str]]:
    table = table.dropna(subset=["theme", "segment_id"])
    return set(zip(table["segment_id"], table["theme"], strict=True))


@pytest.fixture
def exported(tmp_path):
    return write_qdpx(tmp_path / "out.qdpx", CORPUS, TAGS, CODEBOOK, origin="test")


# --- codebook -------------------------------------------------------------------------------


def test_codebook_export_is_valid_stable_and_complete():
    xml = codebook_qdc(CODEBOOK)
    assert schema_errors(xml, kind="codebook") == []
    assert xml == codebook_qdc(CODEBOOK)  # a re-export matches the last one
    assert b"<Sets" not in xml  # an empty <Sets> would break the schema
    for theme in CODEBOOK.themes:
        expected = str(uuid.uuid5(uuid.UUID("{" + _namespace() + "}"), f"theme:{theme.id}")).upper()
        assert f'guid="{expected}"'.encode() in xml
        assert f'color="{theme.colour.upper()}"'.encode() in xml


def _namespace() -> str:
    from coprod_analysis.refi.guids import NAMESPACE

    return str(NAMESPACE)


def test_codebook_round_trip_through_qdc(tmp_path):
    path = tmp_path / "exported.qdc"
    path.write_bytes(codebook_qdc(CODEBOOK))
    with pytest.warns(CoprodWarning, match="rely on semantic matching"):
        back = load_codebook(path)
    assert [t.label for t in back.themes] == [t.label for t in CODEBOOK.themes]
    assert [t.colour for t in back.themes] == [t.colour.upper() for t in CODEBOOK.themes]
    assert [t.description for t in back.themes] == [
        " ".join(t.description.split()) for t in CODEBOOK.themes
    ]
    assert back.ids[0] == "power_and_enabling_spaces"
    assert not any(t.patterns.phrases or t.patterns.tokens for t in back.themes)


QDC_NESTED = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" xmlns:mx="urn:example:maxqda" origin="MAXQDA 2022">
  <Codes>
    <Code guid="{a182cd3a-d83c-4d8c-bc80-26d9103ec6d6}" name="Power" isCodable="false" color="#abc">
      <Code guid="2d2466f0-d77f-4f8c-bdf9-628966b6b74d" name="Who decides?" isCodable="true" color="#abc">
        <Description>Who sets the agenda and makes the decision.</Description>
      </Code>
      <Code guid="086AC733-7B1C-4749-A138-D7182F63A5C9" name="Who decides" isCodable="true" mx:extra="1"/>
    </Code>
    <Code guid="186AC733-7B1C-4749-A138-D7182F63A5C9" name="2022 grants" isCodable="true" color="red"/>
  </Codes>
  <Sets><Set guid="286AC733-7B1C-4749-A138-D7182F63A5C9" name="A set"/></Sets>
</CodeBook>
"""


def test_codebook_import_tolerates_categories_braces_namespaces_and_odd_colours(tmp_path):
    path = tmp_path / "maxqda.qdc"
    path.write_text(QDC_NESTED, encoding="utf-8")
    assert (
        len(schema_errors(QDC_NESTED, kind="codebook")) == 2
    )  # a foreign attribute, colour "red": still read
    with pytest.warns(CoprodWarning):
        book = load_codebook(path)
    rows = [(t.id, t.label, t.colour, t.description) for t in book.themes]
    assert rows == [
        ("who_decides", "Who decides?", "#AABBCC", "Who sets the agenda and makes the decision."),
        ("who_decides_2", "Who decides", "#88CCEE", "Who decides"),
        ("code_2022_grants", "2022 grants", "#44AA99", "2022 grants"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<CodeBook", "the codebook is not well-formed XML"),
        ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "has no <CodeBook><Codes> element"),
        (
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{a182cd3a-d83c-4d8c-bc80-26d9103ec6d6}" '
            'name="Folder" isCodable="false"/></Codes></CodeBook>',
            "has no codable code",
        ),
    ],
)
def test_bad_codebooks_give_one_line_errors(tmp_path, text, message):
    path = tmp_path / "bad.qdc"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        load_codebook(path)
    assert "bad.qdc" in str(caught.value) and "\n" not in str(caught.value)


# --- project export -------------------------------------------------------------------------


def test_project_export_is_valid_and_stable(exported, tmp_path):
    archive = zipfile.ZipFile(exported)
    qde = archive.read("project.qde")
    assert schema_errors(qde, kind="project") == []
    assert sorted(archive.namelist()) == sorted(
        ["project.qde"]
        + [f"sources/{guid('source', f)}.txt" for f in ("s1/notes.md", "s1/survey.csv")]
    )
    again = write_qdpx(tmp_path / "again.qdpx", CORPUS, TAGS, CODEBOOK, origin="test")
    assert again.read_bytes() == exported.read_bytes()


def test_project_codings_point_at_the_segment_text(exported):
    archive = zipfile.ZipFile(exported)
    xml = archive.read("project.qde").decode()
    notes = archive.read(f"sources/{guid('source', 's1/notes.md')}.txt").decode()
    survey = archive.read(f"sources/{guid('source', 's1/survey.csv')}.txt").decode()
    spans = re.findall(r'name="(s1/[^"]+)"|startPosition="(\d+)" endPosition="(\d+)"', xml)
    found, source = [], None
    for name, start, end in spans:
        if name:
            source = notes if name.endswith("notes.md") else survey
        else:
            found.append(source[int(start) : int(end)])
    text = dict(zip(SEGMENTS["segment_id"], SEGMENTS["text"], strict=True))
    assert sorted(found) == sorted(text[s] for s in TAGS["segment_id"])
    assert "## Table 1 – power\n\nP-AAAAAA: The council decides" in notes
    assert (
        "P-CCCCCC · wishlist: Unlearning the habit of <b>fixing</b>" in survey
    )  # text, not markup
    assert "&lt;b&gt;fixing" in xml  # escaped inside the XML


def test_project_has_a_user_per_method_and_sessions_and_speakers_as_cases(exported):
    xml = zipfile.ZipFile(exported).read("project.qde").decode()
    for method in ("rule", "semantic", "learned"):
        assert f'name="{TAGGER_USERS[method]}"' in xml
    assert 'name="Session s1"' in xml and 'name="Speaker P-AAAAAA"' in xml
    assert "<DateValue>2023-11-14</DateValue>" in xml and 'name="Session date"' in xml


def test_round_trip_gives_back_the_same_codings(exported):
    problems = Problems()
    back = read_qdpx(exported, segments=SEGMENTS, codebook=CODEBOOK, tagger=True, problems=problems)
    assert pairs(back) == pairs(TAGS)
    assert set(back.dropna(subset=["theme"])["coder"]) == {TAGGER_USERS[m] for m in TAGS["method"]}
    assert problems.lines() == []
    people_only = read_qdpx(exported, segments=SEGMENTS, codebook=CODEBOOK)
    assert people_only.empty  # only the tagger coded this file


HAND = pd.DataFrame(
    {
        "segment_id": ["n1", "n1", "n2", "v2"],
        "theme": ["power", "funding", None, "unlearning"],
        "coder": ["ana", "ana", "ana", "ben"],
        "memo": ["who decides <first>", "who decides <first>", "", ""],
    }
)


def test_hand_codes_and_memos_travel_as_selections_and_notes(tmp_path):
    path = write_qdpx(tmp_path / "hand.qdpx", CORPUS, TAGS, CODEBOOK, origin="test", codes=HAND)
    xml = zipfile.ZipFile(path).read("project.qde")
    assert schema_errors(xml, kind="project") == []
    text = xml.decode()
    note = guid("note", "n1:coder:ana")
    assert f'<NoteRef targetGUID="{note}"' in text
    assert f'<Note guid="{note}"' in text and "who decides &lt;first&gt;" in text
    assert 'name="ana"' in text and 'name="ben"' in text
    back = read_qdpx(path, segments=SEGMENTS, codebook=CODEBOOK)  # people's codes only
    got = {
        (c, s, t)
        for c, s, t in zip(back["coder"], back["segment_id"], back["theme"], strict=True)
        if t == t
    }
    assert got == {("ana", "n1", "power"), ("ana", "n1", "funding"), ("ben", "v2", "unlearning")}


def test_export_of_the_hostile_run_holds_no_personal_data(hostile_report, tmp_path):
    from coprod_analysis.results import read_results
    from tests.conftest import HOSTILE_PERSON

    results = read_results(hostile_report.processed)
    path = write_qdpx(tmp_path / "h.qdpx", results.corpus, results.themes, CODEBOOK, origin="test")
    archive = zipfile.ZipFile(path)
    everything = "\n".join(archive.read(n).decode() for n in archive.namelist()).lower()
    name, email, phone = HOSTILE_PERSON
    assert all(s not in everything for s in (*name.lower().split(), email, phone))
    assert schema_errors(archive.read("project.qde"), kind="project") == []


# --- import from other tools ----------------------------------------------------------------

USER = "{5b1d3f52-0a56-4c1e-9d5a-1f2e3d4c5b6a}"
CODE_POWER = "{7c9e6679-7425-40de-944b-e07fc1f90ae7}"
CODE_MONEY = "a3bb189e-8bf9-3888-9912-ace4e6543002"
CODE_CAT = "9f8e7d6c-5b4a-4321-8fed-cba987654321"


def foreign_qdpx(
    folder: str = "Sources",
    *,
    extra_sources: str = "",
    notes_text: str | None = None,
    plain_copy: bool = False,
) -> bytes:
    """A project as another tool might write it: its own text layout, odd GUIDs, a namespace."""
    notes_text = notes_text or (
        "Table 1\nThe council decides everything before we are in the room.\nNobody mentioned money at all.\n"
    )
    start = notes_text.index("The council")
    end = start + len("The council decides everything")
    money = notes_text.index("money")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:nv="urn:example:nvivo" name="coded" origin="NVivo 14">
  <Users><User guid="{USER}" name="Ana"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_CAT}" name="Power and enabling spaces" isCodable="false">
      <Code guid="{CODE_POWER}" name="Who decides" isCodable="true"/>
    </Code>
    <Code guid="{CODE_MONEY}" name="FUNDING" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{{11111111-2222-3333-4444-555555555555}}" name="notes" plainTextPath="internal://aaaa.txt" nv:colour="3">
      <PlainTextSelection guid="21111111-2222-3333-4444-555555555555" startPosition="{start}" endPosition="{end}" creatingUser="{USER.lower()}">
        <Coding guid="31111111-2222-3333-4444-555555555555"><CodeRef targetGUID="{CODE_POWER.upper()}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="41111111-2222-3333-4444-555555555555" startPosition="{money}" endPosition="{money + 5}">
        <Coding guid="51111111-2222-3333-4444-555555555555" creatingUser="{USER.strip("{}")}"><CodeRef targetGUID="{{{CODE_MONEY}}}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="61111111-2222-3333-4444-555555555555" startPosition="5" endPosition="99999">
        <Coding guid="71111111-2222-3333-4444-555555555555" creatingUser="{USER}"><CodeRef targetGUID="{CODE_MONEY}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="81111111-2222-3333-4444-555555555555" name="survey.docx" richTextPath="internal://bbbb.docx"{' plainTextPath="internal://bbbb.txt"' if plain_copy else ""}>
      <PlainTextSelection guid="91111111-2222-3333-4444-555555555555" startPosition="0" endPosition="30">
        <Coding guid="a1111111-2222-3333-4444-555555555555" creatingUser="{USER}"><CodeRef targetGUID="{CODE_MONEY}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="b1111111-2222-3333-4444-555555555555" name="minutes.pdf" path="internal://c.pdf"/>
    {extra_sources}
  </Sources>
  <nv:Extra>ignored</nv:Extra>
</Project>
"""
    survey = docx_bytes(
        [("p", "Funding that lasts longer than a year, please."), ("p", "Other things.")]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", xml)
        archive.writestr(f"{folder}/aaaa.txt", notes_text)
        archive.writestr(f"{folder}/bbbb.docx", survey)
        if plain_copy:
            archive.writestr(
                f"{folder}/bbbb.txt",
                "Funding that lasts longer than a year, please.\nOther things.\n",
            )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("folder", "plain_copy"), [("Sources", False), ("sources", False), ("Sources", True)]
)
def test_import_from_another_tool_aligns_codes_by_text(tmp_path, folder, plain_copy):
    path = tmp_path / "nvivo.qdpx"
    path.write_bytes(foreign_qdpx(folder, plain_copy=plain_copy))
    with pytest.warns(CoprodWarning) as caught:
        codes = read_qdpx(path, segments=SEGMENTS, codebook=CODEBOOK)
    coded = codes.dropna(subset=["theme"])
    assert sorted(
        zip(coded["segment_id"], coded["theme"], coded["code"], coded["category"], strict=True)
    ) == [
        ("n1", "power", "Who decides", "Power and enabling spaces"),
        ("n2", "funding", "FUNDING", ""),
        ("v1", "funding", "FUNDING", ""),
    ]
    assert set(codes["coder"]) == {"Ana"}
    # the rest of each coded source counts as "coded, no theme"
    assert set(codes.loc[codes["theme"].isna(), "segment_id"]) == {"n3", "v2"}
    messages = " | ".join(str(w.message) for w in caught)
    assert "selection 5–99999 is outside its text" in messages
    assert "PDFSource is not supported" in messages
    assert (
        "only a .docx copy" in messages
    ) is not plain_copy  # the plain-text copy is used when there


def test_problems_in_a_project_name_the_file_the_source_and_the_fix(tmp_path):
    path = tmp_path / "nvivo.qdpx"
    path.write_bytes(foreign_qdpx())
    problems = Problems()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # given a collector, nothing is shown as a warning
        read_qdpx(path, segments=SEGMENTS, codebook=CODEBOOK, problems=problems)
    assert len(problems) >= 2
    assert {p.path for p in problems} == {"nvivo.qdpx"}
    assert all(p.fix for p in problems)
    assert any(p.place and p.place.startswith("source ") for p in problems)


def test_imported_codes_feed_agreement_directly(tmp_path):
    import coprod_analysis as cp

    path = tmp_path / "nvivo.qdpx"
    path.write_bytes(foreign_qdpx())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoprodWarning)
        human = read_qdpx(path, segments=SEGMENTS, codebook=CODEBOOK)
    table = cp.agreement(TAGS, human, theme_ids=["power", "funding"]).set_index("theme")
    assert table.loc["power", ["tp", "fp", "fn"]].tolist() == [1, 0, 0]
    assert table.loc["funding", ["tp", "fp", "fn"]].tolist() == [1, 0, 1]  # n2 is Ana's alone


def test_atlas_ti_samples_import():
    for name in ("atlasti-blank.qdpx", "atlasti-target.qdpx"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # nothing to warn about
            codes = read_qdpx(SAMPLES / name, segments=SEGMENTS, codebook=CODEBOOK)
        assert codes.empty and list(codes.columns)[:5] == [
            "source",
            "start",
            "end",
            "code",
            "category",
        ]


def _zip(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a zip", "is not a readable .qdpx (zip) file"),
        (lambda: foreign_qdpx()[:200], "is not a readable .qdpx (zip) file"),
        (lambda: _zip({"sources/a.txt": "x"}), "has no project.qde inside"),
        (lambda: _zip({"project.qde": "<Project><Users>"}), "project.qde is not well-formed XML"),
        (
            lambda: _zip({"project.qde": "<CodeBook/>"}),
            "the root element is <CodeBook>, not <Project>",
        ),
    ],
)
def test_hostile_files_give_one_line_errors(tmp_path, data, message):
    path = tmp_path / "hostile.qdpx"
    path.write_bytes(data() if callable(data) else data)
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        read_qdpx(path)
    assert "hostile.qdpx" in str(caught.value) and "Fix:" in str(caught.value)


def test_offsets_beyond_the_text_are_skipped_with_a_warning(tmp_path):
    path = tmp_path / "short.qdpx"
    path.write_bytes(foreign_qdpx(notes_text="The council decides everything. money"))
    with pytest.warns(CoprodWarning) as caught:
        codes = read_qdpx(path)
    assert any("outside its text" in str(w.message) for w in caught)
    assert (codes["end"] <= 200).all() and len(codes) == 3


# --- command line ---------------------------------------------------------------------------


def test_cli_exports_and_measures_agreement_with_a_coder(sample_results, tmp_path, capsys):
    folders = [
        "--processed",
        str(sample_results.processed),
        "--reports",
        str(tmp_path),
        "--config",
        str(CONFIG),
    ]
    assert cli.main(["export-qdc", *folders]) == 0
    assert cli.main(["export-qdpx", *folders]) == 0
    out = capsys.readouterr().out
    assert (
        "9 codes, valid against Codebook-mrt2019.xsd" in out
        and "valid against Project-mrt2019.xsd" in out
    )
    qde = zipfile.ZipFile(tmp_path / "coproduction.qdpx").read("project.qde").decode()
    # a researcher reviews: one more user, who re-codes every selection the tagger made as power
    qde = qde.replace("<Users>", f'<Users><User guid="{USER}" name="Ana"/>', 1)
    qde = re.sub(r'(<Coding guid="[^"]+") creatingUser="[^"]+"', rf'\1 creatingUser="{USER}"', qde)
    qde = re.sub(
        r'<CodeRef targetGUID="[^"]+"', f'<CodeRef targetGUID="{guid("theme", "power")}"', qde
    )
    source = zipfile.ZipFile(tmp_path / "coproduction.qdpx")
    coded = tmp_path / "coded.qdpx"
    coded.write_bytes(
        _zip({n: (qde if n == "project.qde" else source.read(n)) for n in source.namelist()})
    )
    assert cli.main(["agreement", *folders, "--qdpx", str(coded)]) == 0
    out = capsys.readouterr().out
    assert "Automatic tags vs Ana" in out
    power = next(line for line in out.splitlines() if line.strip().startswith("power "))
    assert float(power.split()[-1]) < 1.0  # Ana's codes differ from the tagger's


def test_cli_agreement_on_a_corrupt_file_is_one_line(sample_results, tmp_path, capsys):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"PK\x03\x04 broken")
    code = cli.main(["agreement", "--processed", str(sample_results.processed), "--qdpx", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "bad.qdpx" in err
