"""The command line as an evaluator runs it: exit codes, one-line errors, safe outputs."""

import re

import pandas as pd
import pytest

from coprod_analysis import cli
from tests.conftest import CONFIG, docx_bytes, snapshot

GOOD_NOTES = "Jane Smith: We hold the pen.\n"
LADDER = "Your name,Where is your organisation on the ladder of participation now?,What does co-production mean to you?\n"


def run(raw, processed, *extra, command="ingest", config=CONFIG):
    args = ["--raw", str(raw), "--processed", str(processed), "--config", str(config)]
    return cli.main([command, *args, *extra])


@pytest.fixture
def processed(tmp_path):
    return tmp_path / "processed"


@pytest.fixture
def quick_config(tmp_path):
    """The shipped config without training statements: the classifier learns from the raw
    folder's hand-coding alone, in seconds (training on the bundled sets takes minutes, and the
    tests that need it share one run: ``sample_results``)."""
    import shutil

    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    project = config / "project.yml"
    text = project.read_text("utf-8")
    start = text.index("  training_statements:")
    end = text.index("  reliability_statements:")
    project.write_text(text[:start] + "  training_statements: []\n" + text[end:], "utf-8")
    return config


def test_ingest_writes_tables_and_prints_summary(make_raw, processed, capsys):
    raw = make_raw()
    assert run(raw, processed) == 0
    out = capsys.readouterr().out
    assert "2 sessions, 3 segments (notes 3, transcript 0, survey 0)" in out
    assert "Warnings (1):" in out
    assert "raw/s2: the session folder holds no files" in out
    names = sorted(p.name for p in processed.iterdir())
    assert names == [
        "responses.csv",
        "responses.parquet",
        "run.json",
        "segments.csv",
        "segments.parquet",
        "sessions.csv",
        "sessions.parquet",
    ]


FATAL = [
    ({"s1/notes.md": GOOD_NOTES}, None, "sessions.csv: the session manifest is missing"),
    (
        {"s1/notes.md": GOOD_NOTES},
        "session_id,date,title\ns1,2023-11-14,A\ns1,2023-11-15,B\n",
        "line 3: duplicate session_id 's1'",
    ),
    (
        {"s1/notes.md": GOOD_NOTES},
        "session_id,date,title\ns1,someday,A\n",
        "line 2: date 'someday' for 's1' is not a date",
    ),
    (
        {"s1/notes.docx": b"PK\x03\x04 truncated"},
        "",
        "s1/notes.docx: is not a readable Word document",
    ),
    ({"s1/notes.txt": b"\x00\x01\x02binary\x00"}, "", "s1/notes.txt: is a binary file, not text"),
    (
        {
            "s1/survey.csv": LADDER
            + "Jane,top rung,Sharing power with the people who use services.\n"
        },
        "",
        "ladder answer 'top rung' is not one of the rungs: coercion",
    ),
    ({"s1/survey.xlsx": b"not a workbook"}, "", "s1/survey.xlsx: is not a readable Excel workbook"),
]


@pytest.mark.parametrize(
    ("files", "manifest", "message"),
    FATAL,
    ids=[
        "no-manifest",
        "duplicate",
        "bad-date",
        "corrupt-docx",
        "binary-txt",
        "bad-rung",
        "corrupt-xlsx",
    ],
)
def test_fatal_input_exit_2_one_line_nothing_written(
    make_raw, processed, capsys, files, manifest, message
):
    good = make_raw({"s1/notes.md": GOOD_NOTES})
    assert run(good, processed) == 0
    before_out = snapshot(processed)
    (good / "s1" / "notes.md").unlink()
    raw = make_raw(files, **({} if manifest == "" else {"manifest": manifest}))
    before_raw = snapshot(raw)
    capsys.readouterr()
    assert run(raw, processed) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert message in err and "Fix: " in err and "Traceback" not in err
    assert snapshot(processed) == before_out
    assert snapshot(raw) == before_raw


