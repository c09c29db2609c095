import subprocess
import sys


def test_import_is_light():
    code = (
        "import sys, coprod_analysis as cp; "
        "heavy = [m for m in ('spacy', 'torch', 'bertopic', 'sentence_transformers', 'pandas', 'plotly') if m in sys.modules]; "
        "print(heavy, callable(cp.ingest))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[] True"


def test_functions_named_like_their_modules_stay_functions():
    code = (
        "import coprod_analysis as cp, coprod_analysis.agreement, coprod_analysis.ingest; "
        "print(callable(cp.agreement), callable(cp.ingest))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True True"
