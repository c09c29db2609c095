"""The coding panel in a live JupyterLab, clicked in headless Chromium as a researcher would.

A tiny project (five segments of one session, the project's config) is served by JupyterLab
from a temporary folder; a notebook makes a blind panel for ``ana`` and a review panel for
``ben``. After every click, the coder's CSV is read and must hold exactly what was decided.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from tests.browser import ARGS, CHROMIUM, needs_chromium

pytestmark = needs_chromium
CONFIG = Path(__file__).resolve().parents[1] / "config"
TOKEN = "coprod-panel-test"
POWER, FUNDING, VALUES = "Power and enabling spaces", "Funding and funders", "Values and beliefs"
SEGMENTS = [  # segment_id, speaker, text (one notes file, in this order)
    ("h1", None, "Table 1 – power"),
    ("a1", "P-AAAAAA", "We decide the agenda before anyone else is in the room."),
    ("b1", "P-BBBBBB", "The funders set the terms, and the reporting."),
    ("c1", "Facilitator", "Thank you. Let's move on to values."),
    ("d1", "P-AAAAAA", "Our values say one thing; the grant says another."),
]
TAGGED = [("a1", "power"), ("b1", "power"), ("b1", "funding"), ("d1", "funding"), ("d1", "values")]
RANKED = ["d1", "b1", "a1", "c1", "h1"]  # as `coprod tag` ranks them, least certain first
CELLS = [
    "import coprod_analysis as cp",
    'blind = cp.coding_panel("ana")\nblind',
    'review = cp.coding_panel("ben", mode="review")\nreview',
]


def make_project(root: Path) -> None:
    """The project's config, and the processed tables of five segments and their tags."""
    import nbformat

    from coprod_analysis.corpus import frame

    (root / "config").mkdir(parents=True)
    for name in ("project.yml", "codebook.yml", "thresholds.yml"):
        shutil.copy(CONFIG / name, root / "config" / name)
    processed = root / "data" / "processed"
    processed.mkdir(parents=True)
    (root / "data" / "coding").mkdir()
    sessions = [{"session_id": "s1", "date": "2024-03-19", "order": 1, "title": "Power"}]
    frame("sessions", sessions).to_parquet(processed / "sessions.parquet")
    frame("responses", []).to_parquet(processed / "responses.parquet")
    rows = [
        {
            "segment_id": sid,
            "session_id": "s1",
            "source_file": "s1/notes.md",
            "source_kind": "notes",
            "speaker": speaker,
            "text": text,
            "char_start": 100 * i,
            "char_end": 100 * i + len(text),
            "n_words": len(text.split()),
            "context": "Summary by table › Table",
        }
        for i, (sid, speaker, text) in enumerate(SEGMENTS)
    ]
    frame("segments", rows).to_parquet(processed / "segments.parquet")
    tags = pd.DataFrame(TAGGED, columns=["segment_id", "theme"]).assign(
        method="rule", score=1.0, evidence=""
    )
    for name in ("tagged", "themes"):
        tags.to_parquet(processed / f"{name}.parquet")
    ranked = pd.DataFrame({"segment_id": RANKED, "uncertainty": [0.9, 0.7, 0.5, 0.3, 0.1]})
    ranked.assign(theme="power", probability=0.5).to_parquet(processed / "suggested.parquet")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, root / "panel.ipynb")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving the tiny project; yields (its address, the project folder)."""
    root = tmp_path_factory.mktemp("panel-project")
    home = tmp_path_factory.mktemp("jupyter-home")
    make_project(root)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPROD_", "JUPYTER"))}
    env |= {
        "COPROD_ROOT": str(root),
        "COPROD_PSEUDONYM_KEY": os.environ["COPROD_PSEUDONYM_KEY"],
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        f"--ServerApp.token={TOKEN}",
        "--ServerApp.ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--KernelManager.shutdown_wait_time=1",  # a quick teardown
        *(["--allow-root"] if os.getuid() == 0 else []),
    ]
    log = (home / "lab.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        (home / "lab.log").read_text(errors="replace")[-2000:]
                    ) from None
                time.sleep(0.2)
        yield url, root
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def panels(lab):
    """The notebook open in Chromium with every cell run: {coder: the panel's locator}."""
    from playwright.sync_api import expect, sync_playwright

    url, _ = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.goto(f"{url}/lab/tree/panel.ipynb?token={TOKEN}")
        page.wait_for_function(
            "() => window.jupyterapp && jupyterapp.shell.currentWidget"
            " && jupyterapp.shell.currentWidget.sessionContext?.session?.kernel",
            timeout=60_000,
        )
        page.evaluate("() => jupyterapp.commands.execute('notebook:run-all-cells')")
        found = {}
        for coder in ("ana", "ben"):
            found[coder] = page.locator(".coprod-coding-panel", has_text=f"Coding as {coder}")
            expect(found[coder].get_by_role("button", name="Next")).to_be_visible(timeout=60_000)
        yield found
        browser.close()


def coded(root: Path, coder: str):
    """What the coder's file holds: [segment_id, themes, memo] rows, or None with no file."""
    path = root / "data" / "coding" / f"{coder}.csv"
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return table[["segment_id", "themes", "memo"]].values.tolist()


class Researcher:
    """Clicks in one panel, and waits for the kernel to say what it did."""

    def __init__(self, panel):
        from playwright.sync_api import expect

        self.panel, self.expect = panel, expect

    def box(self, label: str):
        return self.panel.get_by_role("checkbox", name=label, exact=True)

    def said(self, words: str) -> None:
        self.expect(self.panel.get_by_role("status")).to_contain_text(words, timeout=15_000)

    def tick(self, label: str, on: bool, words: str) -> None:
        self.box(label).set_checked(on)
        self.said(words)

    def click(self, name: str, words: str) -> None:
        self.panel.get_by_role("button", name=name, exact=True).click()
        self.said(words)

    def memo(self, text: str, words: str) -> None:
        box = self.panel.get_by_role("textbox", name="Memo")
        box.fill(text)
        box.press("Tab")  # the memo is sent when the box loses focus
        self.said(words)

    def shows(self, text: str, ticked: set[str]) -> None:
        this = self.panel.locator("div", has_text="This segment (code this one)").last
        self.expect(this).to_contain_text(text)
        for label in (POWER, FUNDING, VALUES, "None applies"):
            assert self.box(label).is_checked() is (label in ticked), label


def test_blind_panel_saves_each_click_and_unticking_the_last_uncodes(lab, panels):
    _, root = lab
    ana = Researcher(panels["ana"])
    ana.shows("We decide the agenda", set())  # a participant's words first, not the heading
    assert ana.panel.get_by_role("textbox", name="Memo").is_disabled()
    assert coded(root, "ana") is None
    ana.tick(POWER, True, f"{POWER} ticked on segment 1 of 5; saved to data/coding/ana.csv")
    assert coded(root, "ana") == [["a1", "power", ""]]
    ana.tick(FUNDING, True, f"{FUNDING} ticked")
    assert coded(root, "ana") == [["a1", "power;funding", ""]]
    ana.tick(POWER, False, f"{POWER} unticked on segment 1 of 5; saved")
    assert coded(root, "ana") == [["a1", "funding", ""]]
    ana.tick(FUNDING, False, "back to uncoded; saved")
    assert coded(root, "ana") == []
    ana.shows("We decide the agenda", set())
    ana.tick(VALUES, True, f"{VALUES} ticked")
    ana.memo("said twice", "Memo written on segment 1 of 5; saved to data/coding/ana.csv")
    assert coded(root, "ana") == [["a1", "values", "said twice"]]
    ana.click("Next", "Now segment 2 of 5")
    ana.shows("The funders set the terms", set())
    assert coded(root, "ana") == [["a1", "values", "said twice"]]
    ana.click("Previous", "Now segment 1 of 5")
    ana.shows("We decide the agenda", {VALUES})
    assert ana.panel.get_by_role("textbox", name="Memo").input_value() == "said twice"
    assert coded(root, "ana") == [["a1", "values", "said twice"]]
    # "Suggested next" ranks in a background thread the first time; then it shows the least
    # certain segment nobody has coded yet, and nothing is saved on the way
    done = {row[0] for coder in ("ana", "ben") for row in coded(root, coder) or []}
    first = next(s for s in RANKED if s not in done)
    choose = ana.panel.get_by_role("combobox", name="Choose")
    choose.select_option(label="Suggested next (least certain)")
    ana.said("chosen: Suggested next")
    ana.shows(dict((s, t) for s, _, t in SEGMENTS)[first], set())
    assert coded(root, "ana") == [["a1", "values", "said twice"]]


def test_review_panel_saves_unticking_agreeing_and_memos(lab, panels):
    _, root = lab
    ben = Researcher(panels["ben"])
    ben.shows("We decide the agenda", {POWER})  # the tagger's tag, pre-ticked
    assert ben.panel.get_by_role("textbox", name="Memo").is_enabled()  # a pending decision
    assert coded(root, "ben") is None
    ben.tick(
        POWER,
        False,
        f"{POWER} unticked on segment 1 of 5: none applies; saved to data/coding/ben.csv",
    )
    ben.shows("We decide the agenda", {"None applies"})  # no snapping back
    assert coded(root, "ben") == [["a1", "", ""]]
    ben.tick(POWER, True, f"{POWER} ticked on segment 1 of 5; saved")
    assert coded(root, "ben") == [["a1", "power", ""]]
    ben.click("Next", "Now segment 2 of 5")  # decided already: nothing new to save
    ben.shows("The funders set the terms", {POWER, FUNDING})
    assert coded(root, "ben") == [["a1", "power", ""]]
    ben.click("Next", "Agreed with the tagger on segment 2 of 5")  # agreeing is a decision
    assert coded(root, "ben") == [["a1", "power", ""], ["b1", "power;funding", ""]]
    ben.shows("Our values say one thing", {FUNDING, VALUES})
    ben.memo("money against values", "Memo written on segment 3 of 5; saved to data/coding/ben.csv")
    assert coded(root, "ben") == [
        ["a1", "power", ""],
        ["b1", "power;funding", ""],
        ["d1", "funding;values", "money against values"],
    ]
    ben.click("Previous", "Now segment 2 of 5")
    ben.shows("The funders set the terms", {POWER, FUNDING})
    assert len(coded(root, "ben")) == 3