def test_warnings_do_not_stop_the_run(make_raw, processed, capsys):
    raw = make_raw(
        {
            "s1/notes.md": GOOD_NOTES,
            "s1/empty.txt": "",
            "s1/slides.pdf": b"%PDF",
            "s9/x.md": "stray",
        }
    )
    (raw / "s2").rmdir()
    (raw / "s1" / "survey.csv").write_text(
        "Your name,How confident do you feel explaining co-production?\nJo,Very confident\n"
    )
    assert run(raw, processed) == 0
    out = capsys.readouterr().out
    for expected in [
        "raw/s9: this folder is not in sessions.csv, so its files were skipped",
        "sessions.csv, line 3: session 's2' has no folder raw/s2/",
        "s1/empty.txt: is empty; skipped",
        "s1/slides.pdf: file type .pdf is not supported; skipped",
        "s1/survey.csv: has no recognisable free-text column",
    ]:
        assert expected in out


def test_internal_error_is_exit_1_one_line(make_raw, processed, capsys, monkeypatch):
    import coprod_analysis.pipeline.ingest as stage

    monkeypatch.setattr(stage, "write_tables", lambda *a, **k: 1 / 0)
    assert run(make_raw(), processed) == 1
    err = capsys.readouterr().err
    assert err.startswith("internal error: ZeroDivisionError") and err.count("\n") == 1


def test_report_runs_the_stages_and_summarises(make_raw, processed, capsys, quick_config):
    assert run(make_raw(), processed, command="report", config=quick_config) == 0
    out = capsys.readouterr().out
    assert "[1/" in out and "Summary" in out and "total" in out


def test_help_lists_every_command(capsys):
    registered = set(cli.cli.commands)
    assert {"ingest", "tag", "topics", "report", "audit", "export-qdc", "export-qdpx"} <= registered
    assert cli.main(["--help"]) == 0
    commands = capsys.readouterr().out.split("\nCommands:\n", 1)[1]
    # one line per command, indented by two spaces (wrapped help is indented further)
    assert set(re.findall(r"^  (\S+)", commands, flags=re.MULTILINE)) == registered


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        ([("h1", "Notes"), ("p", "Jane Smith: hello there")], [("Notes", "hello there")]),
        (
            [
                ("h1", "Table 1"),
                ("p", "Jane Smith: We hold the pen."),
                ("p", "Callum Reid: The funders decide."),
                ("p", "Jane Smith: Then share the pen."),
            ],
            [
                ("Table 1", "We hold the pen."),
                ("Table 1", "The funders decide."),
                ("Table 1", "Then share the pen."),
            ],
        ),
    ],
)
def test_docx_with_turns_through_the_cli(make_raw, processed, blocks, expected):
    raw = make_raw({"s1/t.docx": docx_bytes(blocks)})
    assert run(raw, processed) == 0
    segments = pd.read_csv(processed / "segments.csv")
    # each turn is a segment, without its speaker label, under its heading
    assert list(zip(segments["context"], segments["text"], strict=True)) == expected
    assert set(segments["source_file"]) == {"s1/t.docx"}
    assert set(segments["source_kind"]) == {"notes"}
    speakers = [line.split(":")[0] for kind, line in blocks if kind == "p"]
    pseudonym = dict(zip(speakers, segments["speaker"], strict=True))
    assert segments["speaker"].tolist() == [pseudonym[s] for s in speakers]  # same person, same
    assert len(set(pseudonym.values())) == len(pseudonym)  # different people, different
    assert all(re.fullmatch(r"P-[0-9A-Z]+", p) for p in pseudonym.values())


