"""pytest set-up shared by tests/ and the notebooks that nbval runs.

Notebooks are committed without outputs, and nbval skips `# NBVAL_CHECK_OUTPUT` on a cell
that has never run. So the expected output of each checked cell (a stable fact about the
bundled sample data, such as session counts) lives in tests/notebook_outputs.json and is
given to nbval here, which then compares it with what the cell prints.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Tests and notebook kernels use a fixed pseudonym key, so no key file is created in config/.
os.environ.setdefault("COPROD_PSEUDONYM_KEY", "5e" * 32)

EXPECTED = Path(__file__).parent / "tests" / "notebook_outputs.json"
# Three session 2 contributions a researcher coded in the panel, differently from the tagger
# (which tagged the first with power, and nothing in the other two): the results the notebooks
# and the report tests read count these codes (tests/test_checked_codes.py).
TESTER = "tester"
TESTER_CODES = {
    "s2-examples-0c2d26a99897": ["examples"],
    "s2-examples-7dd31d44eced": ["power", "tokenism"],
    "s2-examples-485714c67d99": ["unlearning"],
}
_PREPARED: list[Path] = []


def _point_at(folder: Path) -> None:
    """Point the notebooks and the tests (and every process started later) at the results."""
    os.environ["COPROD_PROCESSED"] = str(folder / "processed")
    os.environ["COPROD_REPORTS"] = str(folder / "reports")
    os.environ["COPROD_CODING"] = str(folder / "coding")


def make_results(folder: Path) -> None:
    """Run the pipeline once on the sample into ``folder``, for the notebooks.

    The notebooks read what `make report` writes; a fresh clone has none of it, so the tests
    make it and point the notebook kernels at it (COPROD_PROCESSED, COPROD_REPORTS,
    COPROD_CODING).
    """
    import shutil

    from coprod_analysis.config import paths
    from coprod_analysis.pipeline import STAGES
    from coprod_analysis.themes.coding import coder_file, record_code

    coding = folder / "coding"  # the coding panel never writes data/
    coding.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "coding" / "audit.csv", coding / "audit.csv")
    for segment, themes in TESTER_CODES.items():  # a researcher's codes against the tagger's
        record_code(coder_file(coding, TESTER), segment_id=segment, theme_ids=themes, coder=TESTER)
    where = paths(processed=folder / "processed", reports=folder / "reports", coding=coding)
    for name, stage in STAGES.items():
        if name != "notebooks":  # nbval runs the notebooks itself
            stage(where, echo=lambda message: None)


def _prepare_results() -> Path:
    """Make the sample's results here and now, in a temporary folder (a run on one process)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="coprod-nbval-"))
    _PREPARED.append(folder)
    make_results(folder)
    (folder / "done").touch()
    _point_at(folder)
    return folder


# The controller makes each shared run in a process of its own while the workers start; a test
# that needs one waits for its "done" (or "failed") file: wait_for().
_MAKE = """
import sys, traceback
from pathlib import Path
import {module}
folder = Path(sys.argv[1])
try:
    {module}.{function}(folder)
except BaseException:
    (folder / "failed").write_text(traceback.format_exc(), "utf-8")
    raise
(folder / "done").touch()
"""
_MAKING: list = []


def _start(module: str, function: str, prefix: str) -> Path:
    """Start making a shared run in a new process; return the folder it fills."""
    import subprocess
    import sys
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _PREPARED.append(folder)
    code = _MAKE.format(module=module, function=function)
    _MAKING.append(
        subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=Path(__file__).parent)
    )
    return folder


def wait_for(folder: Path, *, minutes: int = 15) -> None:
    """Wait until a shared run started by the controller is done; fail the test if it failed."""
    import time

    for _ in range(minutes * 120):
        if (folder / "done").exists():
            return
        if (folder / "failed").exists():
            pytest.fail(f"making {folder} failed:\n{(folder / 'failed').read_text('utf-8')}")
        time.sleep(0.5)
    pytest.fail(f"{folder} was not made in {minutes} minutes")


def pytest_configure(config):
    """On workers (make test), make the two shared runs once, while the workers start.

    The notebooks' results (:func:`make_results`) and the hostile whole job
    (tests/conftest.py's ``make_hostile``) are made in two processes of their own; the
    workers inherit the environment that points at both, and what needs one waits for it.
    Without this, each worker would make both for itself.
    """
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if not os.environ.get("COPROD_TEST_HOSTILE"):
        hostile = _start("tests.conftest", "make_hostile", "coprod-hostile-")
        os.environ["COPROD_TEST_HOSTILE"] = str(hostile)
    if not os.environ.get("COPROD_PROCESSED"):
        _point_at(_start("conftest", "make_results", "coprod-nbval-"))


def pytest_runtest_setup(item):
    """A notebook cell waits for the results it reads."""
    if getattr(item, "cell", None) is not None and os.environ.get("COPROD_PROCESSED"):
        wait_for(Path(os.environ["COPROD_PROCESSED"]).parent)


def pytest_unconfigure(config):
    """Remove the results prepared for this test run (once their processes have ended)."""
    import shutil

    for process in _MAKING:
        process.wait()
    for folder in _PREPARED:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_results():
    """The sample's processed tables (made once per test run), as the notebooks see them."""
    from coprod_analysis.config import paths

    if not os.environ.get("COPROD_PROCESSED"):
        _prepare_results()
    wait_for(Path(os.environ["COPROD_PROCESSED"]).parent)
    return paths()


def pytest_collection_modifyitems(session, config, items):
    """Attach expected outputs to nbval cells marked ``# NBVAL_CHECK_OUTPUT``; prepare results."""
    import nbformat

    if any(getattr(item, "cell", None) is not None for item in items) and not os.environ.get(
        "COPROD_PROCESSED"
    ):
        _prepare_results()

    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or "NBVAL_CHECK_OUTPUT" not in cell.source:
            continue
        notebook = Path(str(item.fspath)).name
        text = expected.get(notebook, {}).get(cell.get("id", ""))
        if text is None:
            raise pytest.UsageError(
                f"{notebook}: cell {cell.get('id')} is marked NBVAL_CHECK_OUTPUT but has no "
                f"expected output in {EXPECTED}"
            )
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.execution_count = 1
