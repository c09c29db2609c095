import subprocess
import sys


def run_python(code: str) -> str:
    """Run code in a fresh interpreter (so no earlier import affects it); return its output."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_import_is_light():
    code = (
        "import sys, coprod_analysis as cp; "
        "heavy = [m for m in ('spacy', 'torch', 'bertopic', 'sentence_transformers', 'pandas', 'plotly') if m in sys.modules]; "
        "print(heavy, callable(cp.ingest))"
    )
    assert run_python(code) == "[] True"


def test_functions_named_like_their_modules_stay_functions():
    code = (
        "import coprod_analysis as cp, coprod_analysis.agreement, coprod_analysis.ingest; "
        "print(callable(cp.agreement), callable(cp.ingest))"
    )
    assert run_python(code) == "True True"
