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


def _prepare_results() -> Path:
    """Run the pipeline once on the sample into a temporary folder, for the notebooks.

    The notebooks read what `make report` writes; a fresh clone has none of it, so the tests
    make it here and point the notebook kernels at it through COPROD_PROCESSED/COPROD_REPORTS.
    """
    import shutil
    import tempfile

    from coprod_analysis.config import paths
    from coprod_analysis.pipeline import STAGES
    from coprod_analysis.themes.coding import coder_file, record_code

    folder = Path(tempfile.mkdtemp(prefix="coprod-nbval-"))
    coding = folder / "coding"  # the coding panel never writes data/
    coding.mkdir()
    shutil.copy(Path(__file__).parent / "data" / "coding" / "audit.csv", coding / "audit.csv")
    for segment, themes in TESTER_CODES.items():  # a researcher's codes against the tagger's
        record_code(coder_file(coding, TESTER), segment_id=segment, theme_ids=themes, coder=TESTER)
    where = paths(processed=folder / "processed", reports=folder / "reports", coding=coding)
    for name, stage in STAGES.items():
        if name != "notebooks":  # nbval runs the notebooks itself
            stage(where, echo=lambda message: None)
    os.environ["COPROD_PROCESSED"] = str(where.processed)
    os.environ["COPROD_REPORTS"] = str(where.reports)
    os.environ["COPROD_CODING"] = str(coding)
    _PREPARED.append(folder)
    return folder


def pytest_unconfigure(config):
    """Remove the results prepared for this test run."""
    import shutil

    for folder in _PREPARED:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_results():
    """The sample's processed tables (made once per test run), as the notebooks see them."""
    from coprod_analysis.config import paths

    if not os.environ.get("COPROD_PROCESSED"):
        _prepare_results()
    return paths()


def pytest_configure(config):
    """On workers (make test), make the two shared runs once, side by side, before they start.

    The notebooks' results are made here and the hostile whole job (tests/conftest.py's
    ``make_hostile``) in a second process at the same time; the workers inherit the
    environment that points at both. Without this, each worker would make them for itself.
    """
    import subprocess
    import sys
    import tempfile

    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if os.environ.get("COPROD_TEST_HOSTILE"):
        return
    folder = Path(tempfile.mkdtemp(prefix="coprod-hostile-"))
    _PREPARED.append(folder)
    make = "from pathlib import Path; from tests.conftest import make_hostile; make_hostile(Path"
    hostile = subprocess.Popen(
        [sys.executable, "-c", f"{make}({str(folder)!r}))"], cwd=Path(__file__).parent
    )
    if not os.environ.get("COPROD_PROCESSED"):
        _prepare_results()
    if hostile.wait() != 0:
        raise pytest.UsageError("making the hostile run for the tests failed (see above)")
    os.environ["COPROD_TEST_HOSTILE"] = str(folder)


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