def test_first_run_creates_the_key_with_a_notice(
    make_raw, processed, tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("COPROD_PSEUDONYM_KEY")
    config = tmp_path / "config"
    config.mkdir()
    (config / "project.yml").write_text((CONFIG / "project.yml").read_text())
    raw = make_raw()
    args = ["ingest", "--raw", str(raw), "--processed", str(processed), "--config", str(config)]
    assert cli.main(args) == 0
    assert f"Created a new pseudonym key at {config / 'pseudonym.key'}" in capsys.readouterr().out
    first = (processed / "segments.csv").read_text()
    assert cli.main(args) == 0
    assert "Created a new pseudonym key" not in capsys.readouterr().out
    assert (processed / "segments.csv").read_text() == first  # same key, same pseudonyms


def test_person_named_in_a_file_name_does_not_reach_the_tables(make_raw, processed):
    raw = make_raw(
        {"s1/notes.md": GOOD_NOTES, "s1/chat-with-jane-smith.md": "Budgets came up again."}
    )
    assert run(raw, processed) == 0
    text = (processed / "segments.csv").read_text()
    assert "s1/chat-with-[NAME]-[NAME].md" in text and "jane" not in text.lower()


def test_tag_writes_themes_and_prints_counts_per_session(make_raw, processed, capsys, quick_config):
    raw = make_raw(
        {"s1/notes.md": "Jane Smith: Funders hold the purse strings.\n\nTrust takes time.\n"}
    )
    assert run(raw, processed) == 0
    args = ["--raw", str(raw), "--processed", str(processed), "--config", str(quick_config)]
    assert cli.main(["tag", *args]) == 0
    out = capsys.readouterr().out
    assert "Segments per theme per session (checked codes win):" in out and "funding" in out
    import pandas as pd

    themes = pd.read_parquet(processed / "themes.parquet")
    assert list(themes.columns) == ["segment_id", "theme", "method", "score", "evidence", "coder"]
    assert {"funding", "values"} <= set(themes["theme"])
    tagged = pd.read_parquet(processed / "tagged.parquet")  # the tagger's own codes
    assert list(tagged.columns) == ["segment_id", "theme", "method", "score", "evidence"]
    assert (processed / "checked.parquet").is_file()
    assert (processed / "themes.csv").is_file() and (
        processed / "embeddings-all-MiniLM-L6-v2.npz"
    ).is_file()


def test_tag_before_ingest_says_what_to_run(make_raw, processed, capsys):
    assert run(make_raw(), processed, command="tag") == 2
    assert "run `coprod ingest`" in capsys.readouterr().err


def test_agreement_prints_tables_for_each_set(make_raw, processed, capsys, tmp_path):
    statements = tmp_path / "s.csv"
    statements.write_text(
        "id,text,themes\na,Funders set the terms.,funding;power\nb,The urn is broken.,\n"
    )
    args = ["--raw", str(make_raw()), "--processed", str(processed), "--config", str(CONFIG)]
    assert cli.main(["agreement", *args, "--statements", str(statements), "--rules-only"]) == 0
    out = capsys.readouterr().out
    assert f"{statements} (2 segments)" in out and "kappa" in out and "(all themes)" in out


def test_topics_writes_tables_and_the_model(make_raw, processed, capsys):
    lines = [f"- Point {i}: funders want outputs and the grant ends in March." for i in range(12)]
    lines += [
        f"- Item {i}: the council decides and residents are told afterwards." for i in range(12)
    ]
    raw = make_raw({"s1/notes.md": "\n".join(lines) + "\n"})
    assert run(raw, processed) == 0
    assert run(raw, processed, command="topics") == 0
    out = capsys.readouterr().out
    assert "topics over 24 segments" in out
    for name in ("topics", "topic_info", "topic_shares"):
        assert (processed / f"{name}.parquet").is_file() and (processed / f"{name}.csv").is_file()
    assert (processed / "topic_model" / "topic_embeddings.safetensors").is_file()


def test_topics_on_a_tiny_corpus_warns_and_exits_0(make_raw, processed, capsys):
    raw = make_raw()
    assert run(raw, processed) == 0
    assert run(raw, processed, command="topics") == 0
    warned = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warning:")]
    assert len(warned) == 1
    assert "segments.csv: only 3 segment(s): topic modelling needs at least 20" in warned[0]
    assert ". Fix: run coprod report again after more sessions" in warned[0]


def test_topics_after_a_new_session_extend_then_refit_when_text_changes(
    make_raw, processed, capsys
):
    lines = [f"- Point {i}: funders want outputs and the grant ends in March." for i in range(12)]
    lines += [
        f"- Item {i}: the council decides and residents are told afterwards." for i in range(12)
    ]
    raw = make_raw({"s1/notes.md": "\n".join(lines) + "\n"})
    assert run(raw, processed) == 0 and run(raw, processed, command="topics") == 0
    (raw / "s2" / "notes.md").write_text(
        "- The grant ends in March again.\n- Residents are told late.\n"
    )
    assert run(raw, processed) == 0 and run(raw, processed, command="topics") == 0
    out = capsys.readouterr().out
    assert "adding the new ones to the existing topics" in out and "topics over 26 segments" in out
    (raw / "s1" / "notes.md").write_text("\n".join(lines[::-1]) + "\n")
    assert run(raw, processed) == 0 and run(raw, processed, command="topics") == 0
    assert (
        "fitting topics from scratch (segments modelled earlier are gone or changed)"
        in capsys.readouterr().out
    )


def test_shifts_writes_tables_and_every_chart(processed, tmp_path, capsys, quick_config):
    from tests.conftest import SAMPLE_RAW

    reports = tmp_path / "reports"
    args = [
        "--raw",
        str(SAMPLE_RAW),
        "--processed",
        str(processed),
        "--reports",
        str(reports),
        "--config",
        str(quick_config),
    ]
    for command in ("ingest", "tag", "shifts"):
        assert cli.main([command, *args]) == 0
    out = capsys.readouterr().out
    assert "changes tested on participants" in out and "change, points [95%]" in out
    # unlearning, into the session on unlearning, is on the agenda in the printed table
    rows = [line.split() for line in out.splitlines()]
    row = next(r for r in rows if r[:2] == ["s4-unlearning", "unlearning"])
    assert "yes" in row
    figures = {p.name for p in (reports / "figures").iterdir()}
    assert {
        "theme_prevalence.html",
        "ladder_change.html",
        "prepost_answers_confidence.html",
        "question_themes_definition.html",
        "theme_cooccurrence.html",
        "theme_tone.html",
        "plotly.min.js",
    } <= figures
    page = (reports / "figures" / "theme_prevalence.html").read_text()
    assert (
        'src="plotly.min.js"' in page and "cdn.plot.ly" not in page and 'class="alt-text"' in page
    )
    assert '<html lang="en">' in page and "<title>" in page and "<h1>" in page
    for name in (
        "theme_shifts",
        "ladder",
        "survey_shifts",
        "tone_by_theme",
        "cooccurrence",
        "question_shifts",
    ):
        assert (processed / f"{name}.parquet").is_file()


@pytest.mark.parametrize(
    ("header", "rows", "expected", "absent"),
    [
        (
            "id,text,themes,coder_a,coder_b",
            ["a,Funders set the terms.,funding,funding,funding", "b,The urn is broken.,,,funding"],
            ["Reliability card", "human_kappa", "[", "ac1"],
            [],
        ),
        (
            "id,text,themes",
            ["a,Funders set the terms.,funding", "b,The urn is broken.,"],
            ["Reliability card", "ac1"],
            ["human_kappa"],
        ),
    ],
)
def test_agreement_card_prints_intervals_and_the_coders_kappa(
    make_raw, processed, capsys, tmp_path, header, rows, expected, absent
):
    statements = tmp_path / "s.csv"
    statements.write_text("\n".join([header, *rows]) + "\n")
    args = ["--raw", str(make_raw()), "--processed", str(processed), "--config", str(CONFIG)]
    command = ["agreement", *args, "--statements", str(statements), "--rules-only", "--card"]
    assert cli.main(command) == 0
    out = capsys.readouterr().out
    assert all(word in out for word in expected)
    assert not any(word in out for word in absent)


def test_suggest_lists_uncertain_segments_and_writes_them(
    make_raw, processed, capsys, tmp_path, quick_config
):
    config = quick_config
    lines = [f"- Point {i}: funders want outputs and the grant ends in March." for i in range(6)]
    lines += ["- We tried to share decisions with residents this time.", "- Tea at eleven."]
    raw = make_raw({"s1/notes.md": "\n".join(lines) + "\n"})
    assert run(raw, processed) == 0
    out_file = tmp_path / "next.csv"
    args = ["--raw", str(raw), "--processed", str(processed), "--config", str(config)]
    assert cli.main(["suggest", *args, "-n", "3", "--output", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "least certain" in out and "uncertainty" in out
    import pandas as pd

    table = pd.read_csv(out_file)
    assert len(table) == 3
    assert table["uncertainty"].is_monotonic_decreasing


def test_a_focus_column_in_sessions_csv_reaches_the_sessions_table(make_raw, processed):
    manifest = (
        "session_id,date,title,focus\ns1,2023-11-14,First,funding;power\ns2,2023-12-12,Second,\n"
    )
    raw = make_raw(manifest=manifest)
    assert run(raw, processed) == 0
    from coprod_analysis.shifts import session_focus

    sessions = pd.read_parquet(processed / "sessions.parquet")
    assert session_focus(sessions, {"power": "Power", "funding": "Funding"}) == {
        "s1": {"funding", "power"},
        "s2": set(),
    }


def test_agreement_reports_the_coding_panels_coders(sample_results, tmp_path, capsys):
    import dataclasses

    import pandas as pd

    from coprod_analysis.codebooks import load_codebook
    from coprod_analysis.pipeline.agreement import coding_agreement
    from coprod_analysis.themes.coding import coder_file, record_code

    tags = pd.read_parquet(sample_results.processed / "themes.parquet")
    ids = list(dict.fromkeys(tags["segment_id"]))[:20]
    for coder in ("ana", "ben"):
        for i, segment in enumerate(ids):
            themes = ["power"] if (coder == "ana" or i % 4) else []
            record_code(
                coder_file(tmp_path, coder), segment_id=segment, theme_ids=themes, coder=coder
            )
    where = dataclasses.replace(sample_results, coding=tmp_path)
    coding_agreement(where, load_codebook(where.config / "codebook.yml"), echo=print)
    out = capsys.readouterr().out
    assert "20 segments coded by ana, ben" in out
    assert "ana vs ben (20 segments both coded)" in out
    assert "Automatic tags vs ana (20 segments)" in out and "Automatic tags vs ben" in out
    assert "kappa" in out and "alpha" in out


@pytest.mark.parametrize(
    ("folder", "expected"),
    [("data/processed", "data/processed"), ("/somewhere/else", "/somewhere/else")],
)
def test_stage_messages_name_folders_as_a_person_reads_them(folder, expected):
    from pathlib import Path

    assert (
        cli._shown(Path(folder).absolute() if not folder.startswith("/") else Path(folder))
        == expected
    )


AUDIT_NOTES = (
    "\n".join(
        f"Person {name}: Funders decide what we spend, turn {i}."
        for i, name in enumerate(
            ["Ann Bell", "Cal Dunn", "Eve Ford", "Gus Hay", "Ida Jones", "Kit Lamb"] * 2
        )
    )
    + "\n"
)


def test_audit_draws_once_then_tops_up_and_advises(
    make_raw, processed, capsys, tmp_path, monkeypatch, quick_config
):
    coding = tmp_path / "coding"
    monkeypatch.setenv("COPROD_CODING", str(coding))
    raw = make_raw({"s1/notes.md": AUDIT_NOTES})
    assert run(raw, processed) == 0
    assert (
        run(
            raw,
            processed,
            "--participants",
            "2",
            "--seed",
            "5",
            command="audit",
            config=quick_config,
        )
        == 0
    )
    out = capsys.readouterr().out
    plan = pd.read_csv(coding / "audit.csv", dtype=str)
    assert len(plan) == 2 and set(plan["seed"]) == {"5"} and "Drew 2 participant(s)" in out
    assert "4 contribution(s) left to code" in out  # two turns each, none coded yet
    # the same size again draws nothing new; a larger one tops up
    assert run(raw, processed, "--participants", "2", command="audit", config=quick_config) == 0
    assert "drew none" in capsys.readouterr().out
    assert (
        run(
            raw,
            processed,
            "--participants",
            "3",
            "--seed",
            "6",
            command="audit",
            config=quick_config,
        )
        == 0
    )
    assert pd.read_csv(coding / "audit.csv", dtype=str)["seed"].tolist() == ["5", "5", "6"]
    # advice needs the tagger's codes
    assert run(raw, processed, command="tag", config=quick_config) == 0
    capsys.readouterr()
    assert run(raw, processed, "--advise", command="audit", config=quick_config) == 0
    out = capsys.readouterr().out
    assert "To bring each theme's share within ±10 points (participants):" in out
    assert re.search(r"s1: audit \d+ more participant\(s\), \d+ of 6 in all", out)


def test_audit_of_a_session_that_does_not_exist_is_one_line_exit_2(
    make_raw, processed, capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("COPROD_CODING", str(tmp_path / "coding"))
    raw = make_raw({"s1/notes.md": AUDIT_NOTES})
    assert run(raw, processed) == 0
    capsys.readouterr()
    assert run(raw, processed, "--participants", "2", "--session", "s9", command="audit") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "s9" in err and "Fix:" in err and "\n" not in err
    assert not (tmp_path / "coding" / "audit.csv").exists()
