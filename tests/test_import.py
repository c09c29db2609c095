import subprocess
import sys

import pytest


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


def import_graph(root) -> dict[str, set[str]]:
    """Module → the package modules it imports, at the top or inside functions.

    ``if TYPE_CHECKING:`` blocks are left out (they never run). Importing ``a.b.c`` counts as
    importing ``a.b`` too (Python runs the package first), except from inside ``a.b`` itself.
    """
    import ast

    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"))
        skipped = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)
        }
        found = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "coprod_analysis"
            ):
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("coprod_analysis")}
        with_parents = {
            ".".join(d.split(".")[:i]) for d in found for i in range(2, d.count(".") + 2)
        }
        graph[name] = {
            d for d in with_parents if d in modules and d != name and not name.startswith(d + ".")
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first search meets, as the list of modules around it."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b", "a"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c", "a"]]),
    ],
)
def test_cycle_finder(graph, expected):
    assert cycles(graph) == expected


def test_no_import_cycle_even_through_imports_inside_functions():
    from pathlib import Path

    import coprod_analysis

    root = Path(coprod_analysis.__file__).parent.parent
    assert cycles(import_graph(root)) == []
